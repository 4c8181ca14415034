/**
 * A resumable download for hosts whose fetch may give no stream (UXP documents `Response.body` only from UXP 7.3,
 * Photoshop 25.2; the panel runs from 24.4): the file is asked for in ranges of `chunkBytes`, each read whole with
 * `arrayBuffer()` and appended to the partial download, so memory stays at one range, progress moves per range,
 * Cancel takes effect between ranges (UXP's fetch takes no AbortSignal) and an interruption costs one range. A server
 * that ignores Range answers 200 with the whole file, which is taken in one piece.
 */
import { DownloadError, DownloadStopped, DownloadUnreachable } from './downloadError';
import { missingFileHint, parseContentRange, RETRYABLE_STATUSES } from './contentRange';
import type { PartialDownload } from './modelStorage';

/** What is read of an answer: no body stream is assumed. */
export interface RangeResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type RangeFetch = (url: string, init: { headers: Record<string, string> }) => Promise<RangeResponse>;

export interface ChunkedDownloadOptions {
  readonly url: string;
  readonly fetch: RangeFetch;
  readonly file: PartialDownload;
  /** The size the file must have where the catalog knows it; otherwise the first answer's size is held to. */
  readonly expectedBytes: number | null;
  /** Bytes asked for at a time (8 MiB by default). */
  readonly chunkBytes?: number;
  /** Failed attempts in a row before giving up (an attempt that gains bytes resets the count); 5 by default. */
  readonly retries?: number;
  /** Wait before the n-th retry in a row (n from 1); doubling from 1 s by default. */
  readonly retryDelayMs?: (n: number) => number;
  readonly onProgress?: (done: number, total: number | null) => void;
  readonly onNote?: (text: string) => void;
  /** Polled while a range is in flight and between ranges: true stops the download, keeping what arrived. */
  readonly cancelled?: () => boolean;
  /** A range that has not arrived whole after this long is given up and asked again (default 120 s). */
  readonly rangeTimeoutMs?: number;
}

class RangeTimeout extends Error {}

/**
 * A range's request and body, given up on Cancel or after `timeoutMs`. UXP's fetch cannot be aborted, so a given-up
 * request is left to end by itself and its bytes are dropped; only the download moves on.
 */
function untilCancelled<T>(work: Promise<T>, cancelled: () => boolean, timeoutMs: number, have: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const end = Date.now() + timeoutMs;
    const poll = setInterval(() => {
      if (cancelled())
        reject(new DownloadStopped(`download stopped at ${mb(have)}; download again to resume from there`));
      else if (Date.now() > end) reject(new RangeTimeout(`nothing complete for ${timeoutMs / 1000} s`));
    }, 100);
    work.then(resolve, reject).finally(() => clearInterval(poll));
  });
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

const sleep = (ms: number, cancelled: () => boolean) =>
  new Promise<void>((resolve) => {
    const end = Date.now() + ms;
    const tick = () =>
      cancelled() || Date.now() >= end ? resolve() : setTimeout(tick, Math.min(100, end - Date.now()));
    tick();
  });

function causeText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Downloads `o.url` into `o.file`, resuming from what it holds; returns the file's size once it is whole. */
export async function downloadInChunks(o: ChunkedDownloadOptions): Promise<number> {
  const chunk = o.chunkBytes ?? 8 * 2 ** 20;
  const retries = o.retries ?? 5;
  const delay = o.retryDelayMs ?? ((n: number) => 1000 * 2 ** (n - 1));
  const cancelled = o.cancelled ?? (() => false);
  let total = o.expectedBytes;
  let failures = 0;
  /** Whether any answer came: a download that never had one cannot reach the server at all. */
  let answered = false;
  const wrongSize = async (size: number) => {
    await o.file.clear();
    return new DownloadError(
      `${o.url} is ${size} bytes, not the ${total} expected: a different or changed file; nothing was kept`,
    );
  };
  for (let have = await o.file.size(); ; have = await o.file.size()) {
    if (total !== null && have > total) {
      await o.file.clear();
      have = 0;
    }
    if (total !== null && have === total) return have;
    if (cancelled()) throw new DownloadStopped(`download stopped at ${mb(have)}; download again to resume from there`);
    const last = total === null ? have + chunk - 1 : Math.min(have + chunk, total) - 1;
    let why: string | null = null;
    let gained = 0;
    let done = false;
    try {
      const timeout = o.rangeTimeoutMs ?? 120_000;
      const res = await untilCancelled(
        o.fetch(o.url, { headers: { Range: `bytes=${have}-${last}` } }),
        cancelled,
        timeout,
        have,
      );
      const bodyBytes = async () => new Uint8Array(await untilCancelled(res.arrayBuffer(), cancelled, timeout, have));
      answered = true;
      const range = parseContentRange(res.headers.get('content-range'));
      if (res.status === 416 && have > 0) {
        // what is kept is already the whole file, or more than the file has: the server's total decides
        if (range?.total === have) return have;
        await o.file.clear();
        why = 'the partial download does not fit the file on the server; starting again';
      } else if (RETRYABLE_STATUSES.has(res.status)) {
        why = `the server answered HTTP ${res.status} ${res.statusText}`;
      } else if (res.status === 206) {
        if (range === null || range.start === null) {
          await o.file.clear();
          throw new DownloadError(
            `${o.url} answered a range request with a malformed Content-Range (${res.headers.get('content-range') ?? 'none'}); nothing was kept`,
          );
        }
        if (range.total !== null) {
          if (total !== null && range.total !== total) throw await wrongSize(range.total);
          total = range.total;
        }
        if (range.start !== have) {
          // not the bytes asked for: trust nothing kept and start again
          await o.file.clear();
          why = `the server sent bytes from ${range.start}, not ${have}; starting again`;
        } else {
          const bytes = await bodyBytes();
          if (total !== null && have + bytes.length > total) throw await wrongSize(have + bytes.length);
          await o.file.append(bytes);
          gained = bytes.length;
          const asked = last - have + 1;
          if (bytes.length < asked) {
            if (total === null) done = true;
            else why = `the connection ended after ${mb(have + bytes.length)} of ${mb(total)}`;
          }
        }
      } else if (res.status === 200) {
        // the whole file: the server does not do ranges
        const length = res.headers.get('content-length');
        const declared = length !== null && /^\d+$/.test(length) ? Number(length) : null;
        if (declared !== null && total !== null && declared !== total) throw await wrongSize(declared);
        if (have > 0) o.onNote?.('the server does not resume downloads; starting again from the beginning');
        const bytes = await bodyBytes();
        await o.file.clear();
        if (total !== null && bytes.length > total) throw await wrongSize(bytes.length);
        await o.file.append(bytes);
        gained = bytes.length;
        total ??= declared ?? bytes.length;
        if (bytes.length < total) why = `the connection ended after ${mb(bytes.length)} of ${mb(total)}`;
      } else {
        // the file is not (or no longer) there as it was: bytes of it kept from before are of no use
        await o.file.clear();
        throw new DownloadError(
          `downloading ${o.url} failed: HTTP ${res.status} ${res.statusText}${missingFileHint(res.status, 'download it yourself and use Import .pkl')}`,
        );
      }
    } catch (e) {
      if (e instanceof DownloadError) throw e;
      // fetch or the body failed: unreachable, or the connection broke; what arrived before this range is kept
      why = `the connection failed at ${mb(have + gained)}: ${causeText(e)}`;
    }
    o.onProgress?.(have + gained, total);
    if (done) return have + gained;
    if (why === null) {
      failures = 0;
      continue;
    }
    failures = gained > 0 ? 1 : failures + 1;
    if (failures > retries) {
      const kept = await o.file.size();
      if (!answered && kept === 0) throw new DownloadUnreachable(`cannot download ${o.url}: ${why}`);
      throw new DownloadError(
        `downloading ${o.url} failed ${failures} times in a row; last: ${why}${kept > 0 ? ` (${mb(kept)} kept: download again to resume)` : ''}`,
      );
    }
    o.onNote?.(`${why}; retrying`);
    await sleep(delay(failures), cancelled);
  }
}
