import { ProtocolMismatchError, RemoteError, RemoteRequestError } from '../core/errors';
import { CallbackFailure } from './callbackFailure';
import { ndjsonLines } from './ndjson';
import { PROTOCOL_VERSION } from './protocol';
import { RetryableFailure } from './retryable';
import { WireError } from './wireError';
import { readObject, readString, type JsonObject } from './wireReader';

export interface StreamedReplyHandlers<T> {
  /** Each event between start and the end (step, preview, best); an exception from a host's callback comes out as CallbackFailure. */
  event(type: string, ev: JsonObject): void;
  /** The result event, decoded. */
  result(ev: JsonObject): T;
  /** The HTTP status a refusal in the stream counts as (the request was wrong: 400; the state was refused: 500). */
  refusedStatus: number;
}

/**
 * Reads a streamed reply (NDJSON: start, events, then result or error), the one reader for every route that
 * streams. The protocol is checked on start; an error event the server marks retryable, a broken connection, a
 * cut line or a garbled event is a RetryableFailure (another replica may answer); a stream that ends before its
 * result too. A host callback's exception (CallbackFailure) is never retried.
 */
export async function readStreamedReply<T>(
  res: Response,
  endpoint: string,
  signal: AbortSignal | undefined,
  on: StreamedReplyHandlers<T>,
): Promise<T> {
  try {
    for await (const line of ndjsonLines(res, signal)) {
      const ev = readObject(JSON.parse(line) as unknown, 'event');
      const type = readString(ev.type, 'event.type', 20);
      if (type === 'start') {
        if (ev.protocol !== PROTOCOL_VERSION)
          throw new ProtocolMismatchError(
            `the endpoint ${endpoint} speaks DragGAN protocol ${String(ev.protocol)}, this client speaks ${PROTOCOL_VERSION}`,
          );
      } else if (type === 'result') {
        return on.result(ev);
      } else if (type === 'error') {
        const err = readObject(ev.error, 'event.error');
        if (ev.retryable === true) throw new RetryableFailure(`${endpoint}: ${String(err.message)}`, 'busy');
        throw new RemoteRequestError(
          `the endpoint rejected the request: ${String(err.message)}`,
          on.refusedStatus,
          String(err.code),
          typeof err.field === 'string' ? err.field : undefined,
        );
      } else {
        on.event(type, ev);
      }
    }
  } catch (e) {
    if (e instanceof CallbackFailure || e instanceof RemoteError || e instanceof RetryableFailure) throw e;
    if (signal?.aborted) throw e;
    // a broken connection, a cut line (SyntaxError) or a garbled event: the replica failed; try another
    const what =
      e instanceof WireError
        ? `a malformed event (${e.message})`
        : `the stream broke off (${e instanceof Error ? e.message : String(e)})`;
    throw new RetryableFailure(`${endpoint}: ${what}`, 'network');
  }
  throw new RetryableFailure(`${endpoint}: the stream ended before the result`, 'network');
}

/** Runs a host's callback; its exception is the host's, not the stream's: never retried. */
export function hostCallback(f: () => void): void {
  try {
    f();
  } catch (e) {
    throw new CallbackFailure(e);
  }
}
