/**
 * A drag as the panel runs it: calls to the session until it stops, with a preview when one is due. An engine on the
 * panel's thread runs a step per call and the loop yields between them, so the panel repaints and Stop gets through.
 */
import type { Image8 } from '../codecs/image8';
import type { DragSessionLike } from '../core/session';
import type { Point, StepReport, StopReason } from '../core/types';
import { PreviewBudget } from '../drag/previewBudget';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface DragLoopOptions {
  /** The handles as placed (where they are until a step tracks them). */
  handles: Point[];
  /** Steps the engine runs per call (Engine.stepsPerCall). */
  stepsPerCall: number;
  maxSteps: number;
  /** A preview at most every this many steps. */
  previewEvery: number;
  signal: AbortSignal;
  onStep(report: StepReport): void;
  onPreview(image: Image8, step: number): void;
}

export interface DragLoopResult {
  steps: number;
  reason: StopReason;
  /** Where the handles were tracked to. */
  tracked: Point[];
  /** The last preview and the step it shows. */
  shown?: { image: Image8; step: number };
}

export async function dragLoop(session: DragSessionLike, o: DragLoopOptions): Promise<DragLoopResult> {
  const every = Math.max(1, Math.round(o.previewEvery));
  // A preview is a whole synthesis, several windowed steps' worth: spaced by time as well as by the setting.
  const budget = new PreviewBudget();
  budget.begin(Date.now());
  let steps = 0;
  let tracked = o.handles;
  let shown: DragLoopResult['shown'];
  for (;;) {
    // a local run() renders a preview at the end of every call, so it gets a callback only when one is due
    const due = o.stepsPerCall > 1 || ((steps + 1) % every === 0 && budget.due(Date.now()));
    const r = await session.run({
      signal: o.signal,
      steps: o.stepsPerCall,
      previewEvery: every,
      previewBudget: budget,
      onStep: (rep) => {
        tracked = rep.points;
        o.onStep(rep);
      },
      onPreviewImage: due
        ? (image, step) => {
            shown = { image, step };
            o.onPreview(image, step);
          }
        : undefined,
    });
    steps = r.steps;
    tracked = r.points;
    if (r.reason !== 'step-cap' || r.steps >= o.maxSteps) return { steps, reason: r.reason, tracked, shown };
    await yieldToEventLoop();
  }
}
