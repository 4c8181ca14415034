/**
 * What the panel is doing, in the manner of Lit's Task: one action at a time under its label (`busy`), its progress,
 * the status line, and a failure said in place. Every change asks the host to render, so callers never do.
 */
import type { ReactiveControllerHost } from 'lit';

export interface Progress {
  step: number;
  max: number;
  label: string;
}

export class PanelTask {
  private busyLabel: string | null = null;
  private errorText: string | null = null;
  private statusText = '';
  private progressNow: Progress | null = null;
  /** For a message about something the user has to change (no points yet, a bad field): whether it is fixed now. */
  private errorGone?: () => boolean;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** A failure as the user should read it, for what was being done ("Generating"). */
    private readonly explain: (e: unknown, doing: string) => string,
  ) {}

  /** What is running now ("Generating", "Dragging" ...); null when idle. */
  get busy(): string | null {
    return this.busyLabel;
  }

  get error(): string | null {
    return this.errorText;
  }

  get status(): string {
    return this.statusText;
  }

  set status(text: string) {
    this.statusText = text;
    this.host.requestUpdate();
  }

  get progress(): Progress | null {
    return this.progressNow;
  }

  set progress(p: Progress | null) {
    this.progressNow = p;
    this.host.requestUpdate();
  }

  /** After each render: a message whose cause the user has fixed since goes away. */
  dropFixedMessage(): void {
    if (this.errorText && this.errorGone?.()) this.showError(null);
  }

  /** Shows a message about something the user has to change; it goes once `gone` says it is fixed. */
  ask(message: string, gone: () => boolean): void {
    this.showError(message, gone);
  }

  /** A failure outside an action (a late render): said in place until the next action. */
  fail(e: unknown, doing: string): void {
    this.showError(this.explain(e, doing));
  }

  /**
   * Runs an action with `busy` set and any failure said in place; the status line is left as it was before a failed
   * action (not on its own "Starting the engine…"). While one runs, another is not started.
   */
  async run(label: string, fn: () => Promise<void>): Promise<void> {
    if (this.busyLabel) return;
    this.busyLabel = label;
    this.showError(null);
    const statusBefore = this.statusText;
    try {
      await fn();
    } catch (e) {
      this.showError(this.explain(e, label));
      this.statusText = statusBefore;
    } finally {
      this.busyLabel = null;
      this.progress = null;
    }
  }

  /** Runs one stage of `of` with a progress bar at it, its label counting the seconds so a slow stage shows it is alive. */
  async stage<T>(index: number, of: number, label: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const show = () => {
      this.progress = {
        step: index,
        max: of,
        label: `${label} (${index + 1} of ${of})… ${Math.floor((Date.now() - t0) / 1000)} s`,
      };
    };
    show();
    const timer = setInterval(show, 1000);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  private showError(text: string | null, gone?: () => boolean): void {
    this.errorText = text;
    this.errorGone = gone;
    this.host.requestUpdate();
  }
}
