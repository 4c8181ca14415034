/** The queue is full: the caller should answer 429 with Retry-After. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

/** The queue stopped taking work (shutdown): answer 503. */
export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
}

interface Waiting {
  start(): void;
  fail(e: Error): void;
}

/**
 * A bounded work queue: at most `concurrency` jobs run (a GPU or the CPU's threads are the real limit, so more
 * would only make each slower), at most `capacity` wait; beyond that a request is refused at once rather than
 * left to time out. Tracks how long jobs take, to suggest a Retry-After.
 */
export class WorkQueue {
  private active = 0;
  private readonly waiting: Waiting[] = [];
  private closed = false;
  private avgMs = 1000;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Seconds until a slot is likely free, from the recent average job time; at least 1. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.waiting.length + 1) * this.avgMs) / this.concurrency / 1000));
  }

  /**
   * Runs `job` when a slot is free. Rejects with QueueFullError when too many wait, QueueClosedError after close(),
   * or the signal's reason when it aborts while still waiting (a job that has started is not interrupted here).
   */
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new QueueClosedError('the server is shutting down'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active >= this.concurrency && this.waiting.length >= this.capacity) {
      return Promise.reject(new QueueFullError(`the server is busy: ${this.active} running, ${this.waiting.length} waiting`));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      const entry: Waiting = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          const t0 = Date.now();
          job()
            .then(resolve, reject)
            .finally(() => {
              this.avgMs = 0.8 * this.avgMs + 0.2 * (Date.now() - t0);
              this.active--;
              this.next();
            });
        },
        fail: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.next();
    });
  }

  private next(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) this.waiting.shift()?.start();
    if (this.active === 0 && this.waiting.length === 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Stops taking work and fails everything still waiting; running jobs go on. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.fail(new QueueClosedError('the server is shutting down'));
    this.next();
  }

  /** Resolves when no job runs. */
  idle(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
