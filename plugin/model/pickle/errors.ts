/** Errors the checkpoint reader raises; `code` lets callers (and tests) tell the cases apart. */

export type CheckpointErrorCode = 'truncated' | 'unsafe' | 'tensorflow' | 'stylegan3' | 'unsupported' | 'limit';

export class CheckpointError extends Error {
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export function truncated(detail: string): CheckpointError {
  return new CheckpointError('truncated', `checkpoint is truncated/corrupt: ${detail}`);
}

export function unsupported(detail: string): CheckpointError {
  return new CheckpointError('unsupported', detail);
}

/** A file that would make the reader exceed one of its resource limits: refused before the work is done. */
export function overLimit(detail: string): CheckpointError {
  return new CheckpointError('limit', `checkpoint exceeds a safety limit of the reader: ${detail}; official StyleGAN2 checkpoints stay far below it, so this file is damaged or was crafted`);
}
