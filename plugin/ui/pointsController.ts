/**
 * Handle/target placement: first click a handle, second its target; markers can be dragged, a selected pair
 * deleted, and Esc drops a half-placed pair. Coordinates are model pixels; the preview element converts.
 * The same by keyboard (issue 21): a cursor moved by the arrow keys stands in for the pointer, Enter for a click.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { HandleTarget, Point } from '../core/types';

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
  /** The keyboard's cursor (drawn as a crosshair), in model pixels; null until a key moves it. */
  cursor: Point | null = null;
  /** A marker picked up by Enter, with where it was so that Esc can put it back. */
  private held: { ref: MarkerRef; from: Point } | null = null;
  /** The marker `[` / `]` stepped to last (index into handle 0, target 0, handle 1, ...). */
  private stepped: number | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The model's image size (a portrait model's is half as wide as tall). */
    private readonly size: () => { width: number; height: number },
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private clamp(p: Point): Point {
    const { width, height } = this.size();
    return {
      x: Math.min(width - 1, Math.max(0, Math.round(p.x))),
      y: Math.min(height - 1, Math.max(0, Math.round(p.y))),
    };
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
    this.setMarker(this.dragging, p);
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
    this.forgetKeyboardMarker();
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
    this.forgetKeyboardMarker();
    this.host.requestUpdate();
  }

  set(pairs: readonly HandleTarget[]): void {
    this.pairs = pairs.map((p) => ({ handle: this.clamp(p.handle), target: this.clamp(p.target) }));
    this.pending = null;
    this.selected = null;
    this.forgetKeyboardMarker();
    this.tracked = null;
    this.host.requestUpdate();
  }

  /** Keyboard: Esc drops a half-placed pair, Delete/Backspace the selected one. True when the key was used. */
  key(key: string): boolean {
    if (key === 'Escape' && this.held) {
      const { ref, from } = this.held;
      this.setMarker(ref, from);
      this.cursor = from;
      this.held = null;
      this.host.requestUpdate();
      return true;
    }
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

  /** The marker Enter picked up, if any (the preview draws it as held). */
  get grabbed(): MarkerRef | null {
    return this.held?.ref ?? null;
  }

  /**
   * Keys that act on the image, for when the preview has the focus (issue 21: points by keyboard). Arrows move the
   * cursor 1 model pixel, 10 with Shift (Photoshop's nudge), and a picked-up marker with it; Enter or Space places a
   * handle at the cursor, then its target, or picks up the marker under the cursor, or drops the one held;
   * `[` / `]` step the cursor through the markers, selecting their pair; Esc and Delete as `key`. True when used.
   */
  previewKey(key: string, shift = false): boolean {
    const step = shift ? 10 : 1;
    const arrows: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    if (key in arrows) {
      this.nudge(...arrows[key]);
      return true;
    }
    if (key === 'Enter' || key === ' ') {
      this.enter();
      return true;
    }
    if (key === '[' || key === ']') return this.stepMarker(key === ']' ? 1 : -1);
    return this.key(key);
  }

  private centre(): Point {
    const { width, height } = this.size();
    return { x: Math.floor(width / 2), y: Math.floor(height / 2) };
  }

  private nudge(dx: number, dy: number): void {
    const c = this.cursor ?? this.centre();
    // the first arrow only shows the cursor where it starts
    this.cursor = this.cursor ? this.clamp({ x: c.x + dx, y: c.y + dy }) : c;
    if (this.held && !this.locked) this.setMarker(this.held.ref, this.cursor);
    this.host.requestUpdate();
  }

  private enter(): void {
    if (this.locked) return;
    const c = this.cursor ?? this.centre();
    this.cursor = c;
    if (this.held) {
      this.held = null;
    } else {
      // a marker exactly under the cursor is picked up (the cursor lands on markers by `[` / `]`); else a point is placed
      const m = this.pending ? null : this.hit(c, 0);
      if (m) {
        this.held = { ref: m, from: { ...this.pairs[m.pair][m.role] } };
        this.selected = m.pair;
      } else {
        this.press(c, 0);
      }
    }
    this.host.requestUpdate();
  }

  private stepMarker(dir: 1 | -1): boolean {
    const n = this.pairs.length * 2;
    if (n === 0 || this.held || this.pending) return false;
    const i = this.stepped === null ? (dir > 0 ? 0 : n - 1) : (this.stepped + dir + n) % n;
    this.stepped = i;
    const ref: MarkerRef = { pair: Math.floor(i / 2), role: i % 2 === 0 ? 'handle' : 'target' };
    this.selected = ref.pair;
    this.cursor = { ...this.pairs[ref.pair][ref.role] };
    this.host.requestUpdate();
    return true;
  }

  private setMarker(ref: MarkerRef, p: Point): void {
    this.pairs = this.pairs.map((x, i) => (i === ref.pair ? { ...x, [ref.role]: this.clamp(p) } : x));
  }

  /** A removed or replaced pair takes the keyboard's hold and place in the marker order with it. */
  private forgetKeyboardMarker(): void {
    this.held = null;
    this.stepped = null;
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
