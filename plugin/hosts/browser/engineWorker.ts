/** Entry of the pages' engine worker: the engine on onnxruntime-web (wasm or WebGPU), off the page's main thread. */
import { serveEngineInWorker, type WorkerScope } from '../../engine/workerHost';
import { ortWebProviders } from '../../runtime/ortWeb';

serveEngineInWorker(self as unknown as WorkerScope, {
  'ort-web': { devices: ['wasm', 'webgpu'], provider: ortWebProviders() },
});
