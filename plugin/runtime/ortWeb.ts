import type { BackendProvider, Runtime, SessionOptions, Session } from './runtime';
import { OrtSession } from './ortSession';

type OrtWeb = typeof import('onnxruntime-web');

export interface WasmOptions {
  /** The .wasm bytes, for hosts that cannot fetch files (the UXP panel). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Threads; 1 where the host has no SharedArrayBuffer (UXP, pages without cross-origin isolation). */
  threads?: number;
}

/** onnxruntime-web with the wasm or WebGPU execution provider. */
export function ortWebProvider(backend: 'wasm' | 'webgpu', priority: number, options: WasmOptions = {}): BackendProvider {
  return {
    backend,
    priority,
    async create(): Promise<Runtime> {
      const ort: OrtWeb = await import('onnxruntime-web');
      if (options.wasmBinary) ort.env.wasm.wasmBinary = options.wasmBinary;
      ort.env.wasm.numThreads = options.threads ?? 1;
      if (backend === 'webgpu') {
        const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
        if (!gpu || !(await gpu.requestAdapter())) throw new Error('WebGPU is not available in this host');
      }
      return {
        backend,
        description: `onnxruntime-web ${ort.env.versions.common ?? ''} (${backend}, ${ort.env.wasm.numThreads} thread${ort.env.wasm.numThreads === 1 ? '' : 's'})`,
        async createSession(model: Uint8Array, _o: SessionOptions = {}): Promise<Session> {
          const session = await ort.InferenceSession.create(model, { executionProviders: [backend], graphOptimizationLevel: 'all' });
          return new OrtSession(session, ort.Tensor);
        },
      };
    },
  };
}

/** Providers for onnxruntime-web's devices, as the engine's backend table asks for them. */
export function ortWebProviders(options: Pick<WasmOptions, 'wasmBinary'> = {}): (spec: { device: string; threads?: number }) => BackendProvider {
  return (spec) => {
    if (spec.device !== 'wasm' && spec.device !== 'webgpu') throw new Error(`onnxruntime-web has no ${spec.device} device`);
    return ortWebProvider(spec.device, spec.device === 'webgpu' ? 20 : 10, { ...options, threads: spec.threads ?? 1 });
  };
}
