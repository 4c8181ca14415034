/** A failure after which the same (idempotent) request may succeed elsewhere or later. */
export class RetryableFailure extends Error {
  override name = 'RetryableFailure';
  constructor(
    message: string,
    /** 'network': the endpoint was not reached or dropped the answer; 'busy': it answered 429 / 503. */
    readonly kind: 'network' | 'busy' | 'server',
    /** From Retry-After, when the endpoint gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
