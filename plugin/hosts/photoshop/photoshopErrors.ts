/** What the user can fix in Photoshop itself: the panel shows these as their message alone (core/errors). */
import { UserFixableError } from '../../core/errors';

/** The document, the active layer or the points are not something the panel can read. */
export class PhotoshopSourceError extends UserFixableError {
  override name = 'PhotoshopSourceError';
}

export class EditCancelledError extends UserFixableError {
  override name = 'EditCancelledError';
  constructor() {
    super('the edit was cancelled in Photoshop; nothing was changed');
  }
}
