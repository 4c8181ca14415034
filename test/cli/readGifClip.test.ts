import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readGifClip } from '../../plugin/hosts/cli/readClip';
import { encodeGif } from '../../plugin/hosts/node/gifEncode';

test('an animated GIF comes back as its frames, in order, as shown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'draggan-gif-'));
  try {
    const [w, h] = [8, 6];
    const frame = (r: number, g: number, b: number) =>
      Uint8Array.from({ length: w * h * 4 }, (_, i) => [r, g, b, 255][i % 4]);
    writeFileSync(join(dir, 'a.gif'), encodeGif([frame(255, 0, 0), frame(0, 255, 0), frame(0, 0, 255)], w, h));
    const frames = readGifClip(join(dir, 'a.gif'));
    expect(frames.map((f) => [f.width, f.height, f.channels])).toEqual([
      [w, h, 4],
      [w, h, 4],
      [w, h, 4],
    ]);
    expect(frames.map((f) => Array.from(f.data).slice(0, 4))).toEqual([
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
