/**
 * What the panel needs from an engine, kept small so the in-panel engine, the remote endpoint and the inversion
 * module plug in behind it alike.
 */
import type { DragSessionLike } from '../drag/dragSessionLike';
import type { DragHyperParameters } from '../drag/types';
import type { HostTensor } from '../graph/tensor';
import type { ModelConfig } from '../stylegan2/config';
import type { Rgba } from './rgba';

export interface InversionProgress {
  step: number;
  steps: number;
  psnr?: number;
}

export interface InversionResult {
  latent: HostTensor;
  psnr?: number;
}

export interface DragBackend {
  /** Shown in the status line, e.g. "onnxruntime-web (wasm, 1 thread)". */
  readonly description: string;
  readonly config: ModelConfig;
  /** Steps per run() call: 1 in the panel (so it can yield between steps), more where each call is a request. */
  readonly stepsPerCall: number;
  /** W+ latent [1, num_ws, w_dim] for a seed and truncation. */
  generate(seed: number, psi: number): Promise<HostTensor>;
  render(latent: HostTensor): Promise<Rgba>;
  /** Renders a raw generator image tensor (a step preview). */
  toImage(img: HostTensor): Rgba;
  createSession(w0: HostTensor, hp: DragHyperParameters): DragSessionLike;
  /** Brings a real image (model resolution) into the latent space; absent where this build has no inversion. */
  invert?(image: Rgba, options: { steps: number; signal?: AbortSignal; onProgress?(p: InversionProgress): void }): Promise<InversionResult>;
  release(): Promise<void>;
}
