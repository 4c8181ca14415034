import type { Image8 } from '../codecs/image8';
import type { DragHyperParameters } from './dragSettings';
import type { HostTensor } from '../graph/tensor';
import type { EditState } from './editState';
import type { HandleTarget, MaskInput, Point, StepReport, StopReason } from './types';

export interface RunOptions {
  signal?: AbortSignal;
  /** Steps to run in this call at most (the session's maxSteps caps the total). */
  steps?: number;
  onStep?(report: StepReport): void;
  /** Called with a rendered image every `previewEvery` steps and at the end. */
  onPreview?(image: HostTensor, step: number): void;
  /** The same previews as 8-bit RGBA, made where the steps run (a worker converts them off the page's thread). */
  onPreviewImage?(image: Image8, step: number): void;
  previewEvery?: number;
  /** Spaces the previews by time instead of `previewEvery`; may be shared by the calls of one drag. */
  previewBudget?: PreviewPacer;
}

/** When a preview may be rendered (drag/previewBudget.ts): a preview is a whole synthesis, several steps' worth. */
export interface PreviewPacer {
  /** Marks the start of the run (the first due() does it otherwise). */
  begin(now: number): void;
  due(now: number): boolean;
  rendered(from: number, to: number): void;
  /** The cadence in words, with what it came to. */
  describe(now: number): string;
}

export interface RunResult {
  reason: StopReason;
  steps: number;
  points: Point[];
  /** The preview cadence, when a budget set it. */
  previewCadence?: string;
}

/**
 * One DragGAN edit as every host drives it, wherever its steps run: here (DragSession), in a Web Worker or on a
 * remote endpoint (StateSession over a stepper). Changing points, targets or the mask never runs anything.
 */
export interface DragSessionLike {
  readonly hp: DragHyperParameters;
  readonly steps: number;
  /** Tracked handle positions. */
  readonly points: Point[];
  readonly targets: Point[];
  setPoints(pairs: readonly HandleTarget[]): void;
  setTargets(targets: readonly Point[]): void;
  setMask(mask: MaskInput | null): void;
  setLearningRate(lr: number): void;
  reset(): void;
  run(options: RunOptions): Promise<RunResult>;
  /** The full W+ latent [1, num_ws, w_dim] the optimisation is at. */
  latent(): HostTensor;
  /** A copy of the whole edit, for a saved edit or another engine. */
  snapshot(): EditState;
}
