/** An engine on a DragGAN endpoint (`draggan serve`): every request carries the whole edit, so any replica serves it. */
import type { HostTensor } from '../graph/tensor';
import { checkRgbImage } from '../invert/rgbImage';
import { EndpointClient, type EndpointOptions } from '../remote/endpointClient';
import { hyperParametersOfInfo } from '../remote/modelInfo';
import type { ModelInfo } from '../remote/protocol';
import { RemoteDragSession } from '../remote/remoteDragSession';
import { listRemoteModels, RemoteGenerator } from '../remote/remoteGenerator';
import { ProtocolMismatchError, RemoteRequestError } from '../core/errors';
import { toRgba8 } from '../stylegan2/imageConversion';
import { editModelFor, newEditState } from '../core/editState';
import { checkLimit } from '../core/limits';
import type { Engine, ModelSummary } from './engine';

export interface RemoteEngineOptions extends EndpointOptions {
  /** The model's id on the endpoint (GET /v1/models). */
  modelId: string;
  /** Steps per request (default 10): how often the state crosses the network, and the most a Stop discards. */
  stepsPerRequest?: number;
  signal?: AbortSignal;
  /** What to call the endpoint in the description (default "remote endpoint"). */
  label?: string;
}

/**
 * A server that predates `alignment` frames its models' photos as the centred square. The wire carries no face model
 * or domain: a remote engine finds no faces itself (the photo finder reads them where the host does).
 */
function summaryOfInfo(info: ModelInfo): ModelSummary {
  return {
    id: info.id,
    name: info.name,
    description: info.description,
    license: info.license,
    resolution: info.resolution,
    ...(info.width === undefined ? {} : { width: info.width }),
    numWs: info.numWs,
    wDim: info.wDim,
    zDim: info.zDim,
    defaults: hyperParametersOfInfo(info),
    alignment: info.alignment ?? 'none',
    faceModel: 'photo',
    domain: '',
  };
}

/** The models an endpoint serves (id and display name): what a picker shows when the engine is remote. */
export async function remoteModels(o: EndpointOptions & { signal?: AbortSignal }): Promise<ModelSummary[]> {
  return (await listRemoteModels(new EndpointClient(o), o.signal)).map(summaryOfInfo);
}

/**
 * Checks on the way that the endpoint is reachable, speaks this protocol, accepts the token and serves the model;
 * each failure is its own RemoteError subclass, so hosts can say which.
 */
export async function remoteEngine(o: RemoteEngineOptions): Promise<Engine> {
  const gen = new RemoteGenerator(o);
  const info = await gen.info(o.signal);
  const stepsPerCall = o.stepsPerRequest ?? 10;
  const summary = summaryOfInfo(info);
  /** An endpoint that predates /v1/prepare answers 404: it is not asked again (its drags build on their first step). */
  let preparesAhead = true;
  return {
    description: `${o.label ?? 'remote endpoint'} ${o.endpoints.join(', ')} (model ${info.id})`,
    notes: [],
    model: summary,
    stepsPerCall,
    async generate(seed, psi, signal) {
      checkLimit('seed', seed);
      checkLimit('psi', psi);
      return (await gen.generate({ seed, psi }, { preview: 'none', signal })).latent;
    },
    async render(latent: HostTensor, signal) {
      const image = (await gen.generate({ latent }, { preview: 'f32', signal })).preview?.image;
      if (!image)
        throw new ProtocolMismatchError('the endpoint sent no image; it may run a different protocol version');
      return toRgba8(image);
    },
    async invert(image, io = {}) {
      checkRgbImage(image);
      if (io.steps !== undefined) checkLimit('invertSteps', io.steps);
      // the endpoint streams a report per step (psnr: the best so far, as locally), no images, so no `best`; its best
      // fits come every second or so, and a Stop returns the newest (cancelled: true), as locally
      let streamed = false;
      const r = await gen.invert(
        {
          width: image.width,
          height: image.height,
          channels: image.channels as 3 | 4,
          data: Uint8Array.from(image.data),
        },
        {
          steps: io.steps,
          signal: io.signal,
          preview: 'none',
          onProgress: (s) => {
            streamed = true;
            io.onProgress?.({ step: s.step, steps: s.steps, psnr: s.bestPsnr, phase: s.phase });
          },
        },
      );
      // an older endpoint answers at once at the end: the host showed an indefinite bar meanwhile
      if (!streamed) io.onProgress?.({ step: r.steps, steps: r.steps, psnr: r.psnr });
      return { latent: r.latent, crop: r.crop, psnr: r.psnr, steps: r.steps, cancelled: r.cancelled };
    },
    async openDrag(w0, hp = {}) {
      // the model was read when the engine opened: a drag does not ask the endpoint again
      const model = editModelFor(info);
      return new RemoteDragSession({
        ...o,
        model,
        state: newEditState(w0, { ...summary.defaults, ...hp }, model),
        stepsPerRequest: stepsPerCall,
      });
    },
    async prepareDrag(handles, masked, hp = {}) {
      if (!preparesAhead || handles.length === 0) return;
      try {
        await gen.prepare(handles, masked, { ...summary.defaults, ...hp });
      } catch (e) {
        if (!(e instanceof RemoteRequestError && e.status === 404 && e.code === 'not-found')) throw e;
        preparesAhead = false;
      }
    },
    async resumeDrag(state) {
      return new RemoteDragSession({ ...o, model: editModelFor(info), state, stepsPerRequest: stepsPerCall });
    },
    release: async () => undefined,
  };
}
