import type { PreviewPacer } from '../core/session';

/**
 * When to render a live preview during a drag. A preview is a whole synthesis, several windowed steps' worth, so
 * previews on a fixed step cadence would eat the windowing's gain. The budget spaces them by time: one at most
 * every `minIntervalMs` and, counting the next one at the last one's cost, never more than `maxShare` of the run's
 * time so far; the caller adds one at the end.
 */
export class PreviewBudget implements PreviewPacer {
  private start?: number;
  private lastEnd?: number;
  private spent = 0;
  private lastCost: number;
  private count = 0;

  constructor(
    readonly minIntervalMs = 1500,
    readonly maxShare = 0.25,
    /** Cost assumed for the first preview, before one has been timed. */
    firstEstimateMs = 0,
  ) {
    this.lastCost = firstEstimateMs;
  }

  /** Marks the start of the run (the first call to due() does it otherwise). */
  begin(now: number): void {
    this.start ??= now;
  }

  /** Whether a preview may be rendered now. */
  due(now: number): boolean {
    this.begin(now);
    const since = now - (this.lastEnd ?? (this.start as number));
    const total = now - (this.start as number) + this.lastCost;
    return since >= this.minIntervalMs && this.spent + this.lastCost <= this.maxShare * total;
  }

  /** Records a preview that ran from `from` to `to`. */
  rendered(from: number, to: number): void {
    this.begin(from);
    this.lastCost = to - from;
    this.spent += this.lastCost;
    this.lastEnd = to;
    this.count++;
  }

  /** The cadence in words, with what it came to. */
  describe(now: number): string {
    const total = this.start === undefined ? 0 : now - this.start;
    return `live previews at most every ${(this.minIntervalMs / 1000).toFixed(1)} s and at most ${Math.round(this.maxShare * 100)}% of the run's time, plus one at the end: ${this.count} during ${(total / 1000).toFixed(1)} s (${Math.round(this.spent)} ms)`;
  }

  get previews(): number {
    return this.count;
  }
}
