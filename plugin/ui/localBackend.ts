/** The in-panel engine: the model's graphs on a local runtime (wasm or WebGPU in a page, wasm in UXP). */
import { DragSession } from '../drag/dragSession';
import type { DragHyperParameters } from '../drag/types';
import type { HostTensor } from '../graph/tensor';
import { invertImage } from '../invert/invertImage';
import type { ModelPackage } from '../model/modelPackage';
import type { Runtime } from '../runtime/runtime';
import { Generator } from '../stylegan2/generator';
import { toRgba8 } from '../stylegan2/imageConversion';
import { zFromSeed } from '../stylegan2/latentSeed';
import type { DragSessionLike } from '../drag/dragSessionLike';
import type { DragBackend, InversionProgress, InversionResult } from './dragBackend';
import type { Rgba } from './rgba';

export function localBackend(pkg: ModelPackage, runtime: Runtime): DragBackend {
  const gen = new Generator(pkg, runtime);
  const toImage = (img: HostTensor): Rgba => toRgba8(img);
  return {
    description: runtime.description,
    config: pkg.config,
    stepsPerCall: 1,
    async generate(seed: number, psi: number): Promise<HostTensor> {
      return gen.mapping(zFromSeed(seed, pkg.config.z_dim), psi);
    },
    async render(latent: HostTensor): Promise<Rgba> {
      return toImage((await gen.synthesize(latent)).img);
    },
    toImage,
    createSession(w0: HostTensor, hp: DragHyperParameters): DragSessionLike {
      return new DragSession(gen, w0, hp);
    },
    async invert(image: Rgba, o: { steps: number; signal?: AbortSignal; onProgress?(p: InversionProgress): void }): Promise<InversionResult> {
      const r = await invertImage(gen, { width: image.width, height: image.height, channels: 4, data: image.data }, {
        steps: o.steps,
        signal: o.signal,
        onStep: (s) => o.onProgress?.({ step: s.step, steps: s.total, psnr: s.bestPsnr }),
      });
      return { latent: r.latent, psnr: r.psnr };
    },
    release: () => gen.release(),
  };
}
