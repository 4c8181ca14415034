/**
 * Loopback names: the addresses a server without a token may listen on, and the Host header such a server accepts.
 * A web page cannot call it itself (its JSON POSTs need a CORS preflight, which the server refuses unless
 * --allow-origin names the page), but under DNS rebinding a page's own name resolves to 127.0.0.1 and its requests
 * are same-origin: no preflight, and a Host header with the page's name. Refusing every Host that is not a loopback
 * address closes that.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Whether a Host header ("127.0.0.1:8080", "localhost", "[::1]:7860") names loopback; "127.0.0.1.evil.com" does not. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(host) ?? /^([^:]+)(?::\d{1,5})?$/.exec(host);
  if (!m) return false;
  const name = m[1].toLowerCase();
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}
