import type { HostTensor } from '../graph/tensor';
import type { ClipStore, FrameInversion } from './clipDrag';

/**
 * A clip's work kept in memory (the panel and the page; the CLI keeps it in files: hosts/cli/clipStore.ts), so a
 * stopped clip drag resumes from the frames done. Inversions hold while the inversion settings do; edits while the
 * run's key frame, points and drag settings do too: `begin` drops what a new run cannot use.
 */
export class MemoryClipStore implements ClipStore {
  private readonly inversions = new Map<number, FrameInversion>();
  private readonly edits = new Map<number, HostTensor>();
  private described = { inversion: '', drag: '' };

  /** Starts a run; returns how many frames' edits it finds done. */
  begin(inversion: unknown, drag: unknown): number {
    const now = { inversion: JSON.stringify(inversion), drag: JSON.stringify(drag) };
    if (now.inversion !== this.described.inversion) this.inversions.clear();
    if (now.inversion !== this.described.inversion || now.drag !== this.described.drag) this.edits.clear();
    this.described = now;
    return this.edits.size;
  }

  /** A fresh drag of the same clip: its inversions are kept, the edits done again. */
  dropEdits(): void {
    this.edits.clear();
  }

  /** A new clip: nothing kept. */
  clear(): void {
    this.inversions.clear();
    this.edits.clear();
    this.described = { inversion: '', drag: '' };
  }

  /** How many frames' drags are done and kept (a drag cut short by Stop is not). */
  get dragged(): number {
    return this.edits.size;
  }

  inverted(i: number): FrameInversion | undefined {
    return this.inversions.get(i);
  }

  edited(i: number): HostTensor | undefined {
    return this.edits.get(i);
  }

  saveInverted(i: number, r: FrameInversion): void {
    this.inversions.set(i, r);
  }

  saveEdited(i: number, edited: HostTensor): void {
    this.edits.set(i, edited);
  }
}
