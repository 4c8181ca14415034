import { concatBytes } from '../codecs/concatBytes';
import { decodeUtf8 } from '../codecs/utf8';
import { untilAborted } from './untilAborted';

/**
 * The lines of an NDJSON body as they arrive. Falls back to reading the whole body where a fetch has no streaming
 * body (some embedded runtimes): the events then come at once, which is late but still correct. Bytes are split at
 * newlines before decoding (a newline byte is never inside a UTF-8 sequence), so no streaming TextDecoder is needed:
 * UXP has none. With a signal, an abort stops the reading at once and cancels the body, also where fetch itself
 * ignores signals (UXP), so the connection is not left streaming to nobody.
 */
export async function* ndjsonLines(res: Response, signal?: AbortSignal): AsyncGenerator<string> {
  const body = res.body;
  if (!body || typeof body.getReader !== 'function') {
    for (const line of (await res.text()).split('\n')) if (line.trim()) yield line;
    return;
  }
  const reader = body.getReader();
  let pending: Uint8Array[] = [];
  const take = (last: Uint8Array, end: number): string => {
    const all = concatBytes([...pending, last.subarray(0, end)]);
    pending = [];
    return decodeUtf8(all);
  };
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await untilAborted(reader.read(), signal);
      } catch (e) {
        if (signal?.aborted) void reader.cancel().catch(() => undefined);
        throw e;
      }
      const { done, value } = read;
      if (done) break;
      let chunk: Uint8Array = value;
      let nl: number;
      while ((nl = chunk.indexOf(0x0a)) >= 0) {
        const line = take(chunk, nl);
        chunk = chunk.subarray(nl + 1);
        if (line.trim()) yield line;
      }
      if (chunk.length > 0) pending.push(chunk);
    }
    const rest = take(new Uint8Array(0), 0);
    if (rest.trim()) yield rest;
  } finally {
    reader.releaseLock();
  }
}
