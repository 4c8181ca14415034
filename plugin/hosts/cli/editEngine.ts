import { DragSession } from '../../drag/dragSession';
import type { DragSessionLike } from '../../drag/dragSessionLike';
import type { DragHyperParameters } from '../../drag/types';
import type { HostTensor } from '../../graph/tensor';
import { InvertInputError } from '../../invert/errors';
import { invertImage } from '../../invert/invertImage';
import type { InvertStep } from '../../invert/types';
import type { RgbImage } from '../../invert/rgbImage';
import { RemoteDragSession } from '../../remote/remoteDragSession';
import { RemoteGenerator } from '../../remote/remoteGenerator';
import { numWs, type DragDefaults } from '../../stylegan2/config';
import { Generator } from '../../stylegan2/generator';
import { zFromSeed } from '../../stylegan2/latentSeed';
import { startNodeRuntime } from '../node/backends';
import { loadModelDir } from '../node/loadModelDir';

export interface EditEngine {
  readonly description: string;
  readonly model: { resolution: number; numWs: number; wDim: number; zDim: number; defaults: DragDefaults };
  latentFromSeed(seed: number, psi: number): Promise<HostTensor>;
  open(w0: HostTensor, hp: DragHyperParameters): Promise<DragSessionLike>;
  render(ws: HostTensor): Promise<HostTensor>;
  /** GAN inversion of a photo: the W+ latent that best reproduces it, and how well (PSNR in dB). */
  invert(image: RgbImage, o: { steps?: number; timeBudgetSeconds?: number; onStep?(s: InvertStep): void; signal?: AbortSignal }): Promise<{ latent: HostTensor; psnr: number }>;
  /** The engine's generator when it runs here (inversion needs it); undefined for a remote endpoint. */
  readonly localGenerator?: Generator;
  release(): Promise<void>;
}

/** A model folder on this machine, on onnxruntime-node or -web. */
export async function openLocalEngine(modelDir: string, backend: string, note: (text: string) => void): Promise<EditEngine> {
  const pkg = loadModelDir(modelDir);
  const { runtime, skipped } = await startNodeRuntime(backend);
  for (const s of skipped) note(`note: backend ${s.backend} is not available (${s.error}); using ${runtime.backend}`);
  const gen = new Generator(pkg, runtime);
  const cfg = pkg.config;
  return {
    description: runtime.description,
    model: { resolution: cfg.img_resolution, numWs: numWs(cfg), wDim: cfg.w_dim, zDim: cfg.z_dim, defaults: cfg.draggan },
    latentFromSeed: (seed, psi) => gen.mapping(zFromSeed(seed, cfg.z_dim), psi),
    open: async (w0, hp) => new DragSession(gen, w0, hp),
    render: async (ws) => (await gen.synthesize(ws)).img,
    invert: (image, o) => invertImage(gen, image, o),
    localGenerator: gen,
    release: () => gen.release(),
  };
}

/** A model served by `draggan serve` at one or more endpoints (tried in turn when one fails). */
export async function openRemoteEngine(endpoints: string[], token: string | undefined, modelId: string): Promise<EditEngine> {
  const remote = new RemoteGenerator({ endpoints, token, modelId });
  const info = await remote.info();
  const image = async (input: { seed: number; psi: number } | { latent: HostTensor }): Promise<{ latent: HostTensor; image?: HostTensor }> => {
    const r = await remote.generate(input, { preview: 'f32' });
    return { latent: r.latent, image: r.preview?.image };
  };
  return {
    description: `remote ${endpoints.join(', ')} (model ${modelId})`,
    model: {
      resolution: info.resolution,
      numWs: info.numWs,
      wDim: info.wDim,
      zDim: info.zDim,
      defaults: { feature_idx: info.defaults.featureIdx, lr: info.defaults.lr, r1: info.defaults.r1, r2: info.defaults.r2, lambda: info.defaults.lambda },
    },
    latentFromSeed: async (seed, psi) => (await image({ seed, psi })).latent,
    open: async (w0, hp) => RemoteDragSession.create({ endpoints, token, modelId, latent: w0, hp }),
    render: async (ws) => {
      const r = await image({ latent: ws });
      if (!r.image) throw new Error('the endpoint sent no image');
      return r.image;
    },
    invert: async (image, o) => {
      const data = Uint8Array.from(image.data);
      if (image.channels !== 3 && image.channels !== 4) throw new InvertInputError(`the image has ${image.channels} channels; give an RGB or RGBA image`);
      const r = await remote.invert({ width: image.width, height: image.height, channels: image.channels, data }, { steps: o.steps, signal: o.signal });
      return { latent: r.latent, psnr: r.psnr };
    },
    release: async () => undefined,
  };
}
