/** Wraps an exception from the caller's callback so it is never mistaken for a network failure and retried. */
export class CallbackFailure extends Error {
  constructor(readonly inner: unknown) {
    super('callback failed');
  }
}
