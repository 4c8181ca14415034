/**
 * A burst of image bombs sent to `draggan serve` (the built CLI, a process of its own) while /healthz is probed:
 * shared by test/server/imageBombs.test.ts (a small --image-budget) and `npm run bench:bombs` (the real default).
 * Each probe also reads the CPU time the server's main thread (the event loop) spent while it waited: a probe held
 * behind work on the event loop waits while that thread computes, one slowed by a busy machine waits while it does
 * not, so that figure tells what the burst costs the event loop from what the machine's load costs. Probes run
 * before the burst too, for comparison. Peak RSS is the server's own high-water mark (/proc/PID/status VmHWM: its
 * worker thread included), of the process that serves (workingPid: not a parent that only waits).
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../plugin/remote/protocol';
import { BUNDLE } from '../helpers/ensureBuilt';
import { pngFile } from '../helpers/pngFile';
import { pngLyingBomb } from '../model/bombs/recipes';
import { workingPid } from '../helpers/workingPid';

export const TINY128 = join(__dirname, '../fixtures/packages/tiny128');
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** CPU time the main thread has used so far, ms (clock-tick resolution: 10 ms on Linux). */
  mainThreadCpuMs(): number;
  /** The server's peak resident memory so far, in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/** `draggan serve --model tiny128 --port 0 --no-warmup ...extra`, once it says where it listens. */
export function startServe(extra: string[]): Promise<ServeProcess> {
  const child = spawn(BUNDLE, ['serve', '--model', TINY128, '--port', '0', '--no-warmup', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /draggan serve: (http:\/\/\S+)/.exec(err);
      if (!m) return;
      const pid = workingPid(child.pid!);
      resolve({
        url: m[1],
        child,
        mainThreadCpuMs: () => {
          // /proc/PID/task/PID/stat: fields 14 and 15 (utime, stime) after the parenthesised command name
          const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
          return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
        },
        peakRss: () => 1024 * Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]),
        stop: () =>
          new Promise<void>((r) => {
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`draggan serve exited ${code}: ${err}`)));
  });
}

export interface Reply {
  status: number;
  message: string;
}

export function invertBody(png: Uint8Array): string {
  return JSON.stringify({
    model: 'tiny128',
    image: { png: Buffer.from(png).toString('base64') },
    steps: 1,
    preview: 'none',
  });
}

export async function invert(url: string, body: string): Promise<Reply> {
  const res = await fetch(`${url}/v1/invert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    body,
  });
  const j = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: j.error?.message ?? '' };
}

/**
 * The burst's kinds of image, for a per-image budget of `budgetMb`: a small file declaring far more than the
 * budget (refused from its header), a greyscale one just under it (decoded in full by the worker, then refused: the
 * model wants RGB), an RGB one just under it (decoded, resized and inverted), and one whose data lies about its size.
 */
export function bombs(budgetMb: number): {
  declared: Uint8Array;
  grey: Uint8Array;
  rgb: Uint8Array;
  lying: Uint8Array;
} {
  // the server's count (imageDecoder.ts): inflated rows + 12 bytes a pixel + the resize to 128 px
  const side = (bytesPerPixel: number) => {
    let s = 64;
    while ((s + 64) * (s + 64) * (bytesPerPixel + 12) + 24 * 128 * (s + 64) < 0.95 * budgetMb * 2 ** 20) s += 64;
    return s;
  };
  const g = side(1);
  const c = side(3);
  return {
    declared: pngFile(7000, 7000, new Uint8Array((7000 * 56001) / 64), { depth: 16, colour: 6 }),
    grey: pngFile(g, g, new Uint8Array(g * (g + 1)), { colour: 0 }),
    rgb: pngFile(c, c, new Uint8Array(c * (3 * c + 1))),
    lying: pngLyingBomb(false),
  };
}

/** One /healthz round trip: its wall time, and the CPU time the server's event loop used meanwhile. */
export interface Probe {
  wallMs: number;
  serverCpuMs: number;
}

export interface BurstResult {
  /** Before the burst. */
  idle: Probe[];
  /** While the burst was in work. */
  burst: Probe[];
  replies: Reply[];
}

async function probe(serve: ServeProcess): Promise<Probe> {
  const cpu0 = serve.mainThreadCpuMs();
  const t0 = performance.now();
  const r = await fetch(`${serve.url}/healthz`);
  await r.text();
  return { wallMs: performance.now() - t0, serverCpuMs: serve.mainThreadCpuMs() - cpu0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `idleProbes` probes 20 ms apart, then all `bodies` sent at once with probes 20 ms apart until every reply is in. */
export async function bombBurst(serve: ServeProcess, bodies: string[], idleProbes = 30): Promise<BurstResult> {
  const idle: Probe[] = [];
  for (let i = 0; i < idleProbes; i++) {
    idle.push(await probe(serve));
    await sleep(20);
  }
  const burst: Probe[] = [];
  let bursting = true;
  const probing = (async () => {
    while (bursting) {
      burst.push(await probe(serve));
      await sleep(20);
    }
  })();
  const replies = await Promise.all(bodies.map((b) => invert(serve.url, b)));
  bursting = false;
  await probing;
  return { idle, burst, replies };
}

/** The q-quantile (0..1) of ms values. */
export function quantile(ms: number[], q: number): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
