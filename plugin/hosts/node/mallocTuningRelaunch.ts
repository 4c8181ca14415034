/**
 * The CLI run once more, in a child process whose environment tunes glibc's malloc: glibc reads GLIBC_TUNABLES only
 * when a process starts, so a process cannot tune itself. Why (issue 23): every onnxruntime session build copies the
 * weights into fresh memory, and every fresh 4 KB page is a page fault; with these settings malloc's memory comes in
 * transparent huge pages and freed blocks stay for the next build. Measured on a 512 px model, `drag --steps 5`:
 * minor faults 360-390k -> ~16k, CPU time 7.1-9.4 s -> 5.8-6.8 s (load 4-5), outputs byte-identical, peak +30-80 MB.
 * Linux with glibc only, and only where the user has not tuned malloc already; DRAGGAN_NO_MALLOC_TUNING=1 turns it
 * off. The parent only waits: the exit code and the child's signal pass through, signals sent to the parent reach
 * the child, and a parent killed outright (SIGKILL) takes the child with it: util-linux's setpriv --pdeathsig has the
 * kernel kill the child when its parent dies (Node cannot set that itself; watching the parent from the child's
 * own threads took 20 ms or more, long enough for a killed import to finish its folder). No setpriv: no relaunch.
 */
import { spawn } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { constants } from 'os';

export const MALLOC_TUNABLES = [
  // malloc's memory in transparent huge pages (madvise): 2 MB per fault where the weight copies took 4 KB
  'glibc.malloc.hugetlb=1',
  // onnxruntime builds sessions on other threads: one arena keeps their memory in the (huge-paged) main heap too
  'glibc.malloc.arena_max=1',
  // blocks up to 32 MB (glibc's largest threshold) from the heap, kept when freed, instead of mapped afresh
  'glibc.malloc.mmap_threshold=33554432',
  // freed heap kept for the next build rather than given back at 64 MB
  'glibc.malloc.trim_threshold=4294967296',
  'glibc.malloc.top_pad=268435456',
].join(':');

export const OPT_OUT = 'DRAGGAN_NO_MALLOC_TUNING';
/** Set in the child's environment: this process is the tuned one (it must not relaunch again). */
const RELAUNCHED = 'DRAGGAN_MALLOC_TUNED';
/** The user's own malloc settings, which win. */
const USER_TUNING = /^(GLIBC_TUNABLES|MALLOC_[A-Z_]+)$/;
const SETPRIV = '/usr/bin/setpriv';

/** Whether a process with this environment should run itself once more with MALLOC_TUNABLES. */
export function wantsMallocRelaunch(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  glibcVersion: string | undefined,
): boolean {
  if (platform !== 'linux' || glibcVersion === undefined) return false;
  if (env[OPT_OUT] === '1' || env[RELAUNCHED] !== undefined) return false;
  return !Object.keys(env).some((k) => USER_TUNING.test(k) && env[k] !== undefined);
}

/** The runtime glibc's version; undefined on other C libraries (musl: Alpine) and other systems. */
function glibcVersion(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}

/** What runs this program again: node with its options and the script, or a single executable with the user's args. */
function relaunchArgs(): string[] {
  // A single executable application repeats its own path as argv[1] and takes no Node options
  // (https://nodejs.org/api/single-executable-applications.html); node:sea is Node's own module.
  const sea = require('node:sea') as { isSea(): boolean };
  return sea.isSea() ? process.argv.slice(2) : [...process.execArgv, ...process.argv.slice(1)];
}

/**
 * In the tuned child: the environment back as the user had it (so programs it starts, python for `bench --torch`,
 * run untuned and another draggan tunes itself). Returns undefined: run here.
 * In a process that should be tuned: runs the tuned child and resolves to its exit code once it has ended (or
 * kills this process with the child's signal). Elsewhere undefined: run here.
 */
export function relaunchWithMallocTuning(): Promise<number> | undefined {
  if (process.env[RELAUNCHED] !== undefined) {
    delete process.env[RELAUNCHED];
    delete process.env.GLIBC_TUNABLES;
    return undefined;
  }
  if (!wantsMallocRelaunch(process.env, process.platform, glibcVersion()) || !existsSync(SETPRIV)) return undefined;
  return new Promise((resolve) => {
    const child = spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', process.execPath, ...relaunchArgs()], {
      stdio: 'inherit',
      env: { ...process.env, GLIBC_TUNABLES: MALLOC_TUNABLES, [RELAUNCHED]: '1' },
    });
    const forward = (signal: NodeJS.Signals) => {
      // A terminal sends Ctrl-C (and its hang-up and quit) to its whole foreground process group, the child
      // included: forwarding it too would be a second Ctrl-C, which stops a drag without writing its outputs.
      if (signal !== 'SIGTERM' && inTerminalForeground()) return;
      child.kill(signal);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
    for (const s of signals) process.on(s, forward);
    child.on('error', (e) => {
      process.stderr.write(`draggan: could not start itself with malloc tuning (${e.message}); set ${OPT_OUT}=1\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal !== null) {
        // die the same way, so a shell sees what a user's Ctrl-C or kill did to the program
        process.kill(process.pid, signal);
        resolve(128 + (constants.signals[signal] ?? 0));
      } else resolve(code ?? 1);
    });
  });
}

/** This process is in its controlling terminal's foreground process group (/proc/self/stat: pgrp, tpgid). */
function inTerminalForeground(): boolean {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const [pgrp, tpgid] = [Number(f[2]), Number(f[5])];
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return false;
  }
}
