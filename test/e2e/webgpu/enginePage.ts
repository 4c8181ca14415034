/**
 * A test-only page: the engine pieces (Generator, DragSession, onnxruntime-web) without the panel, so the WebGPU
 * e2e test compares backends on exactly the same calls. Built by webpack's `webgpu-test` config into
 * dist/webgpu-test/, with the page's bundled model next to it.
 */
import { parseModelPackage } from '../../../plugin/model/modelPackage';
import { ortWebProvider, probeWebGpu } from '../../../plugin/runtime/ortWeb';
import { editOnRuntime, type EditRequest, type EditResult } from './editOnRuntime';

export type { EditRequest, EditResult };

async function loadModel(folder: string) {
  const [json, weights] = await Promise.all([
    fetch(`${folder}model.json`).then((r) => r.text()),
    fetch(`${folder}weights.safetensors`).then((r) => r.arrayBuffer()),
  ]);
  return parseModelPackage(json, new Uint8Array(weights));
}

async function edit(req: EditRequest): Promise<EditResult> {
  const pkg = await loadModel(req.model ?? 'model/');
  const runtime = await ortWebProvider(req.backend, 0, { threads: 1, verboseLog: req.verboseLog }).create();
  return editOnRuntime(pkg, runtime, req);
}

/** Starts a runtime and returns its description (pages may start one again, e.g. after a settings change). */
async function startRuntime(backend: 'wasm' | 'webgpu'): Promise<string> {
  return (await ortWebProvider(backend, 0, { threads: 1 }).create()).description;
}

(globalThis as { engineUnderTest?: unknown }).engineUnderTest = { edit, probeWebGpu, startRuntime };
