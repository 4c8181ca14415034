import { BackendError } from '../../plugin/core/errors';
import { resolveRuntime } from '../../plugin/runtime/resolve';
import type { BackendName, BackendProvider, Runtime } from '../../plugin/runtime/runtime';

function provider(backend: BackendName, priority: number, fails?: string): BackendProvider {
  return {
    backend,
    priority,
    async create(): Promise<Runtime> {
      if (fails) throw new Error(fails);
      return { backend, description: backend, createSession: () => Promise.reject(new Error('unused')) };
    },
  };
}

test('the highest-priority backend that starts wins, and the failures before it are reported', async () => {
  const r = await resolveRuntime([
    provider('wasm', 10),
    provider('cuda', 100, 'libcudart.so.12 not found'),
    provider('cpu', 50),
  ]);
  expect(r.runtime.backend).toBe('cpu');
  expect(r.skipped).toEqual([{ backend: 'cuda', error: 'libcudart.so.12 not found' }]);
});

test('an explicit preference order overrides the priorities', async () => {
  const r = await resolveRuntime([provider('wasm', 10), provider('cpu', 50)], ['wasm', 'cpu']);
  expect(r.runtime.backend).toBe('wasm');
});

test('when nothing starts, every error is in the message', async () => {
  const p = resolveRuntime([
    provider('webgpu', 90, 'WebGPU is not available in this host'),
    provider('wasm', 10, 'wasm file missing'),
  ]);
  await expect(p).rejects.toThrow(BackendError);
  await expect(p).rejects.toThrow(/webgpu: WebGPU is not available[\s\S]*wasm: wasm file missing/);
});

test('asking for a backend this host lacks says so', async () => {
  await expect(resolveRuntime([provider('cpu', 50)], ['remote'])).rejects.toThrow(/remote: not available in this host/);
});
