import type { ExternalData } from '../graph/onnx';
import type { HostTensor } from '../graph/tensor';

/** Where graphs run. Every backend the project supports implements this one interface. */
export type BackendName = 'cpu' | 'cuda' | 'wasm' | 'webgpu' | 'remote';

export interface SessionOptions {
  /** Threads for intra-op parallelism; 0 = the backend's default. */
  threads?: number;
  /**
   * Outputs to leave where they were computed (GPU memory on WebGPU): `runKeeping` returns them as DeviceTensors,
   * to be fed to another session of the same runtime without a round trip through the host.
   */
  deviceOutputs?: readonly string[];
  /** Names the session in the runtime's own log lines. */
  label?: string;
  /** The data of the initializers the model names as external (graph/onnx.ts toOnnxSharing). */
  externalData?: readonly ExternalData[];
  /**
   * The session runs the same large graph again and again (a full-resolution render): a runtime that can keeps the
   * runs' memory between them rather than taking fresh pages from the system for every run.
   */
  reuseRunMemory?: boolean;
}

/**
 * A tensor left on the device by `Session.runKeeping`: opaque, only good as a feed to sessions of the runtime that
 * made it. Its owner disposes it once no run needs it (GPU memory is not garbage-collected).
 */
export interface DeviceTensor {
  readonly kind: 'device';
  readonly shape: readonly number[];
  /** Where the data is, in onnxruntime's words: 'gpu-buffer' on WebGPU, 'cpu' on CPU providers. */
  readonly location: string;
  /** Frees the memory; idempotent. The tensor may not be fed afterwards. */
  dispose(): void;
}

export type SessionFeed = HostTensor | DeviceTensor;

export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph; returns the requested outputs (all outputs when `outputs` is omitted), all on the host. */
  run(feeds: Record<string, SessionFeed>, outputs?: readonly string[]): Promise<Record<string, HostTensor>>;
  /** Runs every output: those named in SessionOptions.deviceOutputs stay on the device, the others come to the host. */
  runKeeping(
    feeds: Record<string, SessionFeed>,
  ): Promise<{ host: Record<string, HostTensor>; device: Record<string, DeviceTensor> }>;
  release(): Promise<void>;
}

export interface Runtime {
  readonly backend: BackendName;
  /** A human-readable description, e.g. "onnxruntime-node 1.30 (CPU, 2 threads)". */
  readonly description: string;
  createSession(model: Uint8Array, options?: SessionOptions): Promise<Session>;
}

/** A way to get a runtime, tried in priority order by `resolveRuntime`. */
export interface BackendProvider {
  readonly backend: BackendName;
  /** Higher is tried first. */
  readonly priority: number;
  create(): Promise<Runtime>;
}
