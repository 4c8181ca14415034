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
 * A place in the queue, taken before a request's body is read: only admitted requests hold a body in memory, so
 * at most concurrency + capacity bodies are ever buffered, however many clients send at once.
 */
export interface Admission {
  /** Aborts (with a QueueClosedError) when the queue closes before the job started: stop reading the body. */
  readonly closed: AbortSignal;
  /**
   * Runs `job` when a slot is free. Rejects with QueueClosedError after close(), or the signal's reason when it
   * aborts while still waiting (a job that has started is not interrupted here). Once per admission.
   */
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Gives the place back when the job will never run (a bad body); does nothing once run() was called. */
  release(): void;
}

/**
 * A bounded work queue: at most `concurrency` jobs run (a GPU or the CPU's threads are the real limit, so more
 * would only make each slower), at most `capacity` are admitted and wait; beyond that a request is refused at
 * once rather than left to time out. Tracks how long jobs take, to suggest a Retry-After.
 */
export class WorkQueue {
  private active = 0;
  /** Admitted and not yet running: reading a body or waiting in line. */
  private admitted = 0;
  private readonly waiting: Waiting[] = [];
  private readonly unstarted = new Set<AbortController>();
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
    return this.admitted;
  }

  /** Seconds until a slot is likely free, from the recent average job time; at least 1. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.admitted + 1) * this.avgMs) / this.concurrency / 1000));
  }

  /** Takes a place; throws QueueFullError when every place is taken, QueueClosedError after close(). */
  admit(): Admission {
    if (this.closed) throw new QueueClosedError('the server is shutting down');
    if (this.active + this.admitted >= this.concurrency + this.capacity) {
      throw new QueueFullError(`the server is busy: ${this.active} running, ${this.admitted} waiting`);
    }
    this.admitted++;
    const closedCtl = new AbortController();
    this.unstarted.add(closedCtl);
    let used = false;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.admitted--;
      this.unstarted.delete(closedCtl);
    };
    return {
      closed: closedCtl.signal,
      release: () => {
        if (used) return;
        used = true;
        leave();
      },
      run: <T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
        if (used) return Promise.reject(new Error('this admission was already used'));
        used = true;
        if (this.closed) {
          leave();
          return Promise.reject(new QueueClosedError('the server is shutting down'));
        }
        if (signal?.aborted) {
          leave();
          return Promise.reject(signal.reason);
        }
        return new Promise<T>((resolve, reject) => {
          const onAbort = () => {
            const i = this.waiting.indexOf(entry);
            if (i >= 0) this.waiting.splice(i, 1);
            leave();
            this.next();
            reject(signal?.reason);
          };
          const entry: Waiting = {
            start: () => {
              signal?.removeEventListener('abort', onAbort);
              leave();
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
              leave();
              reject(e);
            },
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          this.waiting.push(entry);
          this.next();
        });
      },
    };
  }

  /** admit() and run() in one: for work that has nothing to read first. */
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let a: Admission;
    try {
      a = this.admit();
    } catch (e) {
      return Promise.reject(e);
    }
    return a.run(job, signal);
  }

  private next(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) this.waiting.shift()?.start();
    if (this.active === 0 && this.waiting.length === 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Stops taking work, fails everything still waiting and tells admissions still reading; running jobs go on. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.fail(new QueueClosedError('the server is shutting down'));
    for (const c of [...this.unstarted]) c.abort(new QueueClosedError('the server is shutting down'));
    this.next();
  }

  /** Resolves when no job runs. */
  idle(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
