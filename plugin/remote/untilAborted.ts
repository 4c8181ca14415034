/**
 * Waits for a promise, or rejects with the signal's reason as soon as it aborts, whichever comes first. For runtimes
 * whose fetch takes no AbortSignal (UXP's fetch documents method, headers, body and credentials only): the request
 * itself may run on, but the caller stops waiting for it, so Stop answers at once.
 */
export function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    // nobody waits for it now: its rejection (e.g. a read of the body the abort errored) must not go unhandled
    p.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const e = new Error('the operation was aborted');
  e.name = 'AbortError';
  return e;
}
