import { UserFixableError } from '../engine/core/errors';

/**
 * Landmarks, photos or edits the face path cannot use (too few landmarks, eyes on top of each other, a result of
 * the wrong size): the user picks another face, a larger photo or the selection instead.
 */
export class FaceInputError extends UserFixableError {
  override name = 'FaceInputError';
}
