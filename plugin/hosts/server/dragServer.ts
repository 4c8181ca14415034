import { randomUUID } from 'crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { DragInputError } from '../../engine/core/errors';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, ROUTES } from '../../remote/protocol';
import { bearerCheck } from './bearerAuth';
import { HttpError } from './httpError';
import { jsonLineLogger, type Logger, type LogEntry } from './logger';
import { readBody } from './readBody';
import type { RequestContext, StopCause } from './requestContext';
import { sendError, sendJson } from './respond';
import { routeDragSteps } from './routeDragSteps';
import { routeGenerate } from './routeGenerate';
import { routeInvert } from './routeInvert';
import { routeModels } from './routeModels';
import type { ServedModel } from './servedModel';
import { warmUp } from './warmUp';
import { WorkQueue } from './workQueue';

export interface DragServerOptions {
  models: readonly ServedModel[];
  /** Default 127.0.0.1: exposing the server is a deliberate choice. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Bearer token; none means anyone who can connect may use the server. */
  token?: string;
  /** Largest request body (default 64 MiB: a 1024 px state with a mask is a few MB). */
  maxBodyBytes?: number;
  /** Jobs at once (default 1: one GPU or the CPU's threads do one step at a time best). */
  concurrency?: number;
  /** Jobs that may wait (default 8); more get 429. */
  queueCapacity?: number;
  /** Per-request limit (default 120 s); a drag stopped by it returns the state it reached. */
  timeLimitMs?: number;
  /** On shutdown, how long running work may finish before it is stopped (default 20 s). */
  drainMs?: number;
  /** Compile every graph before reporting ready (default true). */
  warmUp?: boolean;
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

function routeTable(timeLimitMs: number): Readonly<Record<string, { method: 'GET' | 'POST'; run: Route }>> {
  return {
    [ROUTES.models]: { method: 'GET', run: routeModels },
    [ROUTES.generate]: { method: 'POST', run: routeGenerate },
    [ROUTES.invert]: { method: 'POST', run: (ctx) => routeInvert(ctx, timeLimitMs) },
    [ROUTES.dragSteps]: { method: 'POST', run: routeDragSteps },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Starts the DragGAN HTTP server (see docs/api/openapi.yaml) on already-loaded models. */
export async function startDragServer(o: DragServerOptions): Promise<DragServer> {
  const log = o.log ?? jsonLineLogger((l) => process.stdout.write(l));
  const models = new Map(o.models.map((m) => [m.id, m] as const));
  const queue = new WorkQueue(o.concurrency ?? 1, o.queueCapacity ?? 8);
  const auth = bearerCheck(o.token);
  const maxBody = o.maxBodyBytes ?? 64 << 20;
  const timeLimitMs = o.timeLimitMs ?? 120_000;
  const drainMs = o.drainMs ?? 20_000;
  const ROUTE_TABLE = routeTable(timeLimitMs);
  const active = new Set<{ abort(cause: StopCause): void }>();
  let idleWaiters: (() => void)[] = [];
  /** Resolves when no request is in progress (queued, running, or still being read). */
  const allDone = (): Promise<void> => (active.size === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r)));
  let ready = false;
  let draining = false;
  let shutdownPromise: Promise<void> | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = Date.now();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    const url = new URL(req.url ?? '/', 'http://server');
    const entry: LogEntry = { level: 'info', msg: 'request', id, method: req.method, path: url.pathname, remote: req.socket.remoteAddress };
    res.setHeader('x-request-id', id);

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
      entry.status = res.statusCode;
      entry.ms = Date.now() - t0;
      if (cause) entry.stopped = cause;
      if (res.statusCode >= 500) entry.level = 'error';
      else if (res.statusCode >= 400) entry.level = 'warn';
      log(entry);
    });

    try {
      if (url.pathname === ROUTES.healthz) return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === ROUTES.readyz) {
        const status = draining ? 'draining' : ready ? 'ready' : 'starting';
        return sendJson(res, status === 'ready' ? 200 : 503, { status, running: queue.running, queued: queue.queued });
      }
      const route = ROUTE_TABLE[url.pathname];
      if (!route) throw new HttpError(404, 'not-found', `no such route ${url.pathname}; this server speaks DragGAN protocol ${PROTOCOL_VERSION} under /v1 (${Object.keys(ROUTE_TABLE).join(', ')})`);
      if (req.method !== route.method) throw new HttpError(405, 'method-not-allowed', `${url.pathname} takes ${route.method}`, { headers: { allow: route.method } });
      if (draining) throw new HttpError(503, 'shutting-down', 'this replica is shutting down; retry on another one', { headers: { 'retry-after': '1' } });
      const version = req.headers[PROTOCOL_HEADER];
      if (version !== undefined && version !== String(PROTOCOL_VERSION)) {
        throw new HttpError(400, 'protocol-version', `this server speaks DragGAN protocol ${PROTOCOL_VERSION} but the client speaks ${String(version)}; update the ${Number(version) > PROTOCOL_VERSION ? 'server' : 'client'}`);
      }
      auth(req.headers.authorization);
      const type = req.headers['content-type'];
      if (route.method === 'POST' && type !== undefined && !/^application\/json\b/i.test(type)) {
        throw new HttpError(415, 'unsupported-media-type', `send the body as application/json (got ${type})`);
      }
      if (!ready) throw new HttpError(503, 'starting', 'the server is still loading its models', { headers: { 'retry-after': '2' } });
      await route.run({
        req,
        res,
        models,
        queue,
        signal: ac.signal,
        stopCause: () => cause,
        body: async () => {
          const text = await readBody(req, maxBody);
          entry.bytesIn = Buffer.byteLength(text);
          return text;
        },
        log: entry,
      });
    } catch (e) {
      // refused before its body was read: drain it, or the client, still sending, would see a reset, not the answer
      if (!req.complete) req.resume();
      if (res.headersSent) {
        res.end();
        return;
      }
      if (e instanceof HttpError) {
        entry.error = e.code;
        return sendError(res, e.status, { code: e.code, message: e.message, ...(e.extra.field ? { field: e.extra.field } : {}) }, e.extra.headers);
      }
      if (e instanceof DragInputError) {
        entry.error = 'invalid-state';
        return sendError(res, 400, { code: 'invalid-state', message: e.message });
      }
      if (cause === 'client-gone') return;
      entry.error = e instanceof Error ? e.message : String(e);
      sendError(res, 500, { code: 'internal', message: `internal error: ${entry.error}` }, { 'retry-after': '1' });
    }
  }

  const server = createServer({ requestTimeout: 0, headersTimeout: 30_000 }, (req, res) => void handle(req, res));
  server.keepAliveTimeout = 5000;
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
  log({ level: 'info', msg: 'listening', url, models: [...models.keys()].join(','), auth: o.token !== undefined });

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
  readyPromise.catch((e: unknown) => log({ level: 'error', msg: 'warm-up failed', error: e instanceof Error ? e.message : String(e) }));

  const shutdown = (): Promise<void> =>
    (shutdownPromise ??= (async () => {
      draining = true;
      log({ level: 'info', msg: 'shutting down', running: queue.running, queued: queue.queued });
      queue.close();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([allDone().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), drainMs)))]);
      clearTimeout(timer);
      if (!finished) {
        // stopped drags still answer with the state they reached, so the clients lose nothing
        for (const a of active) a.abort('shutdown');
        await queue.idle();
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      log({ level: 'info', msg: 'stopped' });
    })());

  return { url, port, server, ready: readyPromise, shutdown };
}
