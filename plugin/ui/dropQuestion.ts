/** The question asked before something starts the edit afresh where there is work to lose: go on, or keep the edit. */
import type { ReactiveControllerHost } from 'lit';

export class DropQuestion {
  /** The question on screen; null when none. */
  shown: { message: string; yes: string } | null = null;
  private answerWith?: (yes: boolean) => void;

  constructor(private readonly host: ReactiveControllerHost) {}

  /** Asks; true to go on. A question still open when another comes is declined. */
  ask(message: string, yes: string): Promise<boolean> {
    this.answerWith?.(false);
    return new Promise((resolve) => {
      this.shown = { message, yes };
      this.answerWith = resolve;
      this.host.requestUpdate();
    });
  }

  /** The user's answer. */
  answer(yes: boolean): void {
    const resolve = this.answerWith;
    this.answerWith = undefined;
    this.shown = null;
    this.host.requestUpdate();
    resolve?.(yes);
  }
}
