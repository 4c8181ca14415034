import { startRuntime, type ProviderFactories } from '../../engine/backends';
import { ortNodeProvider } from '../../runtime/ortNode';
import { ortWebProviders } from '../../runtime/ortWeb';
import type { Runtime } from '../../runtime/runtime';

/** The runtimes a Node host links: onnxruntime-node (CPU, CUDA) and onnxruntime-web on wasm (to measure the panel's engine). */
export const NODE_RUNTIMES: ProviderFactories = {
  'ort-node': { devices: ['cpu', 'cuda'], provider: ortNodeProvider },
  'ort-web': { devices: ['wasm'], provider: ortWebProviders() },
};

/** Starts the runtime a `--backend` value names (the engine's backend table decides what that means). */
export function startNodeRuntime(backend: string): Promise<{ runtime: Runtime; notes: string[] }> {
  return startRuntime(backend, NODE_RUNTIMES);
}
