/** The engine choice in a page: onnxruntime-web on wasm or WebGPU, or the remote endpoint. */
import type { ModelPackage } from '../../model/modelPackage';
import { ortWebProvider } from '../../runtime/ortWeb';
import { resolveRuntime } from '../../runtime/resolve';
import type { DragBackend } from '../../ui/dragBackend';
import { localBackend } from '../../ui/localBackend';
import { remoteBackend } from '../../ui/remoteBackend';
import type { Settings } from '../../ui/settings';

export interface WebRuntimeOptions {
  /** The .wasm bytes where the host cannot fetch files itself (UXP). */
  wasmBinary?: Uint8Array;
}

export async function createWebBackend(pkg: ModelPackage, s: Settings, o: WebRuntimeOptions = {}): Promise<DragBackend> {
  if (s.backend === 'remote') return remoteBackend(pkg.config, { url: s.remoteUrl, token: s.remoteToken, modelId: pkg.config.name });
  // one thread: SharedArrayBuffer needs cross-origin isolation, which neither UXP nor Photopea's iframe has
  const providers = s.backend === 'webgpu' ? [ortWebProvider('webgpu', 20, { threads: 1 }), ortWebProvider('wasm', 10, { threads: 1, wasmBinary: o.wasmBinary })] : [ortWebProvider('wasm', 10, { threads: 1, wasmBinary: o.wasmBinary })];
  const { runtime } = await resolveRuntime(providers);
  return localBackend(pkg, runtime);
}

export function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator;
}
