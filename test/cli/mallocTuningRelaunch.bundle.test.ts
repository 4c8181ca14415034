/**
 * The built CLI relaunches itself once with glibc's malloc tuned (plugin/hosts/node/mallocTuningRelaunch.ts): what a
 * user sees is the same program (exit codes, output, signals), the tuning is set once, and their own settings or
 * DRAGGAN_NO_MALLOC_TUNING=1 keep it out. The relaunch happens on Linux with glibc only: elsewhere these tests skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { MALLOC_TUNABLES, wantsMallocRelaunch } from '../../plugin/hosts/node/mallocTuningRelaunch';
import { BUILD_TIMEOUT_MS, BUNDLE, ensureBuilt } from '../helpers/ensureBuilt';
import { workingPid } from '../helpers/workingPid';

const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
  ?.glibcVersionRuntime;
const onGlibc = process.platform === 'linux' && glibc !== undefined;
const linuxTest = onGlibc ? test : test.skip;
const TINY128 = join(__dirname, '../fixtures/packages/tiny128');

// the user's own environment, without any tuning this test's runner may have
const plainEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(GLIBC_TUNABLES|MALLOC_[A-Z_]+|DRAGGAN_\w+)$/.test(k)),
);

let dir: string;
let preload: string;
beforeAll(async () => {
  await ensureBuilt('node');
  dir = mkdtempSync(join(tmpdir(), 'draggan-relaunch-'));
  // each process running the CLI says who it is and what malloc tuning it started with
  preload = join(dir, 'who.js');
  writeFileSync(
    preload,
    "process.stderr.write(`@@who ${process.pid} ${process.ppid} ${process.env.GLIBC_TUNABLES ?? '-'}\\n`);\n",
  );
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Who {
  pid: number;
  ppid: number;
  tunables: string;
}
function whos(stderr: string): Who[] {
  return [...stderr.matchAll(/@@who (\d+) (\d+) (\S+)/g)].map((m) => ({
    pid: Number(m[1]),
    ppid: Number(m[2]),
    tunables: m[3],
  }));
}

function cli(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const r = spawnSync(process.execPath, ['--require', preload, BUNDLE, ...argv], {
    encoding: 'utf8',
    env: { ...plainEnv, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr.replace(/@@who .*\n/g, ''), who: whos(r.stderr) };
}

test('who is tuned: Linux with glibc, unless the user tuned malloc or opted out', () => {
  expect(wantsMallocRelaunch({}, 'linux', '2.36')).toBe(true);
  expect(wantsMallocRelaunch({}, 'linux', undefined)).toBe(false); // musl (Alpine)
  expect(wantsMallocRelaunch({}, 'darwin', undefined)).toBe(false);
  expect(wantsMallocRelaunch({ DRAGGAN_NO_MALLOC_TUNING: '1' }, 'linux', '2.36')).toBe(false);
  expect(wantsMallocRelaunch({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux', '2.36')).toBe(false);
  expect(wantsMallocRelaunch({ MALLOC_ARENA_MAX: '2' }, 'linux', '2.36')).toBe(false);
  expect(wantsMallocRelaunch({ DRAGGAN_MALLOC_TUNED: '1' }, 'linux', '2.36')).toBe(false);
});

linuxTest('the CLI runs once more, tuned, with the same Node options; stdout and the exit code pass through', () => {
  const plain = cli({ DRAGGAN_NO_MALLOC_TUNING: '1' }, '--help');
  const tuned = cli({}, '--help');
  expect(plain.who).toHaveLength(1);
  expect(plain.who[0].tunables).toBe('-');
  // the parent, untuned, and one child of it, tuned: no second relaunch
  expect(tuned.who).toHaveLength(2);
  expect(tuned.who[0].tunables).toBe('-');
  expect(tuned.who[1]).toEqual({ pid: tuned.who[1].pid, ppid: tuned.who[0].pid, tunables: MALLOC_TUNABLES });
  expect(tuned.code).toBe(plain.code);
  expect(tuned.out).toBe(plain.out);
  expect(tuned.out).toContain('usage: draggan');
});

linuxTest('a user-fixable error still exits 2 with its message', () => {
  const missing = join(dir, 'no-such-model');
  const plain = cli({ DRAGGAN_NO_MALLOC_TUNING: '1' }, 'generate', '--model', missing, '--seed', '1', '--out', 'x.png');
  const tuned = cli({}, 'generate', '--model', missing, '--seed', '1', '--out', 'x.png');
  expect(plain.code).toBe(2);
  expect(tuned.code).toBe(2);
  expect(tuned.err).toBe(plain.err);
  expect(tuned.who).toHaveLength(2);
});

linuxTest("the user's own malloc settings win: no relaunch", () => {
  const r = cli({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, '--help');
  expect(r.who).toEqual([{ pid: r.who[0].pid, ppid: r.who[0].ppid, tunables: 'glibc.malloc.arena_max=2' }]);
  expect(cli({ MALLOC_ARENA_MAX: '2' }, '--help').who).toHaveLength(1);
});

/** `draggan serve` on tiny128, once it listens. */
function serve(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; exited: Promise<[number | null, string | null]> }> {
  const child = spawn(BUNDLE, ['serve', '--model', TINY128, '--port', '0', '--no-warmup'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...plainEnv, ...env },
  });
  const exited = new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      if (/draggan serve: http:/.test(err)) resolve({ child, exited });
    });
    void exited.then(([c]) => reject(new Error(`draggan serve exited ${c}: ${err}`)));
  });
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

linuxTest(
  'SIGINT and SIGTERM sent to the CLI reach the server it runs, which stops as it would untuned',
  async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const plain = await serve({ DRAGGAN_NO_MALLOC_TUNING: '1' });
      plain.child.kill(signal);
      const plainEnd = await plain.exited;
      const tuned = await serve({});
      const server = workingPid(tuned.child.pid!);
      expect(server).not.toBe(tuned.child.pid);
      tuned.child.kill(signal);
      expect(await tuned.exited).toEqual(plainEnd);
      expect(alive(server)).toBe(false);
    }
  },
  120000,
);

linuxTest(
  'a CLI killed outright (SIGKILL) takes its tuned child with it; a child killed outright kills the CLI the same way',
  async () => {
    const a = await serve({});
    const serverA = workingPid(a.child.pid!);
    a.child.kill('SIGKILL');
    await a.exited;
    expect(await gone(serverA)).toBe(true);

    const b = await serve({});
    process.kill(workingPid(b.child.pid!), 'SIGKILL');
    expect(await b.exited).toEqual([null, 'SIGKILL']);
  },
  120000,
);
