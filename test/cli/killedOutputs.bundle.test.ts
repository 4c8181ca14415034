/**
 * `import`, `generate` and `drag --frames` killed with SIGKILL at random moments, over the outputs of an earlier run:
 * what a user sees afterwards is the old outputs or the new ones, never a mix, and the next run (for import, without
 * --force: it replaces its own half-written folder) leaves exactly the new outputs, no stray file.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { BUILD_TIMEOUT_MS, BUNDLE, ensureBuilt } from '../helpers/ensureBuilt';
import { ROOT } from './referenceImage';

const TINY64 = join(ROOT, 'test/fixtures/packages/tiny64');
const RUNS = 5;
let dir: string;

beforeAll(async () => {
  await ensureBuilt('node');
  dir = mkdtempSync(join(tmpdir(), 'draggan-kill-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

/** Runs argv (with {W} for the folder `w`) to the end: it must succeed. */
function runIn(w: string, argv: string[]): void {
  const r = spawnSync(
    BUNDLE,
    argv.map((a) => a.replace('{W}', w)),
    { encoding: 'utf8' },
  );
  expect([argv.join(' '), r.status, r.stderr.split('\n').filter((l) => l.startsWith('draggan'))]).toEqual([
    argv.join(' '),
    0,
    [],
  ]);
}

function killedAfter(ms: number, argv: string[]): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(BUNDLE, argv, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
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

async function killTrials(
  name: string,
  oldArgv: string[] | undefined,
  newArgv: string[],
  rerunArgv: (folder: string) => string[],
): Promise<void> {
  // the old outputs, made once and copied into each trial's folder (nothing in them names their folder)
  const base = mkdtempSync(join(dir, `${name}-old-`));
  if (oldArgv) runIn(base, oldArgv);
  const oldSeen = JSON.stringify(snapshot(base, true));
  const ref = mkdtempSync(join(dir, `${name}-new-`));
  cpSync(base, ref, { recursive: true });
  const t0 = Date.now();
  runIn(ref, newArgv);
  const fullMs = Date.now() - t0;
  const newState = snapshot(ref);
  const newSeen = JSON.stringify(visible(newState));
  expect(newSeen).not.toEqual(oldSeen);
  const seed = Date.now() % 100000;
  for (const [i, f] of moments(seed, RUNS).entries()) {
    const w = mkdtempSync(join(dir, `${name}-trial-`));
    cpSync(base, w, { recursive: true });
    const at = Math.round(f * fullMs);
    await killedAfter(
      at,
      newArgv.map((a) => a.replace('{W}', w)),
    );
    const what = `${name}, trial ${i} (seed ${seed}), killed after ${at} of ${fullMs} ms`;
    const seen = JSON.stringify(snapshot(w, true));
    expect([what, seen === oldSeen || seen === newSeen ? 'old or new' : seen]).toEqual([what, 'old or new']);
    runIn(w, rerunArgv(w));
    expect([what, snapshot(w)]).toEqual([what, newState]);
  }
}

function visible(s: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(s).filter(([p]) => !p.split('/').some((part) => part.startsWith('.'))));
}

test('import killed at random moments: no model, or the whole new one; the next import replaces its own half-written folder', async () => {
  const pkl = join(ROOT, 'test/fixtures/checkpoints/tiny64.pkl');
  // a folder the import finished (the kill came after its last step) is a model, refused without --force as it should be
  const finished = (w: string) =>
    existsSync(join(w, 'model/model.json')) && !existsSync(join(w, 'model/.draggan-import-incomplete'));
  await killTrials('import', undefined, ['import', pkl, '--out', '{W}/model'], (w) => [
    'import',
    pkl,
    '--out',
    '{W}/model',
    ...(finished(w) ? ['--force'] : []),
  ]);
}, 300_000);

test('import --force over an older model, killed at random moments: the old pair or the new pair', async () => {
  const older = join(ROOT, 'test/fixtures/checkpoints/tiny128.pkl');
  const pkl = join(ROOT, 'test/fixtures/checkpoints/tiny64.pkl');
  await killTrials(
    'import-force',
    ['import', older, '--out', '{W}/model'],
    ['import', pkl, '--out', '{W}/model', '--force'],
    () => ['import', pkl, '--out', '{W}/model', '--force'],
  );
}, 300_000);

test('generate killed at random moments: the old image and latent, or the new ones', async () => {
  const argv = (seed: string) => [
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
  await killTrials('generate', argv('1'), argv('2'), () => argv('2'));
}, 300_000);

test('drag --frames killed at random moments: the old image, latent and frames, or the new ones', async () => {
  const argv = (seed: string, point: string, steps: string) => [
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
  await killTrials('drag', argv('1', '20,20:26,20', '6'), argv('2', '30,30:36,34', '4'), () =>
    argv('2', '30,30:36,34', '4'),
  );
}, 300_000);
