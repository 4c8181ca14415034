/** Shorthands for the checkpoint reader's most common refusals. */
import { CheckpointError } from '../../core/errors';

export function truncated(detail: string): CheckpointError {
  return new CheckpointError('truncated', `checkpoint is truncated/corrupt: ${detail}`);
}

export function unsupported(detail: string): CheckpointError {
  return new CheckpointError('unsupported', detail);
}

/** A file that would make the reader exceed one of its resource limits: refused before the work is done. */
export function overLimit(detail: string): CheckpointError {
  return new CheckpointError(
    'limit',
    `checkpoint exceeds a safety limit of the reader: ${detail}; official StyleGAN2 checkpoints stay far below it, so this file is damaged or was crafted`,
  );
}
