// Draws the plugin's icons (a red handle, an arrow, a blue target) as PNGs: `node icons/makeIcons.cjs`.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

function png(w, h, rgba) {
  const chunk = (type, body) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb));
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(h * (w * 4 + 1));
  for (let y = 0; y < h; y++) rgba.copy(raw, y * (w * 4 + 1) + 1, y * w * 4, (y + 1) * w * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Anti-aliased by 4x4 supersampling. */
function draw(size, fg) {
  const px = Buffer.alloc(size * size * 4);
  const s = size / 24; // designed on a 24-unit grid
  const shapes = [
    { kind: 'line', a: [7, 16], b: [16, 8], w: 2, col: fg },
    { kind: 'line', a: [16, 8], b: [11.5, 8.5], w: 2, col: fg },
    { kind: 'line', a: [16, 8], b: [15.5, 12.5], w: 2, col: fg },
    { kind: 'disc', c: [6, 17], r: 3.6, col: [230, 50, 50] },
    { kind: 'disc', c: [18, 6], r: 3.6, col: [50, 110, 240] },
  ];
  const inside = (sh, x, y) => {
    if (sh.kind === 'disc') return (x - sh.c[0]) ** 2 + (y - sh.c[1]) ** 2 <= sh.r ** 2;
    const [ax, ay] = sh.a, [bx, by] = sh.b;
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= (sh.w / 2) ** 2;
  };
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) {
      const ux = (x + (sx + 0.5) / 4) / s, uy = (y + (sy + 0.5) / 4) / s;
      let hit = null;
      for (const sh of shapes) if (inside(sh, ux, uy)) hit = sh.col;
      if (hit) { r += hit[0]; g += hit[1]; b += hit[2]; a++; }
    }
    if (a) px.set([r / a, g / a, b / a, (255 * a) / 16], (y * size + x) * 4);
  }
  return png(size, size, px);
}

const out = __dirname;
const themes = { dark: [235, 235, 235], light: [50, 50, 50] };
for (const [theme, fg] of Object.entries(themes)) for (const scale of [1, 2]) fs.writeFileSync(path.join(out, `panel-${theme}@${scale}x.png`), draw(23 * scale, fg));
for (const scale of [1, 2]) fs.writeFileSync(path.join(out, `plugin@${scale}x.png`), draw(48 * scale, [128, 128, 128]));
console.log('icons written to', out);
