import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Point } from '../core/types';
import type { DragHyperParameters } from '../core/dragSettings';
import type { Engine } from '../engine/engine';

/** What the next drag would run with, as far as building ahead depends on it. */
export interface NextDrag {
  engine: Engine | undefined;
  handles: readonly Point[];
  /** Whether a mask is painted (a scan of it: asked only when the rest allows building). */
  masked(): boolean;
  hp: Partial<DragHyperParameters>;
  /** Something runs now: nothing is built beside it. */
  busy: boolean;
}

/** Waits this long after the last change: a user placing several points builds once, for the last count. */
export const PREPARE_DELAY_MS = 400;

/**
 * Builds ahead, while the user places points, what the next drag's steps will run (Engine.prepareDrag), so that
 * pressing Run starts moving at once: building a step's sessions is seconds at 512 px. Only for engines off the
 * panel's thread (a worker, a process): on the panel's own thread the build would freeze the points being placed,
 * so there the first step keeps paying for it (docs/photoshop.md, finding 25). Failures are left to the drag, which
 * reports them.
 */
export class DragPreparer implements ReactiveController {
  private lastKey = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly next: () => NextDrag,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const n = this.next();
    const engine = n.engine;
    if (!engine?.prepareDrag || engine.stepsPerCall <= 1 || n.busy || n.handles.length === 0) return;
    const key = JSON.stringify([engine.description, engine.model.id, n.handles.length, n.masked(), n.hp]);
    if (key === this.lastKey) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const now = this.next();
      if (now.busy || now.engine !== engine) return;
      this.lastKey = key;
      engine.prepareDrag?.(now.handles, now.masked(), now.hp).catch(() => {
        // the drag builds again and says what failed
        this.lastKey = '';
      });
    }, PREPARE_DELAY_MS);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }
}
