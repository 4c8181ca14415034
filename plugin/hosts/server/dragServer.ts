import { randomUUID } from 'crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { DragInputError } from '../../core/errors';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, ROUTES, type EngineReport } from '../../remote/protocol';
import { bearerCheck } from './bearerAuth';
import { isLoopback, isLoopbackHostHeader } from './loopback';
import { HttpError } from './httpError';
import { ImageDecoder, type ImageBudget } from './imageDecoder';
import { jsonLineLogger, type Logger, type LogEntry } from './logger';
import { declaredLength, declaredTooLarge, readBody } from './readBody';
import { admit } from './queued';
import { guardConnections } from './connectionGuard';
import { CorsPolicy } from './corsPolicy';
import { UserFixableError } from '../../core/errors';
import type { RequestContext, StopCause } from './requestContext';
import { sendError, sendJson } from './respond';
import { routeDragSteps } from './routeDragSteps';
import { routeGenerate } from './routeGenerate';
import { routeInvert } from './routeInvert';
import { routeModels } from './routeModels';
import { routePrepare } from './routePrepare';
import type { ServedModel } from './servedModel';
import { warmUp } from './warmUp';
import { QueueClosedError, WorkQueue, type Admission } from './workQueue';

export interface DragServerOptions {
  models: readonly ServedModel[];
  /** Default 127.0.0.1: exposing the server is a deliberate choice. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Bearer token; without one, only a loopback address is served unless `insecure` says otherwise. */
  token?: string;
  /** Serve without a token on a non-loopback address: anyone who can reach the port may use the server. */
  insecure?: boolean;
  /** Web page origins allowed to call the server (CORS), e.g. https://example.com; '*' (any) needs a token. */
  allowOrigins?: readonly string[];
  /** Largest request body (default 64 MiB: a 1024 px state with a mask is a few MB); four such at once at most. */
  maxBodyBytes?: number;
  /** Jobs at once (default 1: one GPU or the CPU's threads do one step at a time best). */
  concurrency?: number;
  /** Jobs that may wait (default 8); more get 429. Only admitted requests have their bodies read. */
  queueCapacity?: number;
  /** Per-request limit (default 120 s); a drag stopped by it returns the state it reached. */
  timeLimitMs?: number;
  /** A streamed /v1/invert sends its best fit so far at most this often (default 1000 ms; see bestThrottle). */
  invertBestEveryMs?: number;
  /** On shutdown, how long running work may finish before it is stopped (default 20 s). */
  drainMs?: number;
  /** The request line and headers must arrive within this (default 10 s). */
  headersTimeoutMs?: number;
  /** The whole body must arrive within this after the headers (default 60 s). */
  bodyTimeoutMs?: number;
  /** Longest pause inside a body (default 10 s). */
  bodyIdleMs?: number;
  /** Connections one client address may hold (default 32). */
  maxConnectionsPerClient?: number;
  /** Connections in total (default 1024). */
  maxConnections?: number;
  /** Decoded bytes of request images, per image and in total (default DEFAULT_IMAGE_BUDGET: 256 MB, 512 MB). */
  imageBudget?: ImageBudget;
  /** Compile every graph before reporting ready (default true). */
  warmUp?: boolean;
  /** What runs the graphs, reported by /readyz (the panel's Settings line: "Local engine (CPU, 8 threads)"). */
  engine?: EngineReport;
  log?: Logger;
}

export interface DragServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Resolves when the models are warm and /readyz says ready. */
  readonly ready: Promise<void>;
  /** Graceful stop: refuse new work, fail queued work with 503, let running work finish (then stop it), close. */
  shutdown(): Promise<void>;
}

type Route = (ctx: RequestContext) => Promise<void>;

function routeTable(
  decoder: ImageDecoder,
  timeLimitMs: number,
  invertBestEveryMs: number | undefined,
): Readonly<Record<string, { method: 'GET' | 'POST'; run: Route }>> {
  return {
    [ROUTES.models]: { method: 'GET', run: routeModels },
    [ROUTES.generate]: { method: 'POST', run: routeGenerate },
    [ROUTES.invert]: { method: 'POST', run: (ctx) => routeInvert(ctx, decoder, timeLimitMs, invertBestEveryMs) },
    [ROUTES.dragSteps]: { method: 'POST', run: routeDragSteps },
    [ROUTES.prepare]: { method: 'POST', run: routePrepare },
  };
}

export { isLoopback } from './loopback';

/**
 * Refuses settings that would open the server to strangers by accident: no token on a non-loopback address
 * (unless `insecure`), or every web page allowed (`*`) with no token. Returns the CORS policy of the settings.
 */
export function checkExposure(o: Pick<DragServerOptions, 'host' | 'token' | 'insecure' | 'allowOrigins'>): CorsPolicy {
  const host = o.host ?? '127.0.0.1';
  if (o.token === undefined && !isLoopback(host) && !o.insecure) {
    throw new UserFixableError(
      `listening on ${host} without a token would let anyone who can reach the port use this server; give a token (--token-file F or the DRAGGAN_TOKEN environment variable), or --insecure to serve it open on purpose`,
    );
  }
  const cors = new CorsPolicy(o.allowOrigins ?? []);
  if (o.token === undefined && (o.allowOrigins ?? []).includes('*')) {
    throw new UserFixableError(
      "--allow-origin '*' lets every web page use this server, so it needs a token (--token-file F or DRAGGAN_TOKEN); or list the pages' origins instead",
    );
  }
  return cors;
}

/** How long an answered client may go on sending a body nobody reads before its connection is closed. */
const UNREAD_BODY_LINGER_MS = 2000;
/** After the drain period, how long stopped work gets to answer, and then connections to close by themselves. */
const STOP_GRACE_MS = 2000;
const CLOSE_GRACE_MS = 1000;

/** Whether `p` settled within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
  ]);
  clearTimeout(timer);
  return done;
}

/** Starts the DragGAN HTTP server (see docs/api/openapi.yaml) on already-loaded models. */
export async function startDragServer(o: DragServerOptions): Promise<DragServer> {
  const cors = checkExposure(o);
  const log = o.log ?? jsonLineLogger((l) => process.stdout.write(l));
  const models = new Map(o.models.map((m) => [m.id, m] as const));
  const queue = new WorkQueue(o.concurrency ?? 1, o.queueCapacity ?? 8);
  const auth = bearerCheck(o.token);
  // no token on loopback: the Host header must name loopback too (DNS rebinding, see loopback.ts)
  const loopbackOnly = o.token === undefined && isLoopback(o.host ?? '127.0.0.1');
  const maxBody = o.maxBodyBytes ?? 64 << 20;
  // bodies held at once, in bytes: four of the largest, so large requests cannot fill the memory however many
  // places the queue has (a drag state is a few MB, so this rarely binds)
  const bodyBudget = 4 * maxBody;
  let bodyBytesHeld = 0;
  const timeLimitMs = o.timeLimitMs ?? 120_000;
  const drainMs = o.drainMs ?? 20_000;
  const headersTimeoutMs = o.headersTimeoutMs ?? 10_000;
  const bodyTimeoutMs = o.bodyTimeoutMs ?? 60_000;
  const bodyIdleMs = o.bodyIdleMs ?? 10_000;
  const decoder = new ImageDecoder(o.imageBudget);
  const ROUTE_TABLE = routeTable(decoder, timeLimitMs, o.invertBestEveryMs);
  const active = new Set<{ abort(cause: StopCause): void }>();
  let idleWaiters: (() => void)[] = [];
  /** Resolves when no request is in progress (queued, running, or still being read). */
  const allDone = (): Promise<void> =>
    active.size === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r));
  let ready = false;
  let draining = false;
  let shutdownPromise: Promise<void> | undefined;

  /** Answering before the body has arrived: drop what still comes, and the connection if it keeps coming. */
  function leaveBodyUnread(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    res.once('finish', () => {
      setTimeout(() => {
        if (!req.complete) req.socket.destroy();
      }, UNREAD_BODY_LINGER_MS).unref();
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (guard.refused(req.socket)) {
      req.socket.destroy();
      return;
    }
    const t0 = Date.now();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    const url = new URL(req.url ?? '/', 'http://server');
    const entry: LogEntry = {
      level: 'info',
      msg: 'request',
      id,
      method: req.method,
      path: url.pathname,
      remote: req.socket.remoteAddress,
    };
    res.setHeader('x-request-id', id);
    for (const [k, v] of Object.entries(cors.replyHeaders(req))) res.setHeader(k, v);

    const ac = new AbortController();
    let cause: StopCause | undefined;
    const stopper = {
      abort: (c: StopCause) => {
        if (ac.signal.aborted) return;
        cause = c;
        ac.abort(new Error(c));
      },
    };
    const timer = setTimeout(() => stopper.abort('time-limit'), timeLimitMs);
    active.add(stopper);
    res.on('close', () => {
      clearTimeout(timer);
      active.delete(stopper);
      if (active.size === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
      if (!res.writableFinished) stopper.abort('client-gone');
      // a client gone before any answer got none: no status to log
      if (res.headersSent) entry.status = res.statusCode;
      entry.ms = Date.now() - t0;
      if (cause) entry.stopped = cause;
      if (res.headersSent && res.statusCode >= 500) entry.level = 'error';
      else if (!res.headersSent || res.statusCode >= 400) entry.level = 'warn';
      log(entry);
    });

    let admission: Admission | undefined;
    let bodyReserved = 0;
    try {
      if (loopbackOnly && !isLoopbackHostHeader(req.headers.host)) {
        throw new HttpError(
          403,
          'host-not-allowed',
          `this server listens on loopback without a token and answers only requests addressed to 127.0.0.1 or localhost (got Host: ${String(req.headers.host ?? 'none')}); a web page reaching it under another name is refused. To serve other names, give it a token (--token-file F)`,
        );
      }
      if (CorsPolicy.isPreflight(req)) {
        // before authentication: browsers send preflights without the Authorization header
        const origin = req.headers.origin ?? '(no origin)';
        if (!cors.allowed(req)) {
          throw new HttpError(
            403,
            'origin-not-allowed',
            cors.enabled
              ? `web pages from ${origin} may not call this server; add --allow-origin ${origin} to draggan serve`
              : `this server takes no requests from web pages; start draggan serve with --allow-origin ${origin}`,
          );
        }
        res.writeHead(204, cors.preflightHeaders(req));
        res.end();
        return;
      }
      if (url.pathname === ROUTES.healthz) return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === ROUTES.readyz) {
        const status = draining ? 'draining' : ready ? 'ready' : 'starting';
        return sendJson(res, status === 'ready' ? 200 : 503, {
          status,
          running: queue.running,
          queued: queue.queued,
          ...(o.engine ? { engine: o.engine } : {}),
        });
      }
      const route = ROUTE_TABLE[url.pathname];
      if (!route)
        throw new HttpError(
          404,
          'not-found',
          `no such route ${url.pathname}; this server speaks DragGAN protocol ${PROTOCOL_VERSION} under /v1 (${Object.keys(ROUTE_TABLE).join(', ')})`,
        );
      if (req.method !== route.method)
        throw new HttpError(405, 'method-not-allowed', `${url.pathname} takes ${route.method}`, {
          headers: { allow: route.method },
        });
      if (draining)
        throw new HttpError(503, 'shutting-down', 'this replica is shutting down; retry on another one', {
          headers: { 'retry-after': '1' },
        });
      const version = req.headers[PROTOCOL_HEADER];
      if (version !== undefined && version !== String(PROTOCOL_VERSION)) {
        throw new HttpError(
          400,
          'protocol-version',
          `this server speaks DragGAN protocol ${PROTOCOL_VERSION} but the client speaks ${String(version)}; update the ${Number(version) > PROTOCOL_VERSION ? 'server' : 'client'}`,
        );
      }
      auth(req.headers.authorization);
      if (o.token === undefined && route.method === 'POST' && version === undefined) {
        // without a token, the one thing a web page cannot forge: a custom header needs a CORS preflight, which this
        // server refuses unless --allow-origin names the page. A page's simple POST (form, no-cors fetch, no
        // Content-Type) could otherwise make the engine generate or invert for any site the user visits.
        throw new HttpError(
          403,
          'client-header-required',
          `this server has no token, so it takes work only from DragGAN clients, which send the ${PROTOCOL_HEADER} header (web pages cannot send it without the server's CORS permission); send ${PROTOCOL_HEADER}: ${PROTOCOL_VERSION}, or give the server a token (--token-file F)`,
        );
      }
      const type = req.headers['content-type'];
      if (route.method === 'POST' && type !== undefined && !/^application\/json\b/i.test(type)) {
        throw new HttpError(415, 'unsupported-media-type', `send the body as application/json (got ${type})`);
      }
      if (!ready)
        throw new HttpError(503, 'starting', 'the server is still loading its models', {
          headers: { 'retry-after': '2' },
        });
      if (route.method === 'POST') {
        const tooLarge = declaredTooLarge(req, maxBody);
        if (tooLarge) throw tooLarge;
        const size = declaredLength(req) ?? maxBody;
        if (bodyBytesHeld + size > bodyBudget) {
          throw new HttpError(
            429,
            'busy',
            `the server is holding ${Math.round(bodyBytesHeld / 2 ** 20)} MB of other large requests; retry later or on another replica`,
            { headers: { 'retry-after': '1' } },
          );
        }
        // a place in the queue first, the body second: only admitted requests hold a body in memory
        admission = admit(queue);
        bodyBytesHeld += size;
        bodyReserved = size;
      }
      const place = admission;
      await route.run({
        req,
        res,
        models,
        queue,
        admission: place,
        signal: ac.signal,
        stopCause: () => cause,
        body: async () => {
          const signal = place ? AbortSignal.any([ac.signal, place.closed]) : ac.signal;
          let text: string;
          try {
            text = await readBody(req, {
              maxBytes: maxBody,
              idleMs: bodyIdleMs,
              totalMs: bodyTimeoutMs,
              startedAt: t0,
              signal,
            });
          } catch (e) {
            if (e instanceof QueueClosedError || cause === 'shutdown')
              throw new HttpError(503, 'shutting-down', 'this replica is shutting down; retry on another one', {
                headers: { 'retry-after': '1' },
              });
            throw e;
          }
          entry.bytesIn = Buffer.byteLength(text);
          return text;
        },
        log: entry,
      });
    } catch (e) {
      // refused before its body arrived: the client, still sending, should see the answer, not a reset
      if (!req.complete) leaveBodyUnread(req, res);
      if (res.headersSent) {
        res.end();
        return;
      }
      if (e instanceof HttpError) {
        entry.error = e.code;
        return sendError(
          res,
          e.status,
          { code: e.code, message: e.message, ...(e.extra.field ? { field: e.extra.field } : {}) },
          e.extra.headers,
        );
      }
      if (e instanceof DragInputError) {
        entry.error = 'invalid-state';
        return sendError(res, 400, { code: 'invalid-state', message: e.message });
      }
      if (cause === 'client-gone') return;
      entry.error = e instanceof Error ? e.message : String(e);
      sendError(res, 500, { code: 'internal', message: `internal error: ${entry.error}` }, { 'retry-after': '1' });
    } finally {
      admission?.release();
      bodyBytesHeld -= bodyReserved;
    }
  }

  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      // the backstop for bodies nobody reads (our own body timeout answers 408 first for those being read)
      requestTimeout: headersTimeoutMs + bodyTimeoutMs + 1000,
      connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
      keepAliveTimeout: 5000,
    },
    (req, res) => void handle(req, res),
  );
  let refusedCount = 0;
  const guard = guardConnections(
    server,
    { perClient: o.maxConnectionsPerClient ?? 32, total: o.maxConnections ?? 1024 },
    (kind, address) => {
      // a flood would write a line per connection: one summary a second instead
      if (refusedCount++ === 0) {
        setTimeout(() => {
          log({ level: 'warn', msg: 'connections refused', count: refusedCount, reason: kind, remote: address });
          refusedCount = 0;
        }, 1000).unref();
      }
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8080, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log({
    level: 'info',
    msg: 'listening',
    url,
    models: [...models.keys()].join(','),
    auth: o.token !== undefined,
    cors: cors.enabled,
  });

  const readyPromise = (async () => {
    if (o.warmUp ?? true) {
      for (const m of models.values()) {
        const t = Date.now();
        await warmUp(m);
        log({ level: 'info', msg: 'warm', model: m.id, ms: Date.now() - t });
      }
    }
    ready = true;
    log({ level: 'info', msg: 'ready' });
  })();
  readyPromise.catch((e: unknown) =>
    log({ level: 'error', msg: 'warm-up failed', error: e instanceof Error ? e.message : String(e) }),
  );

  // bounded in time whatever the clients do: drain + STOP_GRACE_MS + CLOSE_GRACE_MS at most
  const shutdown = (): Promise<void> =>
    (shutdownPromise ??= (async () => {
      draining = true;
      log({ level: 'info', msg: 'shutting down', running: queue.running, queued: queue.queued });
      // fails queued work with 503 and stops reading bodies still arriving
      queue.close();
      if (!(await within(allDone(), drainMs))) {
        // stopped drags still answer with the state they reached, so the clients lose nothing
        for (const a of active) a.abort('shutdown');
        await within(Promise.all([queue.idle(), allDone()]), STOP_GRACE_MS);
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (!(await within(closed, CLOSE_GRACE_MS))) {
        guard.destroyAll();
        await closed;
      }
      await decoder.close();
      log({ level: 'info', msg: 'stopped' });
    })());

  return { url, port, server, ready: readyPromise, shutdown };
}
