/** The remote GPU endpoint behind the same DragBackend surface: generation, rendering and drag steps by HTTP. */
import type { DragHyperParameters } from '../drag/types';
import type { HostTensor } from '../graph/tensor';
import { newDragState } from '../remote/initialState';
import { RemoteDragSession } from '../remote/remoteDragSession';
import { RemoteGenerator } from '../remote/remoteGenerator';
import type { ModelConfig } from '../stylegan2/config';
import { toRgba8 } from '../stylegan2/imageConversion';
import type { DragSessionLike } from '../drag/dragSessionLike';
import type { DragBackend } from './dragBackend';
import type { Rgba } from './rgba';

export interface RemoteSettings {
  url: string;
  token: string;
  /** The model's id on the endpoint; the local package's name by default. */
  modelId: string;
  fetch?: typeof fetch;
}

/** Checks the endpoint (reachable, token accepted, same protocol, serves the model) before the panel uses it. */
export async function remoteBackend(config: ModelConfig, s: RemoteSettings): Promise<DragBackend> {
  const options = { endpoints: [s.url.replace(/\/+$/, '')], token: s.token || undefined, modelId: s.modelId, fetch: s.fetch };
  const gen = new RemoteGenerator(options);
  const info = await gen.info();
  const toImage = (img: HostTensor): Rgba => toRgba8(img);
  return {
    description: `remote endpoint ${s.url}`,
    config,
    stepsPerCall: 10,
    async generate(seed: number, psi: number): Promise<HostTensor> {
      return (await gen.generate({ seed, psi }, { preview: 'none' })).latent;
    },
    async render(latent: HostTensor): Promise<Rgba> {
      const image = (await gen.generate({ latent }, { preview: 'f32' })).preview?.image;
      if (!image) throw new Error('the endpoint sent no image; it may run a different protocol version');
      return toImage(image);
    },
    toImage,
    createSession(w0: HostTensor, hp: DragHyperParameters): DragSessionLike {
      return new RemoteDragSession({ ...options, state: newDragState(w0, hp), resolution: info.resolution });
    },
    release: async () => {},
  };
}
