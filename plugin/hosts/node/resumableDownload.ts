/**
 * Downloads one file into a `.partial` file that survives interruptions: each attempt asks for the bytes it lacks
 * (an HTTP Range request from the partial file's size), so a connection dropped at 300 of 350 MB costs 50 MB, in
 * this run (retries) or the next. Errors the user must act on are UserFixableErrors that say what happened; on those
 * the partial file is removed (a 404, a wrong size, a full disk), except where resuming later is the fix (the
 * server stayed unreachable or failing: the bytes so far are kept).
 */
import { createReadStream } from 'fs';
import { open, rm, stat } from 'fs/promises';
import { createHash } from 'crypto';
import { UserFixableError } from '../../core/errors';
import { missingFileHint, parseContentRange, RETRYABLE_STATUSES } from '../../model/download/contentRange';
import { DownloadError } from '../../model/download/downloadError';

export interface DownloadOptions {
  readonly url: string;
  /** Where the bytes accumulate; its size on entry is where the download resumes. */
  readonly partialPath: string;
  /** Size the finished file must have, when known (the catalog's, or the user's --bytes). */
  readonly expectedBytes: number | null;
  /** Retries after failed attempts in a row (an attempt that gains bytes resets the count); 5 by default. */
  readonly retries?: number;
  /** Wait before the n-th retry (n from 1); doubling from 1 s by default. */
  readonly retryDelayMs?: (n: number) => number;
  /** An attempt that receives nothing for this long is dropped and retried (default 60 s). */
  readonly stallMs?: number;
  readonly onProgress?: (done: number, total: number | null) => void;
  /** Notes for the user (a retry, a resume). */
  readonly onNote?: (text: string) => void;
  readonly signal?: AbortSignal;
}

export interface DownloadResult {
  readonly bytes: number;
  /** Attempts that asked for a range (resumed) rather than the whole file. */
  readonly resumedAttempts: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

function diskProblem(e: unknown, path: string): DownloadError | null {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOSPC')
    return new DownloadError(
      `the disk is full while writing ${path}: free some space and pull again (the partial download was removed)`,
    );
  if (code === 'EDQUOT')
    return new DownloadError(
      `the disk quota is used up while writing ${path}: free some space and pull again (the partial download was removed)`,
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new DownloadError(
      `cannot write ${path}: ${code === 'EROFS' ? 'read-only file system' : 'permission denied'}`,
    );
  return null;
}

/** One attempt's outcome: `done`, or `retry` (with why), after writing what arrived to the partial file. */
type Attempt = { kind: 'done' } | { kind: 'retry'; why: string; gained: number };

async function attempt(o: DownloadOptions, have: number, total: { value: number | null }): Promise<Attempt> {
  const controller = new AbortController();
  const stallMs = o.stallMs ?? 60_000;
  let stall: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(stall);
    stall = setTimeout(() => controller.abort(new Error(`nothing received for ${stallMs / 1000} s`)), stallMs);
  };
  const onAbort = () => controller.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  arm();
  try {
    let res: Response;
    try {
      res = await fetch(o.url, {
        headers: have > 0 ? { Range: `bytes=${have}-` } : {},
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (e) {
      if (o.signal?.aborted) throw e;
      return { kind: 'retry', why: `cannot reach ${o.url}: ${causeText(e)}`, gained: 0 };
    }
    const range = parseContentRange(res.headers.get('content-range'));
    if (res.status === 416 && have > 0) {
      // the partial file already holds everything, or more than the file has: the server's total decides
      await res.body?.cancel();
      if (range?.total === have) return { kind: 'done' };
      await rm(o.partialPath, { force: true });
      return {
        kind: 'retry',
        why: 'the partial download does not fit the file on the server; starting again',
        gained: 0,
      };
    }
    if (RETRYABLE_STATUSES.has(res.status)) {
      await res.body?.cancel();
      return { kind: 'retry', why: `the server answered HTTP ${res.status} ${res.statusText}`, gained: 0 };
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      // the file is not (or no longer) there as it was: bytes of it kept from before are of no use
      await rm(o.partialPath, { force: true });
      const hint = missingFileHint(res.status, 'give another with --url');
      throw new DownloadError(`downloading ${o.url} failed: HTTP ${res.status} ${res.statusText}${hint}`);
    }
    let start = 0;
    if (res.status === 206) {
      if (range === null || range.start === null) {
        await res.body?.cancel();
        await rm(o.partialPath, { force: true });
        throw new DownloadError(
          `${o.url} answered a range request with a malformed Content-Range (${res.headers.get('content-range') ?? 'none'}); nothing was kept`,
        );
      }
      start = range.start;
      if (start !== have) {
        // not the bytes asked for: trust nothing of the partial file and fetch the whole file next time
        await res.body?.cancel();
        await rm(o.partialPath, { force: true });
        return { kind: 'retry', why: `the server sent bytes from ${start}, not ${have}; starting again`, gained: 0 };
      }
      total.value = range.total;
    } else {
      // 200: the whole file (a server without Range support starts from 0)
      const length = res.headers.get('content-length');
      total.value = length !== null && /^\d+$/.test(length) ? Number(length) : null;
      if (have > 0) o.onNote?.('the server does not resume downloads; starting again from the beginning');
    }
    if (total.value !== null && o.expectedBytes !== null && total.value !== o.expectedBytes) {
      await res.body?.cancel();
      await rm(o.partialPath, { force: true });
      throw new DownloadError(
        `${o.url} is ${total.value} bytes, not the ${o.expectedBytes} expected: a different or changed file; nothing was kept`,
      );
    }
    if (res.body === null) return { kind: 'retry', why: 'the server sent no body', gained: 0 };
    let file;
    try {
      file = await open(o.partialPath, start === 0 ? 'w' : 'a');
    } catch (e) {
      await res.body.cancel();
      const problem = diskProblem(e, o.partialPath);
      if (problem) await rm(o.partialPath, { force: true }).catch(() => undefined);
      throw problem ?? e;
    }
    let written = start;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        arm();
        try {
          await file.write(chunk);
        } catch (e) {
          const problem = diskProblem(e, o.partialPath);
          if (problem) {
            await file.close().catch(() => undefined);
            await rm(o.partialPath, { force: true });
            throw problem;
          }
          throw e;
        }
        written += chunk.length;
        o.onProgress?.(written, total.value);
        if (o.expectedBytes !== null && written > o.expectedBytes) {
          await rm(o.partialPath, { force: true });
          throw new DownloadError(
            `${o.url} sent more than the ${o.expectedBytes} bytes expected: a different or changed file; nothing was kept`,
          );
        }
      }
    } catch (e) {
      if (e instanceof UserFixableError || o.signal?.aborted) throw e;
      // a dropped connection: what arrived stays in the partial file for the next attempt
      return {
        kind: 'retry',
        why: `the connection broke after ${mb(written)}: ${causeText(e)}`,
        gained: written - have,
      };
    } finally {
      await file.close().catch(() => undefined);
      await reader.cancel().catch(() => undefined);
    }
    if (total.value !== null && written < total.value)
      return {
        kind: 'retry',
        why: `the connection ended after ${mb(written)} of ${mb(total.value)}`,
        gained: written - have,
      };
    return { kind: 'done' };
  } finally {
    clearTimeout(stall);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: unknown }).cause;
  const text = e instanceof Error ? e.message : String(e);
  return cause instanceof Error && cause.message !== text ? `${text} (${cause.message})` : text;
}

/**
 * Downloads `o.url` into `o.partialPath`, resuming from what is there. Returns once the file is whole (its size
 * matches the server's and `expectedBytes`); the caller checks the hash and moves it.
 */
export async function downloadResumable(o: DownloadOptions): Promise<DownloadResult> {
  const retries = o.retries ?? 5;
  const delay = o.retryDelayMs ?? ((n: number) => 1000 * 2 ** (n - 1));
  const total = { value: null as number | null };
  let failures = 0;
  let resumedAttempts = 0;
  for (;;) {
    let have = await sizeOf(o.partialPath);
    if (o.expectedBytes !== null && have > o.expectedBytes) {
      await rm(o.partialPath, { force: true });
      have = 0;
    }
    if (have > 0 && o.expectedBytes !== null && have === o.expectedBytes) break;
    if (have > 0) {
      resumedAttempts++;
      o.onNote?.(`resuming at ${mb(have)}`);
    }
    let r: Attempt;
    try {
      r = await attempt(o, have, total);
    } catch (e) {
      if (!o.signal?.aborted || e instanceof UserFixableError) throw e;
      r = { kind: 'retry', why: 'stopped', gained: 0 };
    }
    if (o.signal?.aborted)
      throw new DownloadError(
        `download stopped; run the same command again to resume from ${mb(await sizeOf(o.partialPath))}`,
      );
    if (r.kind === 'done') break;
    failures = r.gained > 0 ? 1 : failures + 1;
    if (failures > retries) {
      const kept = await sizeOf(o.partialPath);
      throw new DownloadError(
        `downloading ${o.url} failed ${failures} times in a row; last: ${r.why}${kept > 0 ? ` (${mb(kept)} kept: run the same command again to resume)` : ''}`,
      );
    }
    o.onNote?.(`${r.why}; retrying`);
    await sleep(delay(failures), o.signal);
  }
  const bytes = await sizeOf(o.partialPath);
  if (o.expectedBytes !== null && bytes !== o.expectedBytes) {
    await rm(o.partialPath, { force: true });
    throw new DownloadError(`${o.url} gave ${bytes} bytes, not the ${o.expectedBytes} expected; nothing was kept`);
  }
  return { bytes, resumedAttempts };
}

/** The sha256 of a file, lower-case hex, read as a stream (checkpoints are hundreds of megabytes). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
