/**
 * `import`, `generate` and `drag --frames` killed with SIGKILL at random moments, over the outputs of an earlier run
 * (test/cli/killTrials.ts; DRAGGAN_KILL_RUNS runs each, 5 unless set; `npm run fuzz:kills` runs 20 with a table):
 * what a user sees afterwards is the old outputs or the new ones, never a mix, and the next run (for import, without
 * --force: it replaces its own half-written folder) leaves exactly the new outputs, no stray file.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../helpers/ensureBuilt';
import { KILL_COMMANDS, killRuns, killTrials, type KillCommand } from './killTrials';

const RUNS = killRuns(5);
let dir: string;

beforeAll(async () => {
  await ensureBuilt('node');
  dir = mkdtempSync(join(tmpdir(), 'draggan-kill-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function expectOldOrNew(c: KillCommand): Promise<void> {
  const trials = await killTrials(c, RUNS, dir);
  expect(trials).toHaveLength(RUNS);
  for (const t of trials)
    expect([t.what, t.seen === 'mixed' ? t.mix : 'old or new', t.stray]).toEqual([t.what, 'old or new', []]);
}

const timeout = 60_000 * Math.max(5, RUNS);

test(
  'import killed at random moments: no model, or the whole new one; the next import replaces its own half-written folder',
  () => expectOldOrNew(KILL_COMMANDS.import),
  timeout,
);

test(
  'import --force over an older model, killed at random moments: the old pair or the new pair',
  () => expectOldOrNew(KILL_COMMANDS['import-force']),
  timeout,
);

test(
  'generate killed at random moments: the old image and latent, or the new ones',
  () => expectOldOrNew(KILL_COMMANDS.generate),
  timeout,
);

test(
  'drag --frames killed at random moments: the old image, latent and frames, or the new ones',
  () => expectOldOrNew(KILL_COMMANDS.drag),
  timeout,
);
