/** Errors the checkpoint reader raises; `code` lets callers (and tests) tell the cases apart. */

export type CheckpointErrorCode = 'truncated' | 'unsafe' | 'tensorflow' | 'stylegan3' | 'unsupported';

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
