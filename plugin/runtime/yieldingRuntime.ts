import type { Runtime, Session } from './runtime';

/**
 * A runtime whose every run first lets the host's event loop turn. onnxruntime-web on wasm computes synchronously
 * inside its promise chain, so in a Web Worker a cancel message would otherwise wait for the whole drag or inversion
 * to end; with this it arrives before the next graph run.
 */
export function yieldingRuntime(runtime: Runtime, yieldNow: () => Promise<void>): Runtime {
  return {
    backend: runtime.backend,
    description: runtime.description,
    async createSession(model, options): Promise<Session> {
      const s = await runtime.createSession(model, options);
      return {
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        run: async (feeds, outputs) => {
          await yieldNow();
          return s.run(feeds, outputs);
        },
        runKeeping: async (feeds) => {
          await yieldNow();
          return s.runKeeping(feeds);
        },
        release: () => s.release(),
      };
    },
  };
}
