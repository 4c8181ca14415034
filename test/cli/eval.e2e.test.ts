import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { memoryIo } from './memoryIo';

/** `draggan eval landmarks` in-process on the bundled model and detector (a short run: 1 pair, 3 steps). */
async function evalLandmarks(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['eval', 'landmarks', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

test('prints MD before/after and the hyper-parameters it ran with; options override the model defaults', async () => {
  const r = await evalLandmarks(
    '--pairs',
    '1',
    '--points',
    '5',
    '--steps',
    '3',
    '--feature-idx',
    '4',
    '--r1',
    '24',
    '--json',
  );
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out) as {
    pairs: number;
    points: number;
    md_before: number;
    md_after: number;
    steps_mean: number;
    hyper_parameters: Record<string, unknown>;
  };
  expect(summary.pairs).toBe(1);
  expect(summary.points).toBe(5);
  expect(summary.md_before).toBeGreaterThan(0);
  expect(Number.isFinite(summary.md_after)).toBe(true);
  expect(summary.steps_mean).toBeLessThanOrEqual(3);
  // --feature-idx and --r1 replace the model's; the rest are the bundled model.json defaults.
  expect(summary.hyper_parameters).toMatchObject({
    featureIdx: 4,
    r1: 24,
    r2: 32,
    lr: 0.005,
    lambda: 3,
    maxSteps: 3,
    method: 'draggan',
  });
});

test('--method a,b runs each method on the same pair, one summary each; --mask-radius measures drift outside the mask', async () => {
  const report = join(mkdtempSync(join(tmpdir(), 'eval-')), 'report.json');
  const r = await evalLandmarks(
    '--pairs',
    '1',
    '--points',
    '1',
    '--steps',
    '2',
    '--method',
    'draggan,robust',
    '--mask-radius',
    '16',
    '--json',
    '--report',
    report,
  );
  expect(r.code).toBe(0);
  // the report: one entry per method, marked complete, with its pairs
  const saved = JSON.parse(readFileSync(report, 'utf8')) as {
    method: string;
    complete: boolean;
    pairs: number;
    pair_results: { seeds: number[] }[];
  }[];
  expect(saved.map((s) => [s.method, s.complete, s.pairs, s.pair_results.length])).toEqual([
    ['draggan', true, 1, 1],
    ['robust', true, 1, 1],
  ]);
  const lines = r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { method: string; md_before: number; lost_rate: number; mask_radius: number });
  expect(lines.map((l) => l.method)).toEqual(['draggan', 'robust']);
  expect(lines[1].md_before).toBe(lines[0].md_before);
  for (const l of lines) {
    expect(l.mask_radius).toBe(16);
    expect(l.lost_rate).toBeGreaterThanOrEqual(0);
    expect(l.lost_rate).toBeLessThanOrEqual(1);
  }
});

test.each([
  [['--method', 'draggan,fast'], /--method must be draggan or robust \(or several, comma-separated\), got 'fast'/],
  [['--points', '3'], /--points must be 1, 5 or all, got '3'/],
  [['--feature-idx', '7', '--pairs', '1', '--steps', '1'], /feature_idx must be 0\.\.5 for this model, got 7/],
  [['--r2', '0'], /--r2 must be a number from 1 to 512, got '0'/],
])('bad input %p: exit code 2 and what to fix', async (args, message) => {
  const r = await evalLandmarks(...args);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
});
