import type { IncomingMessage } from 'http';
import { HttpError } from './httpError';

export interface BodyLimits {
  /** Largest body in bytes. */
  maxBytes: number;
  /** Longest pause between two pieces of the body. */
  idleMs: number;
  /** How long the whole request may take to arrive, counted from `startedAt` (epoch ms). */
  totalMs: number;
  startedAt: number;
  /** Stops the read (shutdown, time limit, client gone); the promise rejects with the signal's reason. */
  signal: AbortSignal;
}

/** The body's size from Content-Length; undefined when not given (a chunked body). */
export function declaredLength(req: IncomingMessage): number | undefined {
  const declared = Number(req.headers['content-length']);
  return req.headers['content-length'] !== undefined && Number.isFinite(declared) && declared >= 0
    ? declared
    : undefined;
}

/** A declared Content-Length over the limit: refused before anything is admitted or read. */
export function declaredTooLarge(req: IncomingMessage, maxBytes: number): HttpError | undefined {
  const declared = declaredLength(req);
  return declared !== undefined && declared > maxBytes ? bodyTooLarge(maxBytes) : undefined;
}

function bodyTooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    'body-too-large',
    `the request body is larger than the server's limit of ${maxBytes} bytes`,
  );
}

/**
 * The request body as text, read into one buffer no larger than the limit (sized from Content-Length when given,
 * so nothing is copied twice). Refuses as soon as the count passes the limit, when the client pauses longer than
 * `idleMs` or is not done by the deadline (slow clients must not hold a place in the queue), and when the signal
 * aborts. The caller answers and closes the connection; nothing more of the body is kept.
 */
export function readBody(req: IncomingMessage, o: BodyLimits): Promise<string> {
  const early = declaredTooLarge(req, o.maxBytes);
  if (early) return Promise.reject(early);
  if (o.signal.aborted) return Promise.reject(o.signal.reason);
  const declared = declaredLength(req);
  return new Promise((resolve, reject) => {
    let buf = Buffer.allocUnsafe(declared ?? Math.min(o.maxBytes, 64 << 10));
    let size = 0;
    let idle: NodeJS.Timeout | undefined;
    const fail = (e: unknown) => {
      finish();
      buf = Buffer.alloc(0);
      reject(e);
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () =>
          fail(
            new HttpError(
              408,
              'body-timeout',
              `the request body stopped arriving (nothing for ${o.idleMs / 1000} s); send it at once`,
            ),
          ),
        o.idleMs,
      );
    };
    const whole = setTimeout(
      () =>
        fail(
          new HttpError(
            408,
            'body-timeout',
            `the request body did not arrive within ${o.totalMs / 1000} s; send it at once`,
          ),
        ),
      Math.max(0, o.startedAt + o.totalMs - Date.now()),
    );
    const onAbort = () => fail(o.signal.reason);
    const onData = (c: Buffer) => {
      armIdle();
      if (size + c.length > o.maxBytes) return fail(bodyTooLarge(o.maxBytes));
      if (size + c.length > buf.length) {
        // no or a wrong Content-Length: grow by doubling, never past the limit
        const bigger = Buffer.allocUnsafe(Math.min(o.maxBytes, Math.max(size + c.length, 2 * buf.length)));
        buf.copy(bigger, 0, 0, size);
        buf = bigger;
      }
      c.copy(buf, size);
      size += c.length;
    };
    const onEnd = () => {
      finish();
      resolve(buf.toString('utf8', 0, size));
    };
    const onError = (e: Error) =>
      fail(new HttpError(400, 'body-unreadable', `the request body could not be read: ${e.message}`));
    const onClose = () => {
      if (!req.complete)
        fail(new HttpError(400, 'body-unreadable', 'the client closed the connection before the body was complete'));
    };
    function finish() {
      clearTimeout(idle);
      clearTimeout(whole);
      o.signal.removeEventListener('abort', onAbort);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    }
    o.signal.addEventListener('abort', onAbort, { once: true });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    armIdle();
  });
}
