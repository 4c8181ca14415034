import { PROTOCOL_HEADER, PROTOCOL_VERSION } from './protocol';
import {
  EndpointBusyError,
  EndpointUnreachableError,
  ProtocolMismatchError,
  RemoteRequestError,
  TokenRefusedError,
  UnknownModelError,
} from '../core/errors';
import { RetryableFailure } from './retryable';
import { untilAborted } from './untilAborted';

export interface EndpointOptions {
  /** Base URLs of the endpoint (e.g. "https://gpu.example.com"); with several, a failed request moves to the next. */
  endpoints: readonly string[];
  /** Bearer token, when the server wants one. */
  token?: string;
  /** Tries per request in all; when given, the only limit (default: at least 3, or twice the endpoints, and on
   * until `retryForMs` has passed). */
  maxAttempts?: number;
  /** How long a failing request keeps being retried (default 30 s: long enough for a replica to restart). */
  retryForMs?: number;
  /** First back-off between tries, doubled each time (default 250 ms); a Retry-After from the server wins. */
  retryDelayMs?: number;
  /** Longest wait between tries (default 5000 ms). */
  maxRetryDelayMs?: number;
  /** Told about each retry, so a UI can say "retrying on another replica". */
  onRetry?(info: RetryInfo): void;
  /** The fetch to use (default: the global one); tests and hosts with their own network stack pass theirs. */
  fetch?: typeof fetch;
}

export interface RetryInfo {
  endpoint: string;
  attempt: number;
  reason: string;
  delayMs: number;
}

interface ErrorShape {
  error?: { code?: unknown; message?: unknown; field?: unknown };
  protocol?: unknown;
}

function isAbort(e: unknown, signal?: AbortSignal): boolean {
  return (
    signal?.aborted === true || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError')
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const t = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** "fetch failed (ECONNREFUSED)": the low-level cause is what tells a user what is wrong. Duck-typed: fetch's
 * errors may come from another realm (a sandbox, a test runner), where instanceof Error is false. */
function causeOf(e: unknown): string {
  const fields = (x: unknown): { message?: unknown; code?: unknown; cause?: unknown } =>
    typeof x === 'object' && x !== null ? x : {};
  const err = fields(e);
  const message = typeof err.message === 'string' ? err.message : String(e);
  const code = fields(err.cause).code;
  return typeof code === 'string' ? `${message} (${code})` : message;
}

/**
 * HTTP to one logical endpoint served by one or more URLs: bearer token, protocol check, clear errors, and retries
 * of idempotent requests with back-off, moving to the next URL after each failure. Sticks to a URL that works.
 */
export class EndpointClient {
  private current = 0;
  private readonly fetchFn: typeof fetch;
  readonly endpoints: readonly string[];

  constructor(readonly options: EndpointOptions) {
    if (options.endpoints.length === 0) throw new EndpointUnreachableError('no endpoint URL given');
    this.endpoints = options.endpoints.map((u) => {
      let url: URL;
      try {
        url = new URL(u);
      } catch {
        throw new EndpointUnreachableError(`'${u}' is not a URL (expected e.g. http://127.0.0.1:8080)`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new EndpointUnreachableError(`'${u}' is not an http(s) URL`);
      return u.replace(/\/+$/, '');
    });
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  private headers(json: boolean, accept = 'application/json, application/x-ndjson'): Record<string, string> {
    const h: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), accept };
    if (json) h['content-type'] = 'application/json';
    if (this.options.token) h.authorization = `Bearer ${this.options.token}`;
    return h;
  }

  /**
   * Sends a request (the same body on every try) and hands a 2xx response to `handle`. `handle` throws
   * RetryableFailure when the answer breaks off (a replica died mid-stream): the request is then tried again.
   */
  async request<T>(
    path: string,
    init: { method: 'GET' | 'POST'; body?: string; signal?: AbortSignal; retryForMs?: number; accept?: string },
    handle: (res: Response, endpoint: string) => Promise<T>,
  ): Promise<T> {
    const n = this.endpoints.length;
    const fewest = Math.max(3, 2 * n);
    // a first contact (init.retryForMs 0) says "unreachable" in a second; a request mid-edit rides out a restart
    const budget = init.retryForMs ?? this.options.retryForMs ?? 30_000;
    const base = this.options.retryDelayMs ?? 250;
    const cap = this.options.maxRetryDelayMs ?? 5000;
    const started = Date.now();
    const spent = (attempt: number) =>
      this.options.maxAttempts !== undefined
        ? attempt >= this.options.maxAttempts
        : attempt >= fewest && Date.now() - started >= budget;
    let last: RetryableFailure | undefined;
    let attempt = 0;
    for (;;) {
      attempt++;
      const endpoint = this.endpoints[this.current % n];
      try {
        const res = await this.send(endpoint, path, init);
        // where fetch ignores the signal (UXP), a Stop still ends the wait for the answer at once
        await untilAborted(this.check(res, endpoint, path), init.signal);
        return await untilAborted(handle(res, endpoint), init.signal);
      } catch (e) {
        if (isAbort(e, init.signal)) throw e;
        if (!(e instanceof RetryableFailure)) throw e;
        last = e;
        this.current = (this.current + 1) % n;
        if (spent(attempt)) break;
        // the next URL is another replica: try it at once; going round again, back off
        const delay = e.retryAfterMs ?? (n > 1 && attempt % n !== 0 ? 0 : Math.min(cap, base * 2 ** (attempt - 1)));
        const wait = Math.min(cap, delay);
        this.options.onRetry?.({ endpoint, attempt, reason: e.message, delayMs: wait });
        if (wait > 0) await sleep(wait, init.signal);
      }
    }
    const where = n === 1 ? this.endpoints[0] : `${this.endpoints.join(', ')}`;
    const tries = `${attempt} tries in ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (last?.kind === 'busy')
      throw new EndpointBusyError(
        `the DragGAN endpoint ${where} stayed busy (${tries}; last: ${last.message}); try again in a moment`,
      );
    throw new EndpointUnreachableError(
      `cannot reach the DragGAN endpoint ${where} (${tries}; last: ${last?.message ?? 'unknown error'}); check the URL and that the server is running`,
    );
  }

  private async send(
    endpoint: string,
    path: string,
    init: { method: 'GET' | 'POST'; body?: string; signal?: AbortSignal; accept?: string },
  ): Promise<Response> {
    try {
      return await untilAborted(
        this.fetchFn(`${endpoint}${path}`, {
          method: init.method,
          headers: this.headers(init.body !== undefined, init.accept),
          body: init.body,
          signal: init.signal,
        }),
        init.signal,
      );
    } catch (e) {
      if (isAbort(e, init.signal)) throw e;
      throw new RetryableFailure(`${endpoint}: ${causeOf(e)}`, 'network');
    }
  }

  /** Turns every non-2xx answer into the error that says what to do; 2xx passes. */
  private async check(res: Response, endpoint: string, path: string): Promise<void> {
    const version = res.headers.get(PROTOCOL_HEADER);
    if (version !== null && version !== String(PROTOCOL_VERSION)) {
      await res.body?.cancel().catch(() => undefined);
      throw new ProtocolMismatchError(
        `the endpoint ${endpoint} speaks DragGAN protocol ${version}, this client speaks ${PROTOCOL_VERSION}; update the ${Number(version) > PROTOCOL_VERSION ? 'plugin' : 'server'}`,
      );
    }
    if (res.ok) {
      if (version === null)
        throw new ProtocolMismatchError(
          `${endpoint} answered ${path} but is not a DragGAN endpoint (no ${PROTOCOL_HEADER} header); check the URL`,
        );
      return;
    }
    const text = await res.text().catch(() => '');
    let body: ErrorShape = {};
    try {
      body = JSON.parse(text) as ErrorShape;
    } catch {
      // not JSON: a proxy's or another server's page; described by the status below
    }
    const message = typeof body.error?.message === 'string' ? body.error.message : text.slice(0, 200) || res.statusText;
    const code = typeof body.error?.code === 'string' ? body.error.code : '';
    const retryAfter = Number(res.headers.get('retry-after'));
    const retryAfterMs =
      Number.isFinite(retryAfter) && retryAfter >= 0 && res.headers.has('retry-after') ? retryAfter * 1000 : undefined;
    if (res.status === 429 || res.status === 503)
      throw new RetryableFailure(`${endpoint}: ${res.status} ${message}`, 'busy', retryAfterMs);
    if (res.status >= 500) throw new RetryableFailure(`${endpoint}: ${res.status} ${message}`, 'server', retryAfterMs);
    if (version === null) {
      throw new ProtocolMismatchError(
        `${endpoint} answered ${res.status} to ${path} and is not a DragGAN protocol ${PROTOCOL_VERSION} endpoint; check the URL (and that the server is up to date)`,
      );
    }
    if (res.status === 401) throw new TokenRefusedError(`the endpoint ${endpoint} refused the request: ${message}`);
    if (code === 'unknown-model') throw new UnknownModelError(message);
    if (code === 'protocol-version') throw new ProtocolMismatchError(message);
    throw new RemoteRequestError(
      `the endpoint ${endpoint} rejected the request (${res.status}): ${message}`,
      res.status,
      code,
      typeof body.error?.field === 'string' ? body.error.field : undefined,
    );
  }
}
