import { createHash, timingSafeEqual } from 'crypto';
import { HttpError } from './httpError';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed first, so neither the content nor
 * the length of the expected token leaks through timing.
 */
export function bearerCheck(expected: string | undefined): (authorization: string | undefined) => void {
  if (expected === undefined) return () => undefined;
  const want = digest(expected);
  return (authorization) => {
    const challenge = { headers: { 'www-authenticate': 'Bearer realm="draggan"' } };
    if (!authorization)
      throw new HttpError(
        401,
        'token-missing',
        'this endpoint needs a bearer token (Authorization: Bearer <token>)',
        challenge,
      );
    const m = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!m) throw new HttpError(401, 'token-missing', "the Authorization header must be 'Bearer <token>'", challenge);
    if (!timingSafeEqual(digest(m[1]), want))
      throw new HttpError(
        401,
        'token-refused',
        'the token was refused; check the token configured for this endpoint',
        challenge,
      );
  };
}
