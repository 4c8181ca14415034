import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import { blockResolutions, widthAt, type GeneratorConfig } from './config';
import { synthesisLayer, toRgb, upsample2d, type UpsamplingForm } from './layers';
import type { WeightEmitter } from './weights';
import type { WindowCropper } from './windowCrop';

export interface SynthesisOutputs {
  /** [1, img_channels, R, R] (R / 2 wide when not square); absent when the image was not asked for. */
  img?: Value;
  /** The x output of every block emitted, [1, C, res, res] (res / 2 wide when not square). */
  features: Value[];
}

/** W+ row used by each layer of the skip architecture: block k's conv layers, then its ToRGB. */
export function wsIndex(blockIdx: number, layer: 'conv0' | 'conv1' | 'torgb'): number {
  if (blockIdx === 0) return layer === 'torgb' ? 1 : 0;
  const base = 2 * blockIdx - 1;
  return base + (layer === 'conv0' ? 0 : layer === 'conv1' ? 1 : 2);
}

/**
 * Windowed synthesis: from `startBlock` on, the blocks run on a batch of crops. Block startBlock + j takes its
 * input windows from `cropper.enter(x, j)` and crops its layers' constant noise with `cropper.noise(v, j)`, so each
 * window sees exactly its part of both.
 */
export interface SynthesisWindow {
  startBlock: number;
  cropper: WindowCropper;
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
  opts: { lastBlock?: number; withImage?: boolean; window?: SynthesisWindow; upsampling?: UpsamplingForm } = {},
): SynthesisOutputs {
  const sk = cfg.synthesis_kwargs;
  if (sk.architecture !== 'skip')
    throw new Error(
      `synthesis architecture '${sk.architecture}' is not supported; only 'skip' (the StyleGAN2 default)`,
    );
  const taps = sk.resample_filter ?? [1, 3, 3, 1];
  const useNoise = sk.use_noise ?? true;
  const resolutions = blockResolutions(cfg);
  const last = opts.lastBlock ?? resolutions.length - 1;
  const withImage = opts.withImage ?? true;
  const win = opts.window;
  if (win && (withImage || win.startBlock < 1 || win.startBlock > last))
    throw new Error(`windowed synthesis starts at a block in 1..${last} and makes no image`);
  const features: Value[] = [];
  let x: Value | undefined;
  let img: Value | undefined;
  for (let k = 0; k <= last; k++) {
    const res = resolutions[k];
    const p = `synthesis.b${res}`;
    const j = win ? k - win.startBlock : -1;
    const noiseWindow = win && j >= 0 ? (v: Value) => win.cropper.noise(v, j) : undefined;
    const layer = (name: 'conv0' | 'conv1', input: Value): Value =>
      synthesisLayer(
        b,
        w,
        {
          prefix: `${p}.${name}`,
          up: name === 'conv0',
          convClamp: sk.conv_clamp,
          taps,
          useNoise,
          noiseWindow,
          upsampling: opts.upsampling ?? 'polyphase',
        },
        input,
        wsRow(wsIndex(k, name)),
      );
    if (win && j >= 0) x = win.cropper.enter(x as Value, j);
    if (k === 0) {
      const c = w.tensor(`${p}.const`).shape[0];
      x = layer('conv1', w.scaled(`${p}.const`, 1, [1, c, res, widthAt(cfg, res)]));
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
