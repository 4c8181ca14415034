import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { Image8 } from '../../plugin/codecs/image8';
import { localEngine } from '../../plugin/engine/localEngine';
import { loadModelDir } from '../../plugin/hosts/node/loadModelDir';
import { encodeMp4 } from '../../plugin/hosts/node/mp4Encode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { dropAlpha } from '../../plugin/hosts/node/raster';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';

/**
 * A clip the bundled model can draw, made by the project: `count` frames whose latents move in a straight line
 * from one seed's to another's (psi 0.7), so the face changes pose and shape smoothly (RGBA, the model's size).
 */
export async function turningClipFrames(
  count: number,
  seeds: [number, number] = [3, 11],
  modelDir = join(__dirname, '../../models/bundled'),
): Promise<Image8[]> {
  const engine = localEngine(loadModelDir(modelDir), await ortNodeCpu.create());
  try {
    const [a, b] = [await engine.generate(seeds[0], 0.7), await engine.generate(seeds[1], 0.7)];
    const frames: Image8[] = [];
    for (let f = 0; f < count; f++) {
      const t = count === 1 ? 0 : f / (count - 1);
      frames.push(await engine.render({ shape: [...a.shape], data: a.data.map((v, i) => v + t * (b.data[i] - v)) }));
    }
    return frames;
  } finally {
    await engine.release();
  }
}

/** The turning clip written as PNG frames in `dir`. */
export async function writeTurningClip(
  dir: string,
  count: number,
  seeds: [number, number] = [3, 11],
  modelDir = join(__dirname, '../../models/bundled'),
): Promise<void> {
  const frames = await turningClipFrames(count, seeds, modelDir);
  mkdirSync(dir, { recursive: true });
  frames.forEach((img, f) =>
    writeFileSync(
      join(dir, `frame_${String(f).padStart(4, '0')}.png`),
      encodePng(dropAlpha(img.width, img.height, img.data)),
    ),
  );
}

/** The turning clip as an H.264 MP4 (as a page is given one), with its RGBA frames to compare against. */
export async function turningClipMp4(
  count: number,
  seeds: [number, number] = [3, 11],
  modelDir = join(__dirname, '../../models/bundled'),
): Promise<{ frames: Image8[]; mp4: Buffer }> {
  const frames = await turningClipFrames(count, seeds, modelDir);
  const { width, height } = frames[0];
  const mp4 = await encodeMp4(
    frames.map((f) => f.data),
    width,
    height,
  );
  return { frames, mp4: Buffer.from(mp4) };
}

if (require.main === module) void writeTurningClip(process.argv[2], Number(process.argv[3] ?? 24));

/**
 * `draggan video` arguments for the smile the clip's CI test and its benchmark run: on frame 0 the right mouth corner
 * (74, 79) up and out, into `dir`/out.mp4 and `dir`/out/. --steps is a cap, not a count: the key frame converges in
 * about 120 steps, the others start from their neighbour's edit and most need far fewer; at 60 the key frame stops
 * with its mouth corner 46% of the way (landmark detector).
 */
export function smileVideoArgs(clip: string, dir: string): string[] {
  return [
    'video',
    '--frames',
    clip,
    '--point',
    '74,79:82,76',
    '--out',
    join(dir, 'out.mp4'),
    '--frames-out',
    join(dir, 'out'),
    '--invert-steps',
    '100',
    '--warm-steps',
    '25',
    '--steps',
    '200',
  ];
}
