/**
 * `draggan video` on a clip the bundled model can draw (test/helpers/turningClip.ts: frames moving from one face to
 * another): the figures the issue asks for, from the command's own report.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BUILD_TIMEOUT_MS, ensureBuilt, runBundle } from '../helpers/ensureBuilt';
import { writeTurningClip } from '../helpers/turningClip';

const dir = mkdtempSync(join(tmpdir(), 'draggan-clip-'));
const clip = join(dir, 'clip');
beforeAll(async () => {
  await ensureBuilt('node');
  await writeTurningClip(clip, 6);
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a drag across a clip: every frame moved, no added flicker, warm inversions cheap; MP4 and frames written', () => {
  const r = runBundle(
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
    '60',
    '--json',
  );
  expect(r.err).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  const s = JSON.parse(r.out) as {
    dragged: number;
    flicker: { ratio: number };
    inversion: { warmOverCold: number };
    minProgress: number;
    perFrame: { progress: number[]; psnr: number; dragSteps: number }[];
  };
  expect(s.dragged).toBe(6);
  // each frame's handle came at least half way to its target (tracked by the model's features)
  expect(s.minProgress).toBeGreaterThanOrEqual(0.5);
  expect(s.flicker.ratio).toBeLessThanOrEqual(1.2);
  expect(s.inversion.warmOverCold).toBeLessThanOrEqual(1 / 3);
  expect(readFileSync(join(dir, 'out.mp4')).subarray(4, 8).toString()).toBe('ftyp');
  expect(readdirSync(join(dir, 'out')).filter((n) => n.endsWith('.png'))).toHaveLength(6);

  // the same command again finds the work kept in --frames-out and redoes none of it
  const again = runBundle(
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
    '60',
    '--json',
  );
  expect(again.code).toBe(0);
  expect(again.err).toMatch(/resuming: 6 frames already inverted/);
  const s2 = JSON.parse(again.out) as typeof s;
  expect(s2.perFrame.map((f) => f.psnr)).toEqual(s.perFrame.map((f) => f.psnr));
  expect(s2.perFrame.every((f) => f.dragSteps === 0)).toBe(true);
  expect(s2.minProgress).toBe(s.minProgress);
}, 600_000);

describe('bad input: exit 2 with what to do', () => {
  test('a video file: decode its frames first', () => {
    const r = runBundle('video', '--video', 'in.mp4', '--point', '1,1:2,2', '--out', join(dir, 'x.mp4'));
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/ffmpeg -i 'in\.mp4' frames\/%04d\.png/) });
  });
  test('a folder with no frames, a damaged GIF, a key frame past the end', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(runBundle('video', '--frames', empty, '--point', '1,1:2,2', '--out', join(dir, 'x.mp4'))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/holds no PNG or JPEG files/),
    });
    writeFileSync(join(dir, 'bad.gif'), 'GIF89a\x10\x00\x10\x00garbage');
    expect(
      runBundle('video', '--gif', join(dir, 'bad.gif'), '--point', '1,1:2,2', '--out', join(dir, 'x.mp4')),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/cannot read GIF .*bad\.gif/) });
    expect(
      runBundle('video', '--frames', clip, '--key', '9', '--point', '1,1:2,2', '--out', join(dir, 'x.mp4')),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/--key/) });
  });
});
