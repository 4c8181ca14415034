/**
 * One edit (generate, then a drag) through the engine pieces on a given runtime: the WebGPU test page runs it on
 * onnxruntime-web, and tests run it on onnxruntime-node to compare the page's result with the native engine's.
 */
import { DragSession } from '../../../plugin/drag/dragSession';
import type { Point } from '../../../plugin/core/types';
import type { ModelPackage } from '../../../plugin/model/modelPackage';
import type { Runtime } from '../../../plugin/runtime/runtime';
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
  /** The model folder's URL, relative to the page (default: the page's bundled model, `model/`). */
  model?: string;
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

export async function editOnRuntime(pkg: ModelPackage, runtime: Runtime, req: EditRequest): Promise<EditResult> {
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
