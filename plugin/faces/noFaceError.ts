import { FaceInputError } from '../core/errors';

/**
 * The picture has no face to place suggested points on (or the detector's answer is not laid out as one). A kind
 * of FaceInputError, so a host that knows only that class (the worker boundary) still shows it as the user's to fix.
 */
export class NoFaceError extends FaceInputError {
  override name = 'NoFaceError';
}
