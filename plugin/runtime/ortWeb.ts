import type { BackendProvider, Runtime, SessionOptions, Session } from './runtime';
import { OrtSession } from './ortSession';
import { probeModel } from './probeModel';
import { probeWebGpu } from './webGpuProbe';

type OrtWeb = typeof import('onnxruntime-web');

export { probeWebGpu, type WebGpuAvailability } from './webGpuProbe';

export interface WasmOptions {
  /** The .wasm bytes, for hosts that cannot fetch files (the UXP panel). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Threads; 1 where the host has no SharedArrayBuffer (UXP, pages without cross-origin isolation). */
  threads?: number;
  /** onnxruntime's verbose log of session creation on the console: node placements (diagnosis, the WebGPU e2e test). */
  verboseLog?: boolean;
}

function sessionOptions(
  backend: 'wasm' | 'webgpu',
  o: SessionOptions,
  verbose: boolean,
): import('onnxruntime-web').InferenceSession.SessionOptions {
  const log = {
    ...(o.label ? { logId: o.label } : {}),
    ...(verbose ? { logSeverityLevel: 0 as const, logVerbosityLevel: 0 } : {}),
    ...(o.externalData ? { externalData: [...o.externalData] } : {}),
  };
  if (backend === 'wasm') return { executionProviders: ['wasm'], graphOptimizationLevel: 'all', ...log };
  return {
    // NCHW, as the graphs are written: with NHWC (its default) onnxruntime-web wraps the Convs in Transposes and
    // runs those of bool tensors (Where conditions in the backward) on the CPU
    executionProviders: [{ name: 'webgpu', preferredLayout: 'NCHW' }],
    graphOptimizationLevel: 'all',
    // the kept outputs (a forward's saved tensors) stay in GPU buffers until the backward run consumes them
    preferredOutputLocation: Object.fromEntries((o.deviceOutputs ?? []).map((n) => [n, 'gpu-buffer' as const])),
    ...log,
  };
}

/** onnxruntime-web with the wasm or WebGPU execution provider. */
export function ortWebProvider(
  backend: 'wasm' | 'webgpu',
  priority: number,
  options: WasmOptions = {},
): BackendProvider {
  return {
    backend,
    priority,
    async create(): Promise<Runtime> {
      const ort: OrtWeb = await import('onnxruntime-web');
      if (options.wasmBinary) ort.env.wasm.wasmBinary = options.wasmBinary;
      ort.env.wasm.numThreads = options.threads ?? 1;
      let where = `${ort.env.wasm.numThreads} thread${ort.env.wasm.numThreads === 1 ? '' : 's'}`;
      if (backend === 'webgpu') {
        // offered only with an adapter; without one, say why here rather than fail later inside onnxruntime
        const { available, reason, adapter } = await probeWebGpu();
        if (!available) throw new Error(`WebGPU is not available: ${reason}`);
        where = adapter ?? where;
      }
      const runtime: Runtime = {
        backend,
        description: `onnxruntime-web ${ort.env.versions.common ?? ''} (${backend}, ${where})`,
        async createSession(model: Uint8Array, o: SessionOptions = {}): Promise<Session> {
          const session = await ort.InferenceSession.create(model, sessionOptions(backend, o, !!options.verboseLog));
          return new OrtSession(session, ort.Tensor, new Set(o.deviceOutputs), o.externalData);
        },
      };
      if (backend === 'webgpu') {
        // an adapter is not yet a device: start onnxruntime's WebGPU backend now, so a failure shows here
        const s = await runtime.createSession(probeModel(), { label: 'webgpu-probe' });
        await s.release();
      }
      return runtime;
    },
  };
}

/** Providers for onnxruntime-web's devices, as the engine's backend table asks for them. */
export function ortWebProviders(
  options: Pick<WasmOptions, 'wasmBinary'> = {},
): (spec: { device: string; threads?: number }) => BackendProvider {
  return (spec) => {
    if (spec.device !== 'wasm' && spec.device !== 'webgpu')
      throw new Error(`onnxruntime-web has no ${spec.device} device`);
    return ortWebProvider(spec.device, spec.device === 'webgpu' ? 20 : 10, { ...options, threads: spec.threads ?? 1 });
  };
}
