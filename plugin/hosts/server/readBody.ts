import type { IncomingMessage } from 'http';
import { HttpError } from './httpError';

/**
 * The request body as text, refusing more than `limit` bytes before reading them where Content-Length says so, and
 * as soon as the count passes the limit otherwise. The rest is drained (not buffered) so the client still gets
 * the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'body-too-large', `the request body is larger than the server's limit of ${limit} bytes`, { headers: { connection: 'close' } });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => reject(new HttpError(400, 'body-unreadable', `the request body could not be read: ${e.message}`)));
  });
}
