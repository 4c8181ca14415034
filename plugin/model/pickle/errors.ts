/** Shorthands for the checkpoint reader's most common refusals. */
import { CheckpointError } from '../../engine/core/errors';

export function truncated(detail: string): CheckpointError {
  return new CheckpointError('truncated', `checkpoint is truncated/corrupt: ${detail}`);
}

export function unsupported(detail: string): CheckpointError {
  return new CheckpointError('unsupported', detail);
}
