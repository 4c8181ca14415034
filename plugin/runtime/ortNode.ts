import type { BackendProvider, Runtime, SessionOptions, Session } from './runtime';
import { OrtSession } from './ortSession';

type OrtNode = typeof import('onnxruntime-node');

async function loadOrtNode(): Promise<OrtNode> {
  // onnxruntime-node 1.30's native library starts Microsoft telemetry that uploads over HTTPS (its strings: "telemetry
  // HTTPS uploads", 1DS event collector) unless ORT_DISABLE_TELEMETRY is set before it loads: nothing of ours goes
  // out unasked. A user's own setting is kept.
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (env && env.ORT_DISABLE_TELEMETRY === undefined) env.ORT_DISABLE_TELEMETRY = '1';
  return import('onnxruntime-node');
}

/** onnxruntime-node on the CPU, or with the CUDA execution provider where the machine has it. */
function ortNodeRuntime(ort: OrtNode, provider: 'cpu' | 'cuda'): Runtime {
  return {
    backend: provider,
    description: `onnxruntime-node ${ort.env.versions.common ?? ''} (${provider.toUpperCase()})`,
    async createSession(model: Uint8Array, options: SessionOptions = {}): Promise<Session> {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: options.threads ?? 0,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        // The arena keeps peak-sized blocks forever; without it a 512 px drag step peaks about 350 MB lower at equal speed.
        // Without it, though, every run of a large graph maps its tensors afresh (glibc hands blocks over 32 MB back
        // to the system when freed), and the page faults were a quarter of a 512 px render's CPU. So renders keep an
        // arena, and no memory pattern: the pattern's one run-sized block came on top of the arena's chunks.
        enableCpuMemArena: options.reuseRunMemory === true,
        enableMemPattern: options.reuseRunMemory !== true,
        ...(options.externalData ? { externalData: [...options.externalData] } : {}),
      });
      // CPU and CUDA outputs come back in host memory; the kept ones are fed back as they are, without a copy. The
      // external data is not kept: onnxruntime-node copies it at creation (test/runtime/ortNodeExternalData.test.ts).
      return new OrtSession(session, ort.Tensor, new Set(options.deviceOutputs));
    },
  };
}

export const ortNodeCpu: BackendProvider = {
  backend: 'cpu',
  priority: 50,
  async create() {
    return ortNodeRuntime(await loadOrtNode(), 'cpu');
  },
};

export const ortNodeCuda: BackendProvider = {
  backend: 'cuda',
  priority: 100,
  async create() {
    const ort = await loadOrtNode();
    const rt = ortNodeRuntime(ort, 'cuda');
    // Probe with a trivial model: listing the provider is not proof that the CUDA libraries load.
    const { probeModel } = await import('./probeModel');
    const s = await rt.createSession(probeModel());
    await s.release();
    return rt;
  },
};

/** The provider for one of onnxruntime-node's devices, as the engine's backend table asks for it. */
export function ortNodeProvider(spec: { device: string }): BackendProvider {
  if (spec.device === 'cpu') return ortNodeCpu;
  if (spec.device === 'cuda') return ortNodeCuda;
  throw new Error(`onnxruntime-node has no ${spec.device} device`);
}
