/**
 * `npm run fuzz:kills`: `import`, `import --force`, `generate` and `drag --frames` of the built CLI killed with
 * SIGKILL at random moments over an earlier run's outputs (test/cli/killTrials.ts), 20 runs each unless
 * DRAGGAN_KILL_RUNS says otherwise (CI's test runs 5). Prints per command: runs, what was seen right after the kill
 * (the old outputs, the new ones, a mix) and the runs whose next run left stray files; then every failing trial.
 * Exits 1 when any run left a mix or a stray file.
 */
import { mkdtempSync, rmSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';
import { KILL_COMMANDS, killRuns, killTrials, type KillTrial } from '../cli/killTrials';
import { ensureBuilt } from '../helpers/ensureBuilt';

async function main(): Promise<void> {
  await ensureBuilt('node');
  const runs = killRuns(20);
  const dir = mkdtempSync(join(tmpdir(), 'draggan-fuzz-kills-'));
  const failures: KillTrial[] = [];
  const cols = ['runs', 'old', 'new', 'mixed', 'stray files'];
  const rows: string[] = [`${'command'.padEnd(16)}${cols.map((c) => c.padStart(12)).join('')}`];
  try {
    for (const c of Object.values(KILL_COMMANDS)) {
      const trials = await killTrials(c, runs, dir);
      const count = (f: (t: KillTrial) => boolean) => String(trials.filter(f).length).padStart(12);
      rows.push(
        `${c.name.padEnd(16)}${String(trials.length).padStart(12)}${count((t) => t.seen === 'old')}${count((t) => t.seen === 'new')}${count((t) => t.seen === 'mixed')}${count((t) => t.stray.length > 0)}`,
      );
      failures.push(...trials.filter((t) => t.seen === 'mixed' || t.stray.length > 0));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(rows.join('\n'));
  console.log(`load average (1 min): ${loadavg()[0].toFixed(2)}`);
  for (const f of failures)
    console.log(`${f.what}: seen ${f.seen}${f.stray.length ? `; stray: ${f.stray.join(', ')}` : ''}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
