import type { Server } from 'http';
import type { Socket } from 'net';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../remote/protocol';

export interface ConnectionLimits {
  /** Connections one client address may hold at once. */
  perClient: number;
  /** Connections the server holds at once. */
  total: number;
}

export type RefusalKind = 'per-client' | 'total';

export interface ConnectionGuard {
  /** Connections held now. */
  readonly open: number;
  /** Whether the server turned this connection away (its requests are not to be served). */
  refused(socket: Socket): boolean;
  /** Destroys every connection: the last step of a shutdown whose clients would not let go. */
  destroyAll(): void;
}

/** '::ffff:10.0.0.1' and '10.0.0.1' are one client. */
export function clientAddress(socket: Socket): string {
  const a = socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** How long a turned-away client gets to read its 503 before the socket is destroyed. */
const REFUSED_LINGER_MS = 1000;

function busyReply(message: string): string {
  const body = JSON.stringify({ protocol: PROTOCOL_VERSION, error: { code: 'too-many-connections', message } });
  return [
    'HTTP/1.1 503 Service Unavailable',
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'cache-control: no-store',
    'retry-after: 1',
    `${PROTOCOL_HEADER}: ${PROTOCOL_VERSION}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Caps the connections per client address and in total, so a flood of slow clients (each holding a socket open by
 * sending its request a byte at a time) cannot use up the server's sockets and memory: a connection over a cap is
 * answered 503 at once, without reading it, and closed. Health probes from another address are unaffected by one
 * client's flood.
 */
export function guardConnections(
  server: Server,
  limits: ConnectionLimits,
  onRefused: (kind: RefusalKind, address: string) => void,
): ConnectionGuard {
  const perAddress = new Map<string, number>();
  const held = new Set<Socket>();
  const turnedAway = new WeakSet<Socket>();
  const all = new Set<Socket>();

  server.on('connection', (socket: Socket) => {
    all.add(socket);
    socket.once('close', () => all.delete(socket));
    const address = clientAddress(socket);
    const mine = perAddress.get(address) ?? 0;
    const kind: RefusalKind | undefined =
      mine >= limits.perClient ? 'per-client' : held.size >= limits.total ? 'total' : undefined;
    if (kind) {
      turnedAway.add(socket);
      onRefused(kind, address);
      const message =
        kind === 'per-client'
          ? `this client already has ${mine} connections open to the server (the limit is ${limits.perClient}); reuse connections or close idle ones, then retry`
          : `the server holds its limit of ${limits.total} connections; retry shortly`;
      socket.end(busyReply(message));
      setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
      return;
    }
    held.add(socket);
    perAddress.set(address, mine + 1);
    socket.once('close', () => {
      held.delete(socket);
      const n = (perAddress.get(address) ?? 1) - 1;
      if (n > 0) perAddress.set(address, n);
      else perAddress.delete(address);
    });
  });

  return {
    get open() {
      return held.size;
    },
    refused: (socket) => turnedAway.has(socket),
    destroyAll: () => {
      for (const s of all) s.destroy();
    },
  };
}
