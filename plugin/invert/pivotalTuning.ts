import { Adam } from '../drag/adam';
import { toOnnx } from '../graph/onnx';
import type { HostTensor } from '../graph/tensor';
import type { Session, SessionFeed } from '../runtime/runtime';
import type { Generator } from '../stylegan2/generator';
import { IO, splitVjpGraphs } from '../stylegan2/graphs';
import { multiResolutionL2 } from './pixelLoss';
import { psnr } from './psnr';

export interface PivotalTuningOptions {
  /** Fine-tuning steps (PTI: a few hundred; default 100). */
  steps?: number;
  /** Adam learning rate on the weights (PTI: 3e-4). */
  lr?: number;
  /** Levels of the pixel-loss pyramid (default 3). */
  levels?: number;
  signal?: AbortSignal;
  onStep?(step: number, total: number, psnr: number): void;
}

export interface PivotalTuningResult {
  /** The whole parameter set with the tuned tensors replaced: a per-image model. */
  weights: Map<string, HostTensor>;
  image: HostTensor;
  psnr: number;
  steps: number;
  cancelled: boolean;
}

/** Every synthesis parameter except the fixed noise images (their strengths are baked into them). */
export function isTunable(name: string): boolean {
  return name.startsWith('synthesis.') && !name.includes('noise_') && !name.endsWith('resample_filter');
}

/**
 * Pivotal tuning (Roich et al., PTI): with the inverted latent held fixed as the pivot, fine-tune the generator's
 * synthesis weights so its image at the pivot matches the photo. The weights are graph inputs of the split VJP
 * graphs, so one forward and one backward pass per step give the gradient for every weight. The best step's weights
 * are returned, so a cancel leaves the best model so far.
 */
export async function pivotalTuning(
  gen: Generator,
  pivot: HostTensor,
  target: HostTensor,
  o: PivotalTuningOptions = {},
): Promise<PivotalTuningResult> {
  const steps = o.steps ?? 100;
  const src = gen.source;
  const names = [...src.weights.keys()].filter(isTunable);
  const split = splitVjpGraphs(src, { optimisedRows: gen.numWs, image: true, weightInputs: isTunable });
  // the saved tensors stay where they were computed (GPU buffers on WebGPU) between the two runs
  const forward: Session = await gen.runtime.createSession(toOnnx(split.forward), {
    deviceOutputs: split.saved.map((s) => s.output),
  });
  const backward: Session = await gen.runtime.createSession(toOnnx(split.backward));
  const current = new Map(
    names.map((n) => [n, { shape: src.weights.get(n)!.shape, data: src.weights.get(n)!.data.slice() }]),
  );
  const adams = new Map(names.map((n) => [n, new Adam(current.get(n)!.data.length, o.lr ?? 3e-4)]));
  let best: { weights: Map<string, Float32Array>; image: HostTensor; psnr: number } | undefined;
  let done = 0;
  try {
    for (; done <= steps; done++) {
      if (o.signal?.aborted) break;
      const feeds: Record<string, HostTensor> = { [IO.wsOpt]: pivot, ...Object.fromEntries(current) };
      const { host: out, device: saved } = await forward.runKeeping(feeds);
      try {
        const img = out[IO.img];
        const score = psnr(img, target);
        if (!best || score > best.psnr)
          best = { weights: new Map([...current].map(([n, t]) => [n, t.data.slice()])), image: img, psnr: score };
        o.onStep?.(done, steps, score);
        if (done === steps) break;
        const { grad } = multiResolutionL2(img, target, o.levels ?? 3);
        const bfeeds: Record<string, SessionFeed> = { ...feeds, [IO.dImg]: grad };
        for (const s of split.saved) bfeeds[s.input] = saved[s.output];
        const grads = await backward.run(bfeeds);
        for (const n of names) adams.get(n)!.step(current.get(n)!.data, grads[`grad_${n}`].data);
      } finally {
        for (const t of Object.values(saved)) t.dispose();
      }
    }
  } finally {
    await Promise.all([forward.release(), backward.release()]);
  }
  if (!best) throw new Error('pivotal tuning was cancelled before its first step');
  const weights = new Map(src.weights);
  for (const [n, data] of best.weights) weights.set(n, { shape: src.weights.get(n)!.shape, data });
  return { weights, image: best.image, psnr: best.psnr, steps: Math.min(done, steps), cancelled: !!o.signal?.aborted };
}
