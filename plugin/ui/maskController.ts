/**
 * The mask brush: paints the flexible region (1 = may change) on the model's image, width x height (a portrait
 * model's is half as wide as tall). With nothing painted there is
 * no mask and the whole image may change, as in the official tool.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Point } from '../core/types';
import { imageUrl } from './imageUrl';

export class MaskController implements ReactiveController {
  data: Uint8Array;
  brush = 8;
  erase = false;
  visible = true;
  /** Pointer input paints instead of placing points. */
  painting = false;
  private stroke = false;
  private last: Point | null = null;
  private cachedUrl: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private width: number,
    private height = width,
  ) {
    this.data = new Uint8Array(width * height);
    host.addController(this);
  }

  hostConnected(): void {}

  resize(width: number, height = width): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height);
    this.changed();
  }

  get isEmpty(): boolean {
    return !this.data.some((v) => v !== 0);
  }

  private changed(): void {
    this.cachedUrl = null;
    this.host.requestUpdate();
  }

  private dab(p: Point): void {
    const r = this.brush / 2;
    const { width: w, height: h } = this;
    const v = this.erase ? 0 : 1;
    for (let y = Math.max(0, Math.floor(p.y - r)); y <= Math.min(h - 1, Math.ceil(p.y + r)); y++) {
      for (let x = Math.max(0, Math.floor(p.x - r)); x <= Math.min(w - 1, Math.ceil(p.x + r)); x++) {
        if ((x - p.x) ** 2 + (y - p.y) ** 2 <= r * r) this.data[y * w + x] = v;
      }
    }
  }

  /** Dabs along the segment so a fast stroke leaves no gaps. */
  private line(a: Point, b: Point): void {
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / Math.max(1, this.brush / 4)));
    for (let i = 0; i <= steps; i++)
      this.dab({ x: a.x + ((b.x - a.x) * i) / steps, y: a.y + ((b.y - a.y) * i) / steps });
  }

  begin(p: Point): void {
    this.stroke = true;
    this.last = p;
    this.dab(p);
    this.changed();
  }

  continue(p: Point): void {
    if (!this.stroke || !this.last) return;
    this.line(this.last, p);
    this.last = p;
    this.changed();
  }

  end(): void {
    this.stroke = false;
    this.last = null;
  }

  clear(): void {
    this.data.fill(0);
    this.changed();
  }

  set(mask: Uint8Array): void {
    this.data = Uint8Array.from(mask, (v) => (v ? 1 : 0));
    this.changed();
  }

  /** For the session: null when nothing is painted. */
  forSession(): { width: number; height: number; data: Uint8Array } | null {
    return this.isEmpty ? null : { width: this.width, height: this.height, data: this.data };
  }

  /** The overlay's URL while one is made (kept alive by the image URL release). */
  get liveUrl(): string | null {
    return this.cachedUrl;
  }

  /** A translucent overlay image of the flexible region (cached until the mask changes). */
  overlayUrl(): string {
    if (!this.cachedUrl) {
      const rgba = new Uint8ClampedArray(this.data.length * 4);
      for (let i = 0; i < this.data.length; i++) if (this.data[i]) rgba.set([255, 200, 0, 110], i * 4);
      this.cachedUrl = imageUrl({ width: this.width, height: this.height, data: rgba });
    }
    return this.cachedUrl;
  }
}
