/**
 * `draggan video` on a clip the bundled model can draw (test/helpers/turningClip.ts: frames moving from one face to
 * another): the figures the issue asks for, from the command's own report. The handle is the right mouth corner
 * (the bundled landmark detector's mouth_r is 0.35 px from it), dragged up and out: a smile.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BUILD_TIMEOUT_MS, ensureBuilt, runBundle } from '../helpers/ensureBuilt';
import { FIXTURES } from '../helpers/fixtures';
import { smileVideoArgs, turningClipMp4, writeTurningClip } from '../helpers/turningClip';

const dir = mkdtempSync(join(tmpdir(), 'draggan-clip-'));
const clip = join(dir, 'clip');
beforeAll(async () => {
  await ensureBuilt('node');
  await writeTurningClip(clip, 6);
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a drag across a clip: every frame moved, no added flicker, warm inversions cheap; MP4 and frames written', () => {
  const r = runBundle(...smileVideoArgs(clip, dir), '--json');
  expect(r.err).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  const s = JSON.parse(r.out) as {
    dragged: number;
    flicker: { ratio: number };
    inversion: { warmOverCold: number; warmOverColdSteps: number };
    minProgress: number;
    minLandmarkProgress: number | null;
    landmarks: { name: string; distanceFromHandle: number }[] | null;
    perFrame: { progress: number[]; landmarkProgress: number[] | null; psnr: number; dragSteps: number }[];
  };
  expect(s.dragged).toBe(6);
  // each frame's handle came at least half way to its target (tracked by the model's features)
  expect(s.minProgress).toBeGreaterThanOrEqual(0.5);
  // and as the landmark detector sees it: the mouth corner it finds in each frame's input moved at least half way
  // to that frame's target in the output (0.59 at the least when measured; the inversion alone moves it up to 0.12)
  expect(s.landmarks?.[0].name).toBe('mouth_r');
  expect(s.perFrame.map((f) => f.landmarkProgress?.length)).toEqual([1, 1, 1, 1, 1, 1]);
  expect(s.minLandmarkProgress).toBeGreaterThanOrEqual(0.5);
  expect(s.flicker.ratio).toBeLessThanOrEqual(1.2);
  // warm inversions are cheap: counted in steps run, since seconds depend on what else the machine is doing (CI once
  // measured 0.36 in seconds on a busy machine); the seconds are in the report for the benchmark
  expect(s.inversion.warmOverColdSteps).toBeLessThanOrEqual(1 / 3);
  expect(s.inversion.warmOverCold).toBeGreaterThan(0);
  expect(readFileSync(join(dir, 'out.mp4')).subarray(4, 8).toString()).toBe('ftyp');
  expect(readdirSync(join(dir, 'out')).filter((n) => n.endsWith('.png'))).toHaveLength(6);

  // the same command again finds the work kept in --frames-out and redoes none of it
  const again = runBundle(...smileVideoArgs(clip, dir), '--json');
  expect(again.code).toBe(0);
  expect(again.err).toMatch(/resuming: 6 frames already inverted/);
  const s2 = JSON.parse(again.out) as typeof s;
  expect(s2.perFrame.map((f) => f.psnr)).toEqual(s.perFrame.map((f) => f.psnr));
  expect(s2.perFrame.every((f) => f.dragSteps === 0)).toBe(true);
  expect(s2.minProgress).toBe(s.minProgress);
  expect(s2.minLandmarkProgress).toBe(s.minLandmarkProgress);
}, 600_000);

test('a model without a landmark net for its frames: the landmark figures are n/a, the rest as ever', async () => {
  const model = join(FIXTURES, 'packages', 'tiny64');
  const small = join(dir, 'tiny64-clip');
  await writeTurningClip(small, 2, [3, 11], model);
  const args = ['video', '--model', model, '--frames', small, '--point', '30,30:34,30', '--out', join(dir, 't.mp4')];
  const steps = ['--invert-steps', '2', '--warm-steps', '1', '--steps', '2'];
  const table = runBundle(...args, ...steps);
  expect(table.code).toBe(0);
  const rows = table.out.split('\n').filter((l) => /^\d+\t/.test(l));
  expect(rows.map((l) => l.split('\t')[5])).toEqual(['n/a', 'n/a']);
  expect(table.out).toMatch(/landmarks n\/a \(the model has no landmark net for its frames\)/);
  const json = JSON.parse(runBundle(...args, ...steps, '--json').out) as {
    minLandmarkProgress: unknown;
    perFrame: { landmarkProgress: unknown }[];
  };
  expect(json.minLandmarkProgress).toBeNull();
  expect(json.perFrame.map((f) => f.landmarkProgress)).toEqual([null, null]);
}, 120_000);

test('an MP4 as the clip: decoded in Node, dragged as its frames are, the same report as --frames', async () => {
  const model = join(FIXTURES, 'packages', 'tiny64');
  const { mp4 } = await turningClipMp4(2, [3, 11], model);
  writeFileSync(join(dir, 'tiny64.mp4'), mp4);
  const frames = join(dir, 'tiny64-frames');
  await writeTurningClip(frames, 2, [3, 11], model);
  const args = ['video', '--model', model, '--point', '30,30:34,30', '--out', join(dir, 'v.mp4'), '--json'];
  const steps = ['--invert-steps', '2', '--warm-steps', '1', '--steps', '2'];
  const fromVideo = runBundle(...args, ...steps, '--video', join(dir, 'tiny64.mp4'));
  expect(fromVideo.err).not.toMatch(/internal error/);
  expect(fromVideo.code).toBe(0);
  const v = JSON.parse(fromVideo.out) as Record<string, unknown> & { frames: number; perFrame: object[] };
  const f = JSON.parse(runBundle(...args, ...steps, '--frames', frames).out) as typeof v;
  expect(Object.keys(v)).toEqual(Object.keys(f));
  expect(Object.keys(v.perFrame[0])).toEqual(Object.keys(f.perFrame[0]));
  expect([v.frames, v.perFrame.length]).toEqual([2, 2]);
  expect(readFileSync(join(dir, 'v.mp4')).subarray(4, 8).toString()).toBe('ftyp');
}, 120_000);

describe('bad input: exit 2 with what to do', () => {
  test('a video file the CLI cannot decode: a WebM, a text file named .mp4', () => {
    writeFileSync(join(dir, 'a.webm'), Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]));
    writeFileSync(join(dir, 'notes.mp4'), 'not a video');
    const run = (f: string) =>
      runBundle('video', '--video', join(dir, f), '--point', '1,1:2,2', '--out', join(dir, 'x.mp4'));
    expect(run('a.webm')).toMatchObject({ code: 2, err: expect.stringMatching(/a\.webm is a WebM .*ffmpeg -i/) });
    expect(run('notes.mp4')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/notes\.mp4 is not an MP4 with a video track/),
    });
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
