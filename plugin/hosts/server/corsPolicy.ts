import type { IncomingMessage } from 'http';
import { PROTOCOL_HEADER } from '../../remote/protocol';
import { UserFixableError } from '../../core/errors';

/** Request headers a page may send: the ones the remote client sends. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'accept', PROTOCOL_HEADER, 'x-request-id'].join(', ');
/** Reply headers a page may read: the client checks the protocol version and honours Retry-After. */
const EXPOSED_HEADERS = ['x-request-id', PROTOCOL_HEADER, 'retry-after', 'www-authenticate'].join(', ');
/** Browsers cache a preflight this long (Chromium caps it at 2 h). */
const MAX_AGE_SECONDS = 600;

/** 'https://Example.com:443/' -> 'https://example.com', as browsers write the Origin header; '*' stays '*'. */
export function normaliseOrigin(value: string): string {
  if (value === '*') return value;
  let u: URL | undefined;
  try {
    u = new URL(value);
  } catch {
    u = undefined;
  }
  if (
    !u ||
    (u.protocol !== 'http:' && u.protocol !== 'https:') ||
    u.pathname !== '/' ||
    u.search ||
    u.hash ||
    u.username ||
    u.password
  ) {
    throw new UserFixableError(
      `--allow-origin takes a web page's origin: scheme, host and port, such as https://example.com or http://localhost:5173 (no path); got '${value}'`,
    );
  }
  return u.origin;
}

/**
 * Which web pages may call the server (CORS). Without origins it sends no CORS headers at all; with them, replies
 * to an allowed Origin carry Access-Control-Allow-Origin (every reply: errors too, so a page can tell a refused
 * token from an unreachable server) and preflights are answered before authentication, since browsers send them
 * without the Authorization header.
 */
export class CorsPolicy {
  private readonly any: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    const list = origins.map(normaliseOrigin);
    this.any = list.includes('*');
    this.origins = new Set(list);
  }

  get enabled(): boolean {
    return this.origins.size > 0;
  }

  /**
   * The request's Origin when it is allowed: one of the listed pages, or an origin no web page can have. The second
   * is for the Photoshop panel: Adobe does not say whether UXP's fetch sends a preflight or which Origin it gives
   * (docs/photoshop.md), but a plugin's cannot be a web page's http(s) origin, nor the "null" that sandboxed and
   * file pages send, so allowing it opens nothing to pages.
   */
  allowed(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (typeof origin !== 'string') return undefined;
    if (isNonWebOrigin(origin)) return origin;
    if (!this.enabled) return undefined;
    return this.any || this.origins.has(origin) ? origin : undefined;
  }

  /** Headers for every reply to this request (none when the origin is not allowed). */
  replyHeaders(req: IncomingMessage): Record<string, string> {
    if (!this.enabled && !(typeof req.headers.origin === 'string' && isNonWebOrigin(req.headers.origin))) return {};
    const origin = this.allowed(req);
    // the answer depends on Origin whenever CORS is on: caches must not hand one page's answer to another
    if (!origin) return { vary: 'Origin' };
    return { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': EXPOSED_HEADERS };
  }

  /** A CORS preflight: OPTIONS naming the method the page wants to send. */
  static isPreflight(req: IncomingMessage): boolean {
    return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  }

  /** Headers of a 204 preflight answer for an allowed origin. */
  preflightHeaders(req: IncomingMessage): Record<string, string> {
    return {
      ...this.replyHeaders(req),
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': String(MAX_AGE_SECONDS),
      // Chromium's Private Network Access: a public page calling a server on loopback or a private network
      ...(req.headers['access-control-request-private-network'] === 'true'
        ? { 'access-control-allow-private-network': 'true' }
        : {}),
    };
  }
}

/** An Origin a web page cannot send: not http(s), not "null" (opaque: sandboxed frames, file pages), well formed. */
export function isNonWebOrigin(origin: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(origin);
  return m !== null && !['http', 'https', 'file', 'data', 'blob', 'about', 'javascript'].includes(m[1].toLowerCase());
}
