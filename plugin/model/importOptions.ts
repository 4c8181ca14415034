/** What the user tells an import that a checkpoint does not say. */
import type { DragDefaults } from '../core/dragSettings';
import type { FaceAlignment } from '../core/types';

export interface ImportOptions {
  name?: string;
  description?: string;
  license?: string;
  draggan?: Partial<DragDefaults>;
  /** How photos are framed for the model (model.json `alignment`); a pickle does not say, so the default is 'none'. */
  alignment?: FaceAlignment;
}
