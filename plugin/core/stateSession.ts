import type { DragHyperParameters } from './dragSettings';
import type { HostTensor } from '../graph/tensor';
import {
  checkEditState,
  copyEditState,
  latentOf,
  resetEdit,
  withLearningRate,
  withMask,
  withPairs,
  withTargets,
  type EditModel,
  type EditState,
} from './editState';
import { DragInputError } from './errors';
import type { DragSessionLike, RunOptions, RunResult } from './session';
import type { HandleTarget, MaskInput, Point } from './types';

/**
 * A session whose state lives here while its steps run elsewhere (a Web Worker, a remote endpoint): every change
 * of points, targets or mask is the shared pure function on the state, and each run hands the whole state to
 * `runSteps`, which returns the state it reached. So a Stop, a failed request or a lost worker costs at most the
 * steps in flight, never the edit.
 */
export abstract class StateSession implements DragSessionLike {
  protected state: EditState;
  private running = false;

  constructor(
    state: EditState,
    protected readonly model: EditModel,
  ) {
    checkEditState(state, model);
    this.state = copyEditState(state);
  }

  get hp(): DragHyperParameters {
    return { ...this.state.hp };
  }

  get steps(): number {
    return this.state.steps;
  }

  get points(): Point[] {
    return this.state.tracked.map((p) => ({ ...p }));
  }

  get targets(): Point[] {
    return this.state.pairs.map((p) => ({ ...p.target }));
  }

  setPoints(pairs: readonly HandleTarget[]): void {
    this.state = withPairs(this.state, pairs, this.model);
  }

  setTargets(targets: readonly Point[]): void {
    this.state = withTargets(this.state, targets, this.model);
  }

  setMask(mask: MaskInput | null): void {
    this.state = withMask(this.state, mask, this.model);
  }

  setLearningRate(lr: number): void {
    this.state = withLearningRate(this.state, lr, this.model);
  }

  reset(): void {
    this.state = resetEdit(this.state);
  }

  latent(): HostTensor {
    return latentOf(this.state);
  }

  snapshot(): EditState {
    return copyEditState(this.state);
  }

  async run(o: RunOptions = {}): Promise<RunResult> {
    if (this.running) throw new DragInputError('this session is already running');
    if (this.state.pairs.length === 0) throw new DragInputError('no points: add at least one handle -> target pair');
    this.running = true;
    try {
      return await this.runSteps(o);
    } finally {
      this.running = false;
    }
  }

  /** Runs steps on wherever this session computes, updating `this.state` as results arrive. */
  protected abstract runSteps(o: RunOptions): Promise<RunResult>;

  protected result(reason: RunResult['reason']): RunResult {
    return { reason, steps: this.state.steps, points: this.points };
  }
}
