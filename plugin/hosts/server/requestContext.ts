import type { IncomingMessage, ServerResponse } from 'http';
import type { LogEntry } from './logger';
import type { ServedModel } from './servedModel';
import type { Admission, WorkQueue } from './workQueue';

/** Why a request's work was cut short. */
export type StopCause = 'time-limit' | 'shutdown' | 'client-gone';

/** What a route handler gets: the exchange, the server's shared parts, and one signal for every way to stop. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  models: ReadonlyMap<string, ServedModel>;
  queue: WorkQueue;
  /** The request's place in the queue, taken before its body is read (POST routes). */
  admission?: Admission;
  /** Aborts at the time limit, at shutdown (after the drain period) or when the client goes away. */
  signal: AbortSignal;
  stopCause(): StopCause | undefined;
  /** The request body: size- and time-limited, read only once the request holds a place in the queue. */
  body(): Promise<string>;
  /** Fields added to the request's log line. */
  log: LogEntry;
}
