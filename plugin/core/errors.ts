/**
 * The error classes every layer throws and every host maps to its own surface (a CLI exit code, a panel message, an
 * HTTP status). Hosts decide by class, never by message text: a UserFixableError is shown as its message alone (the
 * user fixes the input, the settings or the network); anything else is an internal error, a bug to report.
 */
export class UserFixableError extends Error {
  override name = 'UserFixableError';
}

/** Points, masks, latents or hyper-parameters the drag loop cannot use. */
export class DragInputError extends UserFixableError {
  override name = 'DragInputError';
}

/** An image the projection cannot use (empty, too small, not RGB). */
export class InvertInputError extends UserFixableError {
  override name = 'InvertInputError';
}

/**
 * A photo, landmarks or an edit the face path cannot use (an empty or oversized image, too few landmarks, eyes on
 * top of each other, a result of the wrong size): the user picks another face, a larger photo or the selection.
 */
export class FaceInputError extends UserFixableError {
  override name = 'FaceInputError';
}

/** The face models' files are missing, truncated or not the tfjs layout the converter reads. */
export class FaceModelError extends UserFixableError {
  override name = 'FaceModelError';
}

/** A model.json (or a checkpoint's init kwargs) the engine cannot run. */
export class ModelConfigError extends UserFixableError {
  override name = 'ModelConfigError';
}

export type CheckpointErrorCode = 'truncated' | 'unsafe' | 'tensorflow' | 'unsupported' | 'limit';

/** A checkpoint the importer refuses; `code` tells the cases apart. */
export class CheckpointError extends UserFixableError {
  override name = 'CheckpointError';
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A backend name this host does not know, or no backend of the ones asked for could start. */
export class BackendError extends UserFixableError {
  override name = 'BackendError';
  constructor(
    message: string,
    /** Each backend tried and why it failed, so a fallback never hides the reason. */
    readonly failures: readonly { backend: string; error: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * What can go wrong talking to a DragGAN endpoint, one class per thing the user does differently about it: check
 * the URL / network, fix the token, update the plugin or server, pick another model, fix the request, wait.
 */
export class RemoteError extends UserFixableError {
  override name = 'RemoteError';
}

/** No endpoint answered (connection refused, DNS, TLS, CORS, reset before any answer). */
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
