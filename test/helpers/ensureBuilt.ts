/**
 * Builds what a test reads from dist/ when it is missing or older than its sources, so the README's
 * `npm ci && npm test` passes on a fresh clone, and no test passes on a stale bundle. One webpack config per target
 * (node: the CLI, web: the pages, uxp: the Photoshop panel). Webpack leaves unchanged outputs undated, so freshness
 * is read from the stamp its BuildStampPlugin (webpack.config.js) writes, dated when the build began. A lock folder
 * keeps parallel Jest workers from building at once: the second waits, then finds the build fresh.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

export type DistTarget = 'node' | 'web' | 'uxp' | 'webgpu-test' | 'uxp-harness';

const ROOT = join(__dirname, '../..');
/** Everything a bundle is made from: the code, the build's configuration, the dependencies, what is copied in. */
const SOURCES = [
  'plugin',
  'test/e2e/webgpu',
  'test/e2e/uxp',
  'test/fakes',
  'webpack.config.js',
  'tsconfig.json',
  'package-lock.json',
  'manifest.json',
  'icons',
  'models/bundled',
  'models/face-api',
];
/** Written by webpack.config.js's BuildStampPlugin after a build without errors. */
const STAMP = '.build-stamp';
/** The command-line bundle, as tests that run the CLI as a user does invoke it. */
export const BUNDLE = join(ROOT, 'dist/node/draggan.js');
/** A build on a loaded two-core machine takes one to three minutes. */
export const BUILD_TIMEOUT_MS = 10 * 60_000;

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce(
    (m, name) => (name === '__pycache__' ? m : Math.max(m, newest(join(path, name)))),
    s.mtimeMs,
  );
}

function stampTime(target: DistTarget): number {
  const stamp = join(ROOT, 'dist', target, STAMP);
  return existsSync(stamp) ? statSync(stamp).mtimeMs : -1;
}

export function isFresh(target: DistTarget): boolean {
  return stampTime(target) >= Math.max(...SOURCES.map((s) => newest(join(ROOT, s))));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the process that took the lock still runs (a killed run leaves its lock behind). */
function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // just taken, the pid not written yet; a lock without one for long was abandoned
    return Date.now() - statSync(lock).mtimeMs < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withLock(fn: () => void): Promise<void> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.build-lock');
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!existsSync(lock)) continue;
    if (!holderAlive(lock)) rmSync(lock, { recursive: true, force: true });
    else if (Date.now() > deadline)
      throw new Error(
        `another build has held ${lock} for ${BUILD_TIMEOUT_MS / 60_000} minutes; remove it if no build runs`,
      );
    else await sleep(500);
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `npm run build`'s webpack for each target that is missing or stale; the others are left alone. */
export async function ensureBuilt(...targets: DistTarget[]): Promise<void> {
  if (targets.every(isFresh)) return;
  await withLock(() => {
    // checked again under the lock: another worker may have built it while this one waited
    const stale = targets.filter((t) => !isFresh(t));
    if (stale.length === 0) return;
    const args = [
      require.resolve('webpack-cli/bin/cli.js'),
      '--mode',
      'production',
      ...stale.flatMap((t) => ['--config-name', t]),
    ];
    const b = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
    if (b.status !== 0)
      throw new Error(
        `building dist/${stale.join(', dist/')} failed (webpack ${args.slice(1).join(' ')}):\n${b.stdout}\n${b.stderr}`,
      );
    const unstamped = stale.filter((t) => !isFresh(t));
    if (unstamped.length > 0) {
      throw new Error(
        `dist/${unstamped.join(', dist/')} is still older than its sources after building: a source changed during the build (run again), or webpack wrote no ${STAMP}`,
      );
    }
  });
}

/** Runs the built CLI as a user does (a real Node process), without the debug traces: its exit code and output. */
export function runBundle(...argv: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(BUNDLE, argv, { encoding: 'utf8', env: { ...process.env, DRAGGAN_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
