/**
 * `npm run bench:video`: the figures for a drag across a 24-frame clip the bundled model draws
 * (test/helpers/turningClip.ts), with the settings the CI test uses on its 6 frames: `draggan video` with its progress
 * bars, then its per-frame table (inversion, tracked and landmark progress, drag steps and seconds) and its summary
 * (flicker over the input's, warm over cold inversion in steps and seconds), with the machine's load average beside
 * them. The clip and the output are kept in the folder printed at the end. Usage: npm run bench:video [-- --frames 24]
 */
import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';
import { BUNDLE, ensureBuilt } from '../helpers/ensureBuilt';
import { smileVideoArgs, writeTurningClip } from '../helpers/turningClip';

const at = process.argv.indexOf('--frames');
const frames = at > 0 ? Number(process.argv[at + 1]) : 24;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  if (!Number.isInteger(frames) || frames < 2) throw new Error('--frames wants a whole number of at least 2');
  await ensureBuilt('node');
  const dir = mkdtempSync(join(tmpdir(), 'draggan-bench-video-'));
  const clip = join(dir, 'clip');
  process.stderr.write(`drawing a ${frames}-frame clip in ${clip}\n`);
  await writeTurningClip(clip, frames);
  process.stdout.write(`load average at the start: ${load()}\n`);
  // the CI test's drag (test/cli/video.e2e.test.ts): on frame 0, the right mouth corner up and out
  const r = spawnSync(process.execPath, [BUNDLE, ...smileVideoArgs(clip, dir), '--report', join(dir, 'report.json')], {
    stdio: 'inherit',
  });
  process.stdout.write(`load average at the end: ${load()}\nclip, MP4, frames and report.json in ${dir}\n`);
  process.exitCode = r.status ?? 1;
}

void main();
