/**
 * An image the projection cannot use (empty, too small, not RGB). Hosts show its message as it is: the user fixes
 * the input, not the code.
 */
export class InvertInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvertInputError';
  }
}
