/**
 * `import`, `generate` and `drag --frames` killed with SIGKILL at random moments over the outputs of an earlier run,
 * shared by test/cli/killedOutputs.bundle.test.ts (DRAGGAN_KILL_RUNS runs a command, 5 unless set) and
 * `npm run fuzz:kills` (20, with a table). Each trial says what a user sees after the kill (the old outputs, the new
 * ones, or a mix) and what the next run leaves (for import, without --force: it replaces its own half-written
 * folder): exactly the new outputs, or stray files besides them.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { workingPid } from '../helpers/workingPid';
import { BUNDLE } from '../helpers/ensureBuilt';

const ROOT = join(__dirname, '../..');
const TINY64 = join(ROOT, 'test/fixtures/packages/tiny64');

/** Runs a command takes: DRAGGAN_KILL_RUNS, or `fallback`. */
export function killRuns(fallback: number): number {
  const n = Number(process.env.DRAGGAN_KILL_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export interface KillCommand {
  name: string;
  /** Makes the old outputs ({W}: the trial's folder); none for a first import. */
  oldArgv?: string[];
  /** The run that is killed. */
  newArgv: string[];
  /** The run after the kill, given the trial's folder. */
  rerunArgv(folder: string): string[];
}

const tiny64Pkl = join(ROOT, 'test/fixtures/checkpoints/tiny64.pkl');
/** A folder the import finished (the kill came after its last step) is a model, refused without --force as it should be. */
const finishedImport = (w: string) =>
  existsSync(join(w, 'model/model.json')) && !existsSync(join(w, 'model/.draggan-import-incomplete'));
const generate = (seed: string) => [
  'generate',
  '--model',
  TINY64,
  '--seed',
  seed,
  '--out',
  '{W}/g.png',
  '--save-latent',
  '{W}/g.npy',
];
const drag = (seed: string, point: string, steps: string) => [
  'drag',
  '--model',
  TINY64,
  '--seed',
  seed,
  '--point',
  point,
  '--steps',
  steps,
  '--frame-every',
  '1',
  '--frames',
  '{W}/frames',
  '--out',
  '{W}/d.png',
  '--save-latent',
  '{W}/d.npy',
];

export const KILL_COMMANDS: Record<'import' | 'import-force' | 'generate' | 'drag', KillCommand> = {
  import: {
    name: 'import',
    newArgv: ['import', tiny64Pkl, '--out', '{W}/model'],
    rerunArgv: (w) => ['import', tiny64Pkl, '--out', '{W}/model', ...(finishedImport(w) ? ['--force'] : [])],
  },
  'import-force': {
    name: 'import --force',
    oldArgv: ['import', join(ROOT, 'test/fixtures/checkpoints/tiny128.pkl'), '--out', '{W}/model'],
    newArgv: ['import', tiny64Pkl, '--out', '{W}/model', '--force'],
    rerunArgv: () => ['import', tiny64Pkl, '--out', '{W}/model', '--force'],
  },
  generate: { name: 'generate', oldArgv: generate('1'), newArgv: generate('2'), rerunArgv: () => generate('2') },
  drag: {
    name: 'drag --frames',
    oldArgv: drag('1', '20,20:26,20', '6'),
    newArgv: drag('2', '30,30:36,34', '4'),
    rerunArgv: () => drag('2', '30,30:36,34', '4'),
  },
};

/** Every file under `root` (hidden ones too unless `visibleOnly`) by relative path, with a hash of its bytes. */
function snapshot(root: string, visibleOnly = false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (visibleOnly && name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

/** Runs argv (with {W} for the folder `w`) to the end; throws unless it succeeds. */
function runIn(w: string, argv: string[]): void {
  const r = spawnSync(
    BUNDLE,
    argv.map((a) => a.replace('{W}', w)),
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
}

function killedAfter(ms: number, argv: string[]): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(BUNDLE, argv, { stdio: 'ignore' });
    // the process that writes: where the CLI relaunched itself (malloc tuning) its child, whose death by SIGKILL
    // the parent passes on; a parent killed alone takes the child with it too, but leaves it to be reaped by init
    const timer = setTimeout(() => {
      try {
        process.kill(workingPid(child.pid!), 'SIGKILL');
      } catch {
        // it ended just before
      }
    }, ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A fixed pseudo-random sequence (mulberry32): moments that differ run to run but reproduce from the seed printed. */
function moments(seed: number, n: number): number[] {
  let a = seed >>> 0;
  return Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  });
}

export interface KillTrial {
  /** Which trial, the seed and the moment: enough to reproduce it. */
  what: string;
  /** The visible outputs right after the kill. */
  seen: 'old' | 'new' | 'mixed';
  /** For a mix: the visible files that are neither as the old run nor as the new run left them (path: why). */
  mix: string[];
  /** Files after the next run that the new outputs do not have, or that differ (path: why). */
  stray: string[];
}

/** `runs` trials of `c` in folders under `dir`. */
export async function killTrials(c: KillCommand, runs: number, dir: string): Promise<KillTrial[]> {
  const key = c.name.replace(/\W+/g, '-');
  // the old outputs, made once and copied into each trial's folder (nothing in them names their folder)
  const base = mkdtempSync(join(dir, `${key}-old-`));
  if (c.oldArgv) runIn(base, c.oldArgv);
  const oldState = snapshot(base, true);
  const oldSeen = JSON.stringify(oldState);
  const ref = mkdtempSync(join(dir, `${key}-new-`));
  cpSync(base, ref, { recursive: true });
  const t0 = Date.now();
  runIn(ref, c.newArgv);
  const fullMs = Date.now() - t0;
  const newState = snapshot(ref);
  const newVisible = snapshot(ref, true);
  const newSeen = JSON.stringify(newVisible);
  if (newSeen === oldSeen)
    throw new Error(`${c.name}: the new outputs are the old ones; the trials would tell nothing`);
  const seed = Date.now() % 100000;
  const trials: KillTrial[] = [];
  for (const [i, f] of moments(seed, runs).entries()) {
    const w = mkdtempSync(join(dir, `${key}-trial-`));
    cpSync(base, w, { recursive: true });
    const at = Math.round(f * fullMs);
    await killedAfter(
      at,
      c.newArgv.map((a) => a.replace('{W}', w)),
    );
    const now = snapshot(w, true);
    const seenNow = JSON.stringify(now);
    const seen = seenNow === oldSeen ? 'old' : seenNow === newSeen ? 'new' : 'mixed';
    const mix =
      seen === 'mixed'
        ? [...new Set([...Object.keys(now), ...Object.keys(oldState), ...Object.keys(newVisible)])]
            .filter((p) => now[p] !== oldState[p] || now[p] !== newVisible[p])
            .map(
              (p) =>
                `${p}: ${now[p] === undefined ? 'missing' : now[p] === oldState[p] ? 'old' : now[p] === newVisible[p] ? 'new' : 'neither'}`,
            )
        : [];
    runIn(w, c.rerunArgv(w));
    const after = snapshot(w);
    const stray = [
      ...Object.keys(after)
        .filter((p) => after[p] !== newState[p])
        .map((p) => `${p}: ${p in newState ? 'differs' : 'extra'}`),
      ...Object.keys(newState)
        .filter((p) => !(p in after))
        .map((p) => `${p}: missing`),
    ];
    trials.push({ what: `${c.name}, trial ${i} (seed ${seed}), killed after ${at} of ${fullMs} ms`, seen, mix, stray });
  }
  return trials;
}
