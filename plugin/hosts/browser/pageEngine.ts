/** The engine of a page (the standalone page, the Photopea page): onnxruntime-web in a module Web Worker. */
import type { Engine } from '../../engine/engine';
import type { ModelSource } from '../../engine/modelSource';
import { workerEngine } from '../../engine/workerEngine';
import { probeWebGpu } from '../../runtime/webGpuProbe';
import type { LocalBackend } from '../../ui/settings';

/** The worker's bundle, next to the page (webpack's `engineWorker` entry). */
export const ENGINE_WORKER_FILE = 'engineWorker.js';

export async function openPageEngine(source: ModelSource, backend: LocalBackend): Promise<Engine> {
  if (source.kind === 'package')
    throw new Error('a page hands its worker a model URL or checkpoint file, not a loaded package');
  const worker = new Worker(new URL(ENGINE_WORKER_FILE, document.baseURI), { type: 'module', name: 'draggan-engine' });
  // the face models ship in faces/ beside the page (webpack.config.js); the worker reads them when first asked
  return workerEngine(worker, source, backend, new URL('faces/', document.baseURI).href);
}

/**
 * The engines this page can run: wasm always; WebGPU only when the browser hands out an adapter (a `navigator.gpu`
 * without one — a blocklisted GPU, a headless browser without the flag — would only fall back to wasm).
 */
export async function pageBackends(): Promise<LocalBackend[]> {
  return (await probeWebGpu()).available ? ['wasm', 'webgpu'] : ['wasm'];
}
