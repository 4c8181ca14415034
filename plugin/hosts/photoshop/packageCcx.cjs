// `npm run package`: dist/uxp -> dist/draggan.ccx, the installable plugin (a zip of the plugin folder with the
// manifest at its root; double-click installs it through Creative Cloud). Run `npm run build` first.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.resolve(__dirname, '../../..');
const src = path.join(root, 'dist/uxp');
const out = path.join(root, 'dist/draggan.ccx');

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b) => {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function files(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix + e.name;
    if (e.isDirectory()) return files(path.join(dir, e.name), rel + '/');
    // source maps are for development only
    return e.name.endsWith('.map') ? [] : [rel];
  });
}

if (!fs.existsSync(path.join(src, 'manifest.json'))) {
  console.error('dist/uxp has no manifest.json: run npm run build first');
  process.exit(1);
}
const locals = [];
const centrals = [];
let offset = 0;
for (const rel of files(src).sort()) {
  const data = fs.readFileSync(path.join(src, rel));
  const deflated = zlib.deflateRawSync(data, { level: 9 });
  const name = Buffer.from(rel);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(offset, 42);
  locals.push(local, name, deflated);
  centrals.push(central, name);
  offset += local.length + name.length + deflated.length;
}
const cd = Buffer.concat(centrals);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(centrals.length / 2, 8);
end.writeUInt16LE(centrals.length / 2, 10);
end.writeUInt32LE(cd.length, 12);
end.writeUInt32LE(offset, 16);
fs.writeFileSync(out, Buffer.concat([...locals, cd, end]));
console.log(`wrote ${path.relative(root, out)} (${(fs.statSync(out).size / 1048576).toFixed(1)} MiB, ${centrals.length / 2} files)`);
