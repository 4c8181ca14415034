import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import { blockResolutions, type GeneratorConfig } from './config';
import { synthesisLayer, toRgb, upsample2d } from './layers';
import type { WeightEmitter } from './weights';

export interface SynthesisOutputs {
  /** [1, img_channels, R, R]; absent when the image was not asked for. */
  img?: Value;
  /** The x output of every block emitted, [1, C, res, res]. */
  features: Value[];
}

/** W+ row used by each layer of the skip architecture: block k's conv layers, then its ToRGB. */
export function wsIndex(blockIdx: number, layer: 'conv0' | 'conv1' | 'torgb'): number {
  if (blockIdx === 0) return layer === 'torgb' ? 1 : 0;
  const base = 2 * blockIdx - 1;
  return base + (layer === 'conv0' ? 0 : layer === 'conv1' ? 1 : 2);
}

/**
 * Windowed synthesis: from `startBlock` on, the blocks run on a batch of crops. `crop` maps a whole-image tensor
 * [1, C, r, r] at any resolution r from the start block's input on to its windows [K, C, s, s]; it is applied to
 * the start block's input and to every later layer's constant noise, so each crop sees exactly its part of both.
 */
export interface SynthesisWindow {
  startBlock: number;
  crop(v: Value): Value;
}

/**
 * Official SynthesisNetwork (skip architecture). `lastBlock` truncates after that block (the DragGAN features graph
 * stops at feature_idx), and `withImage: false` drops every ToRGB, which only the image depends on.
 */
export function emitSynthesis(
  b: GraphBuilder,
  w: WeightEmitter,
  cfg: GeneratorConfig,
  wsRow: (i: number) => Value,
  opts: { lastBlock?: number; withImage?: boolean; window?: SynthesisWindow } = {},
): SynthesisOutputs {
  const sk = cfg.synthesis_kwargs;
  if (sk.architecture !== 'skip') throw new Error(`synthesis architecture '${sk.architecture}' is not supported; only 'skip' (the StyleGAN2 default)`);
  const taps = sk.resample_filter ?? [1, 3, 3, 1];
  const useNoise = sk.use_noise ?? true;
  const resolutions = blockResolutions(cfg);
  const last = opts.lastBlock ?? resolutions.length - 1;
  const withImage = opts.withImage ?? true;
  const win = opts.window;
  if (win && (withImage || win.startBlock < 1 || win.startBlock > last)) throw new Error(`windowed synthesis starts at a block in 1..${last} and makes no image`);
  const features: Value[] = [];
  let x: Value | undefined;
  let img: Value | undefined;
  for (let k = 0; k <= last; k++) {
    const res = resolutions[k];
    const p = `synthesis.b${res}`;
    const noiseWindow = win && k >= win.startBlock ? (v: Value) => win.crop(v) : undefined;
    const layer = (name: 'conv0' | 'conv1', input: Value): Value =>
      synthesisLayer(b, w, { prefix: `${p}.${name}`, up: name === 'conv0', convClamp: sk.conv_clamp, taps, useNoise, noiseWindow }, input, wsRow(wsIndex(k, name)));
    if (win && k === win.startBlock) x = win.crop(x as Value);
    if (k === 0) {
      const c = w.tensor(`${p}.const`).shape[0];
      x = layer('conv1', w.scaled(`${p}.const`, 1, [1, c, res, res]));
    } else {
      x = layer('conv1', layer('conv0', x as Value));
    }
    features.push(x);
    if (withImage) {
      const y = toRgb(b, w, `${p}.torgb`, x, wsRow(wsIndex(k, 'torgb')), sk.conv_clamp);
      img = img ? b.add(upsample2d(b, img, taps), y) : y;
    }
  }
  return { img, features };
}
