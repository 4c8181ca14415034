/** A request or response field that breaks the protocol; `field` is its dotted path, for a message that says where. */
export class WireError extends Error {
  override name = 'WireError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
