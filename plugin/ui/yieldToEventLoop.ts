/**
 * Lets clicks, repaints and the Stop button through between drag steps: the wasm runtime in the UXP panel runs
 * on the one UI thread, so without this the panel would freeze for the whole run.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
