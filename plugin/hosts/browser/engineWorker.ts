/** Entry of the pages' engine worker: the engine on onnxruntime-web (wasm or WebGPU), off the page's main thread. */
import { serveEngineInWorker, type WorkerScope } from '../../engine/workerHost';
import { ortWebProviders } from '../../runtime/ortWeb';
// the web build (the package's main is its Node build); webpack.config.js exports its global
import { createH264MP4Encoder } from 'h264-mp4-encoder/embuild/dist/h264-mp4-encoder.web.js';

serveEngineInWorker(
  self as unknown as WorkerScope,
  { 'ort-web': { devices: ['wasm', 'webgpu'], provider: ortWebProviders() } },
  createH264MP4Encoder,
);
