import type { Runtime, Session } from '../../plugin/runtime/runtime';
import { yieldingRuntime } from '../../plugin/runtime/yieldingRuntime';

/** A runtime whose runs log when they start; the data does not matter. */
function loggingRuntime(log: string[]): Runtime {
  const session: Session = {
    inputNames: ['x'],
    outputNames: ['y'],
    run: async () => {
      log.push('run');
      return {};
    },
    runKeeping: async () => {
      log.push('runKeeping');
      return { host: {}, device: {} };
    },
    release: async () => undefined,
  };
  return { backend: 'wasm', description: 'logging', createSession: async () => session };
}

test('every graph run first lets the event loop turn, so a message (a Stop) queued before it is handled first', async () => {
  const log: string[] = [];
  const rt = yieldingRuntime(loggingRuntime(log), () => new Promise((r) => setTimeout(r, 0)));
  const s = await rt.createSession(new Uint8Array());
  expect(s.inputNames).toEqual(['x']);
  // a task queued now stands for a Stop click or a cancel message arriving while the engine computes
  setTimeout(() => log.push('stop handled'), 0);
  await s.run({});
  setTimeout(() => log.push('stop handled'), 0);
  await s.runKeeping({});
  expect(log).toEqual(['stop handled', 'run', 'stop handled', 'runKeeping']);
  expect(rt.description).toBe('logging');
});
