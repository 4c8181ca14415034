/**
 * What can go wrong talking to a DragGAN endpoint, one class per thing the user does differently about it: check
 * the URL / network, fix the token, update the plugin or server, pick another model, fix the request, wait.
 */
export class RemoteError extends Error {
  override name = 'RemoteError';
}

/** No endpoint answered (connection refused, DNS, TLS, reset before any answer). */
export class EndpointUnreachableError extends RemoteError {
  override name = 'EndpointUnreachableError';
}

/** 401: the endpoint wants a token, or refused the one given. */
export class TokenRefusedError extends RemoteError {
  override name = 'TokenRefusedError';
}

/** The endpoint speaks another protocol version (or is not a DragGAN endpoint at all). */
export class ProtocolMismatchError extends RemoteError {
  override name = 'ProtocolMismatchError';
}

export class UnknownModelError extends RemoteError {
  override name = 'UnknownModelError';
}

/** Every replica stayed busy (429 / 503) for all the attempts. */
export class EndpointBusyError extends RemoteError {
  override name = 'EndpointBusyError';
}

/** Any other refusal (a 4xx): the request itself is wrong, so retrying cannot help. */
export class RemoteRequestError extends RemoteError {
  override name = 'RemoteRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
