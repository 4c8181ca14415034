import {
  backendsIn,
  checkBackendChoice,
  startRuntime,
  type ProviderFactories,
  type ProviderSpec,
} from '../../plugin/engine/backends';
import { BackendError } from '../../plugin/core/errors';
import type { BackendProvider } from '../../plugin/runtime/runtime';

/** Providers that start, or fail with the given reason, per device; records what was tried. */
function fakeRuntimes(failing: Record<string, string>, tried: string[]): ProviderFactories {
  const provider = (s: ProviderSpec): BackendProvider => ({
    backend: s.device,
    priority: 0,
    async create() {
      tried.push(`${s.kind}:${s.device}:${s.threads ?? ''}`);
      if (failing[s.device]) throw new Error(failing[s.device]);
      return {
        backend: s.device,
        description: `${s.device} runtime`,
        createSession: () => Promise.reject(new Error('unused')),
      };
    },
  });
  return { 'ort-node': { devices: ['cpu', 'cuda'], provider }, 'ort-web': { devices: ['wasm'], provider } };
}

describe('the backend table: the one place that picks a device', () => {
  test('a host offers only the backends its runtimes can drive (a Node host has no WebGPU)', () => {
    expect(backendsIn(fakeRuntimes({}, []))).toEqual(['cpu', 'cuda', 'wasm', 'wasm2', 'remote']);
    expect(
      backendsIn({ 'ort-web': { devices: ['wasm', 'webgpu'], provider: fakeRuntimes({}, [])['ort-web']!.provider } }),
    ).toEqual(['wasm', 'wasm2', 'webgpu', 'remote']);
  });

  test('an unknown name is one error that lists the valid ones', () => {
    expect(() => checkBackendChoice('tpu', fakeRuntimes({}, []))).toThrow(BackendError);
    expect(() => checkBackendChoice('webgpu', fakeRuntimes({}, []))).toThrow(
      "unknown backend 'webgpu' (choose one of: cpu, cuda, wasm, wasm2, remote)",
    );
  });

  test('a backend that falls back says which and why, in the order the table gives', async () => {
    const tried: string[] = [];
    const { runtime, notes } = await startRuntime('cuda', fakeRuntimes({ cuda: 'libcudart.so.12 not found' }, tried));
    expect(runtime.backend).toBe('cpu');
    expect(tried).toEqual(['ort-node:cuda:', 'ort-node:cpu:']);
    expect(notes).toEqual(['cuda could not start (libcudart.so.12 not found); running cpu instead']);
  });

  test('wasm means one thread (as in the Photoshop panel), wasm2 two', async () => {
    const tried: string[] = [];
    await startRuntime('wasm', fakeRuntimes({}, tried));
    await startRuntime('wasm2', fakeRuntimes({}, tried));
    expect(tried).toEqual(['ort-web:wasm:1', 'ort-web:wasm:2']);
  });

  test('when nothing starts, every reason is kept', async () => {
    const p = startRuntime('cuda', fakeRuntimes({ cuda: 'no CUDA', cpu: 'no CPU provider' }, []));
    await expect(p).rejects.toThrow(BackendError);
    await expect(p).rejects.toMatchObject({
      failures: [
        { backend: 'cuda', error: 'no CUDA' },
        { backend: 'cpu', error: 'no CPU provider' },
      ],
    });
  });

  test("'remote' is an endpoint, not a runtime", async () => {
    await expect(startRuntime('remote', fakeRuntimes({}, []))).rejects.toThrow(/runs on an endpoint/);
  });
});
