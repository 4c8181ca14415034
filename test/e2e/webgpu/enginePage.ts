/**
 * A test-only page: the engine pieces (Generator, DragSession, onnxruntime-web) without the panel, so the WebGPU
 * e2e test compares backends on exactly the same calls. Built by webpack's `webgpu-test` config into
 * dist/webgpu-test/, with the page's bundled model next to it.
 */
import { DragSession } from '../../../plugin/drag/dragSession';
import type { Point } from '../../../plugin/core/types';
import { parseModelPackage } from '../../../plugin/model/modelPackage';
import { ortWebProvider, probeWebGpu } from '../../../plugin/runtime/ortWeb';
import { Generator } from '../../../plugin/stylegan2/generator';
import { toRgba8 } from '../../../plugin/stylegan2/imageConversion';
import { zFromSeed } from '../../../plugin/stylegan2/latentSeed';

export interface EditRequest {
  backend: 'wasm' | 'webgpu';
  seed: number;
  steps: number;
  pairs: { handle: Point; target: Point }[];
  /** The drag method (default draggan). */
  method?: 'draggan' | 'robust';
  /** Adam's learning rate; the model's default when omitted. */
  lr?: number;
  /** onnxruntime's verbose log (node placements) on the console. */
  verboseLog?: boolean;
}

export interface EditResult {
  runtime: string;
  /** 8-bit RGB(A) of the generated image and of the image after the drag. */
  generated: number[];
  dragged: number[];
  /** Tracked handles after each step. */
  points: Point[][];
  generateMs: number;
  stepMs: number[];
  /** Where the drag forward leaves the tensors its backward needs ('gpu-buffer' when they stay on the GPU). */
  savedLocations: string[];
}

async function loadModel() {
  const [json, weights] = await Promise.all([
    fetch('model/model.json').then((r) => r.text()),
    fetch('model/weights.safetensors').then((r) => r.arrayBuffer()),
  ]);
  return parseModelPackage(json, new Uint8Array(weights));
}

async function edit(req: EditRequest): Promise<EditResult> {
  const pkg = await loadModel();
  const runtime = await ortWebProvider(req.backend, 0, { threads: 1, verboseLog: req.verboseLog }).create();
  const gen = new Generator(pkg, runtime);
  try {
    const w = await gen.mapping(zFromSeed(req.seed, pkg.config.z_dim), 0.7);
    const t0 = performance.now();
    const generated = toRgba8((await gen.synthesize(w)).img).data;
    const generateMs = performance.now() - t0;
    const d = pkg.config.draggan;
    const rows = 6;
    // the whole map's forward half: the saved tensors the drag's backward reads
    const { saved } = await gen.forwardForGradient(
      { shape: [1, rows, w.shape[2]], data: w.data.slice(0, rows * w.shape[2]) },
      { shape: [1, w.shape[1] - rows, w.shape[2]], data: w.data.slice(rows * w.shape[2]) },
      d.feature_idx,
    );
    const savedLocations = Object.values(saved.feeds).map((t) => ('location' in t ? t.location : 'host'));
    saved.dispose();
    const session = new DragSession(gen, w, {
      lr: req.lr ?? d.lr,
      r1: d.r1,
      r2: d.r2,
      lambda: d.lambda,
      featureIdx: d.feature_idx,
      optimisedRows: rows,
      mode: 'w+',
      maxSteps: req.steps,
      stopDistance: 0,
      method: req.method ?? 'draggan',
    });
    session.setPoints(req.pairs);
    const points: Point[][] = [];
    const stepMs: number[] = [];
    await session.run({ onStep: (r) => (points.push(r.points), stepMs.push(r.ms)) });
    const dragged = toRgba8((await gen.synthesize(session.latent())).img).data;
    return {
      runtime: runtime.description,
      generated: Array.from(generated),
      dragged: Array.from(dragged),
      points,
      generateMs,
      stepMs,
      savedLocations,
    };
  } finally {
    await gen.release();
  }
}

/** Starts a runtime and returns its description (pages may start one again, e.g. after a settings change). */
async function startRuntime(backend: 'wasm' | 'webgpu'): Promise<string> {
  return (await ortWebProvider(backend, 0, { threads: 1 }).create()).description;
}

(globalThis as { engineUnderTest?: unknown }).engineUnderTest = { edit, probeWebGpu, startRuntime };
