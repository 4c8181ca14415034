import type { HostTensor } from '../graph/tensor';

/** Where graphs run. Every backend the project supports implements this one interface. */
export type BackendName = 'cpu' | 'cuda' | 'wasm' | 'webgpu' | 'remote';

export interface SessionOptions {
  /** Threads for intra-op parallelism; 0 = the backend's default. */
  threads?: number;
}

export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph; returns the requested outputs (all outputs when `outputs` is omitted). */
  run(feeds: Record<string, HostTensor>, outputs?: readonly string[]): Promise<Record<string, HostTensor>>;
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
