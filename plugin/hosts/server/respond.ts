import type { ServerResponse } from 'http';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type ErrorResponse } from '../../remote/protocol';

/** A JSON answer carrying the protocol version, which clients check before anything else. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify({ protocol: PROTOCOL_VERSION, ...body });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: ErrorResponse['error'],
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error }, headers);
}
