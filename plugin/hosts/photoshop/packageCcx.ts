// `npm run package`: dist/uxp -> dist/draggan.ccx, the installable plugin (a zip of the plugin folder with the
// manifest at its root; double-click installs it through Creative Cloud). Run `npm run build` first.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { deflateRawSync } from 'zlib';
import { zipArchive } from '../../codecs/zipArchive';

const root = resolve(__dirname, '../../..');
const src = join(root, 'dist/uxp');
const out = join(root, 'dist/draggan.ccx');

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix + e.name;
    if (e.isDirectory()) return files(join(dir, e.name), `${rel}/`);
    // source maps are for development only; dot files are the build's bookkeeping
    return e.name.endsWith('.map') || e.name.startsWith('.') ? [] : [rel];
  });
}

if (!existsSync(join(src, 'manifest.json'))) {
  console.error('dist/uxp has no manifest.json: run npm run build first');
  process.exit(1);
}
const entries = files(src)
  .sort()
  .map((name) => {
    const bytes = readFileSync(join(src, name));
    return { name, bytes, deflated: deflateRawSync(bytes, { level: 9 }) };
  });
writeFileSync(out, zipArchive(entries));
console.log(`wrote ${relative(root, out)} (${(statSync(out).size / 1048576).toFixed(1)} MiB, ${entries.length} files)`);
