import type { HostTensor } from '../graph/tensor';
import type { RunOptions, RunResult } from './dragSession';
import type { HandleTarget } from './types';

/** The surface of DragSession that the panel and the CLI drive; RemoteDragSession offers the same over HTTP. */
export interface DragSessionLike {
  setPoints(pairs: readonly HandleTarget[]): void;
  setMask(mask: { width: number; height: number; data: ArrayLike<number> } | null): void;
  run(options: RunOptions): Promise<RunResult>;
  latent(): HostTensor;
}
