/**
 * Photographers' files as CLI input: JPEG, 16-bit, palette, greyscale and alpha PNGs decode to the pixels they
 * hold, and `draggan invert --image` / `draggan drag --mask` accept each.
 */
import { encode as encodeJpeg } from 'jpeg-js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { decodeImage } from '../../plugin/hosts/node/imageDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { FIXTURES } from '../helpers/fixtures';
import { pngFile } from '../helpers/pngFile';
import { memoryIo } from './memoryIo';

const MODEL = join(FIXTURES, 'packages', 'tiny64');
const W = 80;
const H = 60;

/** A smooth RGB test picture (JPEG keeps smooth content close). */
const rgb = new Uint8Array(W * H * 3).map((_, i) => {
  const p = Math.floor(i / 3);
  const [x, y, c] = [p % W, Math.floor(p / W), i % 3];
  return (c === 0 ? x * 3 : c === 1 ? y * 4 : 128 + ((x + y) % 64)) & 0xff;
});

/** Filter-0 scanlines of `bytesPerRow` bytes each, from a per-row byte function. */
function scanlines(height: number, bytesPerRow: number, at: (y: number, i: number) => number): Uint8Array {
  const raw = new Uint8Array(height * (bytesPerRow + 1));
  for (let y = 0; y < height; y++) for (let i = 0; i < bytesPerRow; i++) raw[y * (bytesPerRow + 1) + 1 + i] = at(y, i);
  return raw;
}

const files: Record<string, Uint8Array> = {
  'photo.jpg': encodeJpeg({ width: W, height: H, data: rgbaOf(rgb) }, 95).data,
  // 16-bit RGB: each sample v as v * 257 (exactly v again at 8 bits)
  'photo16.png': pngFile(
    W,
    H,
    scanlines(H, W * 6, (y, i) => rgb[y * W * 3 + (i >> 1)]),
    { depth: 16, colour: 2 },
  ),
  // palette: 4 colours, one index per pixel
  'palette.png': pngFile(
    W,
    H,
    scanlines(H, W, (y, x) => (x + y) % 4),
    {
      colour: 3,
      chunks: [['PLTE', Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])]],
    },
  ),
  'grey.png': encodePng({ width: W, height: H, channels: 1, data: new Uint8Array(W * H).map((_, i) => i % 256) }),
  'greyalpha.png': encodePng({
    width: W,
    height: H,
    channels: 2,
    data: new Uint8Array(W * H * 2).map((_, i) => (i % 2 ? 200 : i % 256)),
  }),
  // masks at the model's 64 px: white left half
  'mask.png': encodePng({
    width: 64,
    height: 64,
    channels: 1,
    data: new Uint8Array(64 * 64).map((_, i) => (i % 64 < 32 ? 255 : 0)),
  }),
  'mask.jpg': encodeJpeg(
    { width: 64, height: 64, data: rgbaOf(new Uint8Array(64 * 64 * 3).map((_, i) => ((i / 3) % 64 < 32 ? 255 : 0))) },
    95,
  ).data,
  'mask16.png': pngFile(
    64,
    64,
    scanlines(64, 128, (_y, i) => (i >> 1 < 32 ? 255 : 0)),
    { depth: 16, colour: 0 },
  ),
  'maskpalette.png': pngFile(
    64,
    64,
    scanlines(64, 64, (_y, x) => (x < 32 ? 1 : 0)),
    { colour: 3, chunks: [['PLTE', Uint8Array.from([0, 0, 0, 255, 255, 255])]] },
  ),
};

function rgbaOf(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length / 3) * 4);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) out.set([data[i], data[i + 1], data[i + 2], 255], j);
  return out;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-images-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decoding', () => {
  test('JPEG: RGB within a few levels of the original', () => {
    const img = decodeImage(files['photo.jpg']);
    expect([img.width, img.height, img.channels]).toEqual([W, H, 3]);
    const worst = img.data.reduce((m, v, i) => Math.max(m, Math.abs(v - rgb[i])), 0);
    expect(worst).toBeLessThan(16);
  });
  test('16-bit RGB PNG: the same 8-bit values', () => {
    const img = decodeImage(files['photo16.png']);
    expect([img.width, img.height, img.channels]).toEqual([W, H, 3]);
    expect(Buffer.from(img.data).equals(Buffer.from(rgb))).toBe(true);
  });
  test('palette PNG: the palette colours', () => {
    const img = decodeImage(files['palette.png']);
    expect(img.channels).toBe(3);
    expect(Array.from(img.data.subarray(0, 12))).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
  });
  test('grey and grey + alpha keep their channels', () => {
    expect(decodeImage(files['grey.png']).channels).toBe(1);
    const ga = decodeImage(files['greyalpha.png']);
    expect(ga.channels).toBe(2);
    expect(Array.from(ga.data.subarray(0, 4))).toEqual([0, 200, 2, 200]);
  });
  test('a mask in any format gives the same region (white = may change)', () => {
    for (const name of ['mask.png', 'mask.jpg', 'mask16.png', 'maskpalette.png']) {
      const m = decodeImage(files[name]);
      const white = Array.from({ length: 64 * 64 }, (_, i) => m.data[i * m.channels] > 127);
      expect(white.every((w, i) => w === i % 64 < 32)).toBe(true);
    }
  });
});

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, err: io.err() };
}

test.each(['photo.jpg', 'photo16.png', 'palette.png', 'grey.png', 'greyalpha.png'])(
  'draggan invert --image %s',
  async (name) => {
    const r = await cli(
      'invert',
      '--model',
      MODEL,
      '--image',
      join(dir, name),
      '--out-latent',
      join(dir, `${name}.npy`),
      '--steps',
      '2',
      '--time-limit',
      '0',
      '--report',
      join(dir, `${name}.json`),
    );
    expect(r.err).not.toMatch(/error|cannot/);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'))).toMatchObject({
      width: W,
      height: H,
      steps: 2,
    });
  },
);

test.each(['mask.png', 'mask.jpg', 'mask16.png', 'maskpalette.png'])('draggan drag --mask %s', async (name) => {
  const r = await cli(
    'drag',
    '--model',
    MODEL,
    '--seed',
    '0',
    '--point',
    '10,20:16,20',
    '--mask',
    join(dir, name),
    '--steps',
    '2',
    '--out',
    join(dir, `${name}.out.png`),
  );
  expect(r.err).not.toMatch(/error|cannot/);
  expect(r.code).toBe(0);
});
