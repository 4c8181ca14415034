import { HttpError } from './httpError';
import type { RequestContext } from './requestContext';
import { QueueClosedError, QueueFullError, type Admission, type WorkQueue } from './workQueue';

const shuttingDown = () =>
  new HttpError(503, 'shutting-down', 'this replica is shutting down; retry on another one', {
    headers: { 'retry-after': '1' },
  });

/** A queue refusal as its answer: 429 + Retry-After when full, 503 + Retry-After at shutdown. */
function refusal(e: unknown, queue: WorkQueue): unknown {
  if (e instanceof QueueFullError) {
    return new HttpError(429, 'busy', `${e.message}; retry later or on another replica`, {
      headers: { 'retry-after': String(queue.retryAfterSeconds()) },
    });
  }
  if (e instanceof QueueClosedError) return shuttingDown();
  return e;
}

/** A place in the queue for a request about to send its body, or the 429 / 503 that says why not. */
export function admit(queue: WorkQueue): Admission {
  try {
    return queue.admit();
  } catch (e) {
    throw refusal(e, queue);
  }
}

/**
 * Runs work through the bounded queue (on the request's admission) and turns every way it can fail to start into
 * the right answer: 429 + Retry-After when the queue is full, 503 + Retry-After at shutdown or when the time limit
 * passed while the request waited. Both are safe to retry (on another replica, or here later).
 */
export async function queued<T>(ctx: RequestContext, job: () => Promise<T>): Promise<T> {
  try {
    return await (ctx.admission ?? ctx.queue).run(job, ctx.signal);
  } catch (e) {
    const cause = ctx.stopCause();
    if (cause === 'time-limit')
      throw new HttpError(503, 'time-limit', 'the request waited in the queue past the time limit; retry later', {
        headers: { 'retry-after': String(ctx.queue.retryAfterSeconds()) },
      });
    if (cause === 'shutdown') throw shuttingDown();
    throw refusal(e, ctx.queue);
  }
}

/** Rejects when the signal aborts: for work that cannot be interrupted, so the answer at least comes in time. */
export function orAbort<T>(p: Promise<T>, ctx: RequestContext): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const cause = ctx.stopCause();
      reject(
        cause === 'time-limit' || cause === 'shutdown'
          ? new HttpError(
              503,
              cause,
              cause === 'time-limit' ? 'the request ran past the time limit' : 'this replica is shutting down',
              { headers: { 'retry-after': '1' } },
            )
          : ctx.signal.reason,
      );
    };
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => ctx.signal.removeEventListener('abort', onAbort));
  });
}
