/**
 * Handle/target placement: first click a handle, second its target; markers can be dragged, a selected pair
 * deleted, and Esc drops a half-placed pair. Coordinates are model pixels; the preview element converts.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { HandleTarget, Point } from '../engine/core/types';

export type MarkerRef = { pair: number; role: 'handle' | 'target' };

export class PointsController implements ReactiveController {
  pairs: HandleTarget[] = [];
  /** A handle waiting for its target. */
  pending: Point | null = null;
  /** Live tracked handle positions while a drag runs. */
  tracked: Point[] | null = null;
  selected: number | null = null;
  private dragging: MarkerRef | null = null;
  /** Points may not change while a drag runs (the session holds them). */
  locked = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly resolution: () => number,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private clamp(p: Point): Point {
    const r = this.resolution() - 1;
    return { x: Math.min(r, Math.max(0, Math.round(p.x))), y: Math.min(r, Math.max(0, Math.round(p.y))) };
  }

  /** The marker within `radius` model pixels of p, targets first (they sit on top). */
  hit(p: Point, radius: number): MarkerRef | null {
    let best: MarkerRef | null = null;
    let bestD = radius;
    this.pairs.forEach((pair, i) => {
      for (const role of ['target', 'handle'] as const) {
        const d = Math.hypot(pair[role].x - p.x, pair[role].y - p.y);
        if (d <= bestD) {
          bestD = d;
          best = { pair: i, role };
        }
      }
    });
    return best;
  }

  /** Pointer down at p: grabs a marker when one is under the pointer, else places a point. */
  press(p: Point, hitRadius: number): void {
    if (this.locked) return;
    const m = this.pending ? null : this.hit(p, hitRadius);
    if (m) {
      this.dragging = m;
      this.selected = m.pair;
    } else if (this.pending) {
      this.pairs = [...this.pairs, { handle: this.pending, target: this.clamp(p) }];
      this.pending = null;
      this.selected = this.pairs.length - 1;
    } else {
      this.pending = this.clamp(p);
      this.selected = null;
    }
    this.tracked = null;
    this.host.requestUpdate();
  }

  move(p: Point): void {
    if (!this.dragging || this.locked) return;
    const { pair, role } = this.dragging;
    this.pairs = this.pairs.map((x, i) => (i === pair ? { ...x, [role]: this.clamp(p) } : x));
    this.host.requestUpdate();
  }

  release(): void {
    this.dragging = null;
  }

  get isDragging(): boolean {
    return this.dragging !== null;
  }

  cancelPending(): void {
    if (!this.pending) return;
    this.pending = null;
    this.host.requestUpdate();
  }

  remove(pair: number): void {
    if (this.locked || pair < 0 || pair >= this.pairs.length) return;
    this.pairs = this.pairs.filter((_, i) => i !== pair);
    this.selected = null;
    this.host.requestUpdate();
  }

  removeSelected(): void {
    if (this.selected !== null) this.remove(this.selected);
  }

  clear(): void {
    if (this.locked) return;
    this.pairs = [];
    this.pending = null;
    this.selected = null;
    this.tracked = null;
    this.host.requestUpdate();
  }

  set(pairs: readonly HandleTarget[]): void {
    this.pairs = pairs.map((p) => ({ handle: this.clamp(p.handle), target: this.clamp(p.target) }));
    this.pending = null;
    this.selected = null;
    this.tracked = null;
    this.host.requestUpdate();
  }

  /** Keyboard: Esc drops a half-placed pair, Delete/Backspace the selected one. True when the key was used. */
  key(key: string): boolean {
    if (key === 'Escape' && this.pending) {
      this.cancelPending();
      return true;
    }
    if ((key === 'Delete' || key === 'Backspace') && this.selected !== null) {
      this.removeSelected();
      return true;
    }
    return false;
  }

  showTracked(points: Point[] | null): void {
    this.tracked = points;
    this.host.requestUpdate();
  }

  /** After a drag: the handles continue from where tracking left them, the targets stay. */
  advanceHandles(points: readonly Point[]): void {
    this.pairs = this.pairs.map((p, i) => ({ handle: this.clamp(points[i] ?? p.handle), target: p.target }));
    this.tracked = null;
    this.host.requestUpdate();
  }
}
