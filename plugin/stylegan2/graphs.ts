import { GraphBuilder } from '../graph/builder';
import type { Graph, Value } from '../graph/ir';
import { savedValues, vjp } from '../graph/autodiff/reverse';
import type { HostTensor } from '../graph/tensor';
import { featureShapes, isStyleGan3, numWs, type GeneratorConfig } from './config';
import type { UpsamplingForm } from './layers';
import { emitMapping } from './mapping';
import type { WindowPlan } from './featureWindows';
import { emitStyleGan3Synthesis } from './stylegan3/synthesis';
import { emitSynthesis, type SynthesisOutputs, type SynthesisWindow } from './synthesis';
import { windowCropper } from './windowCrop';
import { WeightEmitter } from './weights';

/** The generator as the emitters need it: the official init kwargs and the parameters under the official names. */
export interface GeneratorSource {
  config: GeneratorConfig;
  weights: ReadonlyMap<string, HostTensor>;
}

/** Graph input and output names: the contract between the emitters and every caller. */
export const IO = {
  z: 'z',
  psi: 'psi',
  w: 'w',
  ws: 'ws',
  wsOpt: 'ws_opt',
  wsRest: 'ws_rest',
  img: 'img',
  feat: (i: number) => `feat${i}`,
  dFeat: 'd_feat',
  dImg: 'd_img',
  gradWsOpt: 'grad_ws_opt',
  /** The scalar an image loss graph differentiates (VjpOptions.imageLoss). */
  loss: 'loss',
  /** [K, B, 2] window offsets (y, x) of each windowed block's input for windowed features; see featureWindows.ts. */
  winOffsets: 'win_offsets',
} as const;

function checkFeatureIdx(cfg: GeneratorConfig, featureIdx: number): void {
  const n = featureShapes(cfg).length;
  if (!Number.isInteger(featureIdx) || featureIdx < 0 || featureIdx >= n) {
    throw new Error(
      `feature_idx ${featureIdx} is out of range: this ${cfg.img_resolution} px generator has feature maps 0..${n - 1}`,
    );
  }
}

/** The synthesis network of either architecture; StyleGAN3 has no windowed form (see Generator.windowPlanFor). */
function emitAnySynthesis(
  b: GraphBuilder,
  w: WeightEmitter,
  cfg: GeneratorConfig,
  wsRow: (i: number) => Value,
  opts: { lastBlock?: number; withImage?: boolean; window?: SynthesisWindow; upsampling?: UpsamplingForm } = {},
): SynthesisOutputs {
  if (!isStyleGan3(cfg)) return emitSynthesis(b, w, cfg, wsRow, opts);
  if (opts.window) throw new Error('StyleGAN3 generators have no windowed synthesis');
  return emitStyleGan3Synthesis(b, w, cfg, wsRow, { lastLayer: opts.lastBlock, withImage: opts.withImage });
}

/** z [1, z_dim], psi [1] -> w [1, num_ws, w_dim]. */
export function mappingGraph(src: GeneratorSource): Graph {
  const b = new GraphBuilder();
  const z = b.input(IO.z, [1, src.config.z_dim]);
  const psi = b.input(IO.psi, [1]);
  const w = emitMapping(b, new WeightEmitter(b, src.weights), src.config, z, psi);
  return b.build('mapping', { [IO.w]: w }, { inputs: [z, psi] });
}

function wsRowsFrom(b: GraphBuilder, cfg: GeneratorConfig, ws: Value): (i: number) => Value {
  const rows = new Map<number, Value>();
  return (i) => {
    let r = rows.get(i);
    if (!r) {
      r = b.reshape(b.slice(ws, [1], [i], [i + 1]), [1, cfg.w_dim]);
      rows.set(i, r);
    }
    return r;
  };
}

/**
 * ws [1, num_ws, w_dim] -> img and (optionally) the output of every block, feat0..featN-1. `imageBlock` stops after
 * that block: img is then the running RGB image at its resolution (the skip architecture's own low-res output).
 */
export function synthesisGraph(src: GeneratorSource, opts: { features?: boolean; imageBlock?: number } = {}): Graph {
  const cfg = src.config;
  if (opts.imageBlock !== undefined) checkFeatureIdx(cfg, opts.imageBlock);
  // only the skip architecture keeps a running image at each block's resolution
  if (opts.imageBlock !== undefined && isStyleGan3(cfg))
    throw new Error('a StyleGAN3 generator has no running image at a lower resolution');
  const b = new GraphBuilder();
  const ws = b.input(IO.ws, [1, numWs(cfg), cfg.w_dim]);
  const out = emitAnySynthesis(b, new WeightEmitter(b, src.weights), cfg, wsRowsFrom(b, cfg, ws), {
    lastBlock: opts.imageBlock,
  });
  const outputs: Record<string, Value> = { [IO.img]: out.img as Value };
  if (opts.features) out.features.forEach((f, i) => (outputs[IO.feat(i)] = f));
  return b.build('synthesis', outputs, { inputs: [ws] });
}

/** ws -> the output of block feature_idx only: nothing after it, no ToRGB. */
export function featuresGraph(src: GeneratorSource, featureIdx: number): Graph {
  const cfg = src.config;
  checkFeatureIdx(cfg, featureIdx);
  const b = new GraphBuilder();
  const ws = b.input(IO.ws, [1, numWs(cfg), cfg.w_dim]);
  const out = emitAnySynthesis(b, new WeightEmitter(b, src.weights), cfg, wsRowsFrom(b, cfg, ws), {
    lastBlock: featureIdx,
    withImage: false,
    // the drag's tracking references: bit for bit the drag step's features (a restored session retakes them here)
    upsampling: 'transposed',
  });
  return b.build('features', { [IO.feat(featureIdx)]: out.features[featureIdx] }, { inputs: [ws] });
}

/**
 * A scalar loss of the image, emitted into the gradient graph itself (see VjpOptions.imageLoss): `inputs` are the
 * graph inputs it adds (the target image), fed by name beside the latent. `key` names it for session caches.
 */
export interface ImageLoss {
  readonly key: string;
  emit(b: GraphBuilder, img: Value): { loss: Value; inputs: Value[] };
}

export interface VjpOptions {
  /** The first `optimisedRows` W+ rows get gradients (DragGAN: 6). */
  optimisedRows: number;
  /** Block whose output receives a cotangent; omit for image-only. */
  featureIdx?: number;
  /** Whether the image receives a cotangent (pivotal tuning). */
  image?: boolean;
  /**
   * Differentiate this loss of the image instead of taking a cotangent (inversion): the graph outputs the image,
   * `loss` and the gradient in one run, so nothing the backward needs leaves the runtime. Not with a split.
   */
  imageLoss?: ImageLoss;
  /**
   * With imageLoss: the loss reads the skip architecture's running image after this block (its resolution) and
   * the graph stops there; a coarse inversion step at a fraction of a full one's cost (at 512 px, 64 px is ~1/5).
   */
  imageBlock?: number;
  /** Parameters exposed as graph inputs, with their gradients as outputs `grad_<name>`. */
  weightInputs?: (name: string) => boolean;
  /** Compute the feature block on windows (featureIdx required, no image); the feature output is [K, C, s, s]. */
  window?: WindowPlan;
  /**
   * A later block whose output the forward also returns, with no cotangent (the robust tracker reads a finer
   * block than the loss): the same pass runs on to it, and the backward is unchanged. Whole maps only.
   */
  trackingIdx?: number;
}

interface Differentiated {
  b: GraphBuilder;
  inputs: Value[];
  weightInputs: Value[];
  forwardOutputs: Record<string, Value>;
  cotangents: Value[];
  gradients: Record<string, Value>;
}

function differentiate(src: GeneratorSource, o: VjpOptions): Differentiated {
  const cfg = src.config;
  const n = numWs(cfg);
  if (!Number.isInteger(o.optimisedRows) || o.optimisedRows < 1 || o.optimisedRows > n) {
    throw new Error(`optimisedRows must be 1..${n}, got ${o.optimisedRows}`);
  }
  if (o.imageLoss && (o.image || o.featureIdx !== undefined))
    throw new Error('a VJP graph differentiates either an image loss or cotangents');
  if (o.featureIdx === undefined && !o.image && !o.imageLoss)
    throw new Error('a VJP graph needs a feature and/or image cotangent, or an image loss');
  if (o.featureIdx !== undefined) checkFeatureIdx(cfg, o.featureIdx);
  if (o.imageBlock !== undefined) {
    if (!o.imageLoss) throw new Error('imageBlock truncates an image loss graph: give imageLoss');
    if (isStyleGan3(cfg)) throw new Error('a StyleGAN3 generator has no running image at a lower resolution');
    checkFeatureIdx(cfg, o.imageBlock);
  }
  if (o.window && (o.featureIdx === undefined || o.image))
    throw new Error('a windowed VJP graph differentiates features only');
  const tracking = o.trackingIdx !== undefined && o.trackingIdx !== o.featureIdx ? o.trackingIdx : undefined;
  if (tracking !== undefined) {
    checkFeatureIdx(cfg, tracking);
    if (o.featureIdx === undefined || tracking < o.featureIdx || o.image || o.window)
      throw new Error('a tracking block follows the feature block, on whole maps, without an image');
  }
  const k = o.optimisedRows;
  const b = new GraphBuilder();
  const wsOpt = b.input(IO.wsOpt, [1, k, cfg.w_dim]);
  const wsRest = k < n ? b.input(IO.wsRest, [1, n - k, cfg.w_dim]) : undefined;
  const rowsOpt = wsRowsFrom(b, cfg, wsOpt);
  const rowsRest = wsRest
    ? wsRowsFrom(b, cfg, wsRest)
    : () => {
        throw new Error('every W+ row is optimised; there are no others');
      };
  const offsets = o.window ? b.input(IO.winOffsets, [o.window.count, o.window.sizes.length, 2]) : undefined;
  const weights = new WeightEmitter(b, src.weights, o.weightInputs);
  const withImage = !!o.image || !!o.imageLoss;
  const out = emitAnySynthesis(b, weights, cfg, (i) => (i < k ? rowsOpt(i) : rowsRest(i - k)), {
    lastBlock: withImage ? o.imageBlock : (tracking ?? o.featureIdx),
    withImage,
    // its input gradient is cheaper than the polyphase form's (layers.ts, UpsamplingForm)
    upsampling: 'transposed',
    window:
      o.window && offsets
        ? { startBlock: o.window.startBlock, cropper: windowCropper(b, offsets, o.window.sizes) }
        : undefined,
  });
  const forwardOutputs: Record<string, Value> = {};
  const targets: Value[] = [];
  const cotangents: Value[] = [];
  const seeds: Value[] = [];
  if (o.featureIdx !== undefined) {
    const f = out.features[o.featureIdx];
    forwardOutputs[IO.feat(o.featureIdx)] = f;
    targets.push(f);
    cotangents.push(b.input(IO.dFeat, f.shape));
  }
  if (tracking !== undefined) forwardOutputs[IO.feat(tracking)] = out.features[tracking];
  if (o.image) {
    const img = out.img as Value;
    forwardOutputs[IO.img] = img;
    targets.push(img);
    cotangents.push(b.input(IO.dImg, img.shape));
  }
  const lossInputs: Value[] = [];
  if (o.imageLoss) {
    const img = out.img as Value;
    const { loss, inputs } = o.imageLoss.emit(b, img);
    forwardOutputs[IO.img] = img;
    forwardOutputs[IO.loss] = loss;
    targets.push(loss);
    // d loss / d loss: a constant, not a graph input like the cotangents
    seeds.push(b.constant(loss.shape, new Float32Array([1])));
    lossInputs.push(...inputs);
  }
  const wrt = [wsOpt, ...weights.inputs];
  const grads = vjp(b, targets, [...cotangents, ...seeds], wrt);
  const gradients: Record<string, Value> = {};
  wrt.forEach((v, i) => {
    const g = grads[i] ?? b.expand(b.scalar(0), v.shape);
    gradients[v === wsOpt ? IO.gradWsOpt : `grad_${v.name}`] = g;
  });
  const inputs = [wsOpt, ...(wsRest ? [wsRest] : []), ...(offsets ? [offsets] : []), ...lossInputs];
  return { b, inputs, weightInputs: weights.inputs, forwardOutputs, cotangents, gradients };
}

/**
 * One graph: (ws_opt, ws_rest, cotangents) -> the forward outputs and the gradient for the optimised W+ rows
 * (and for any weights exposed as inputs).
 */
export function vjpGraph(src: GeneratorSource, o: VjpOptions): Graph {
  const d = differentiate(src, o);
  return d.b.build(
    'vjp',
    { ...d.forwardOutputs, ...d.gradients },
    { inputs: [...d.inputs, ...d.weightInputs, ...d.cotangents] },
  );
}

export interface SplitVjp {
  /** (ws_opt, ws_rest) -> forward outputs and the saved tensors. */
  forward: Graph;
  /** (saved tensors, cotangents) -> gradients. */
  backward: Graph;
  /** Forward output name -> backward input name, for each saved tensor. */
  saved: { output: string; input: string }[];
}

/**
 * The same computation split where the forward ends: the forward graph also returns the tensors the backward
 * rules saved, so a drag step runs the generator once (features, tracking, loss on the host) and then only the
 * backward pass, instead of a second forward inside a joint graph.
 */
export function splitVjpGraphs(src: GeneratorSource, o: VjpOptions): SplitVjp {
  if (o.imageLoss) throw new Error('an image loss is differentiated in one graph (vjpGraph), not split');
  const d = differentiate(src, o);
  const saved = savedValues(d.b).filter((v) => !d.inputs.includes(v) && !d.weightInputs.includes(v));
  const forwardOutputs: Record<string, Value> = { ...d.forwardOutputs };
  const names = saved.map((v) => ({ output: `saved_${v.name}`, input: v.name }));
  saved.forEach((v, i) => (forwardOutputs[names[i].output] = v));
  const forward = d.b.build('vjp_forward', forwardOutputs, { inputs: [...d.inputs, ...d.weightInputs] });
  const backward = d.b.build('vjp_backward', d.gradients, {
    inputs: [...saved, ...d.inputs, ...d.weightInputs, ...d.cotangents],
    nodeFilter: (n) => d.b.phaseOf.get(n.id) === 'backward',
  });
  return { forward, backward, saved: names };
}
