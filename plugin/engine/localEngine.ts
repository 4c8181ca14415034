/** An engine on a runtime in this thread: the model's graphs on onnxruntime-node, or -web (wasm, WebGPU). */
import { DragSession } from '../drag/dragSession';
import { prepareDragStep } from '../drag/dragPlan';
import { scaledRadius } from '../drag/radii';
import { trackAcross } from '../drag/trackAcross';
import type { HostTensor } from '../graph/tensor';
import { invertImage } from '../invert/invertImage';
import { pivotalTuning } from '../invert/pivotalTuning';
import { prepareImage } from '../invert/prepareImage';
import type { ModelPackage } from '../model/modelPackage';
import type { Runtime } from '../runtime/runtime';
import { yieldingRuntime } from '../runtime/yieldingRuntime';
import { editModelOfConfig, imageSize } from '../stylegan2/config';
import { Generator } from '../stylegan2/generator';
import { toRgba8 } from '../stylegan2/imageConversion';
import { zFromSeed } from '../stylegan2/latentSeed';
import { startRuntime, type ProviderFactories } from './backends';
import { modelHyperParameters } from '../core/defaults';
import { checkLimit } from '../core/limits';
import type { Engine, ModelSummary } from './engine';
import { loadModelSource, type ModelSource } from './modelSource';
import { FaceInputError } from '../core/errors';
import type { Image8 } from '../codecs/image8';
import type { FaceSearchControl, FacesInPhoto } from '../faces/facesInPhoto';
import { framedFaces, openFacesInPhoto, photoComposite, type FaceFileReader } from './photoFaces';

function summaryOf(pkg: ModelPackage): ModelSummary {
  const cfg = pkg.config;
  const shape = editModelOfConfig(cfg);
  return {
    id: cfg.name,
    name: cfg.name,
    description: cfg.description,
    license: cfg.license,
    resolution: cfg.img_resolution,
    numWs: shape.numWs,
    numBlocks: shape.numBlocks,
    ...(shape.width === shape.resolution ? {} : { width: shape.width }),
    wDim: cfg.w_dim,
    zDim: cfg.z_dim,
    defaults: modelHyperParameters(cfg.draggan, shape),
    alignment: cfg.alignment,
    faceModel: cfg.face_model,
    domain: cfg.domain,
  };
}

export interface LocalEngine extends Engine {
  /** The generator, for hosts that need the graphs themselves (bench, eval, the server). */
  readonly generator: Generator;
  prepareDrag: NonNullable<Engine['prepareDrag']>;
}

/**
 * `stepsPerCall` 1 suits a host that shares the thread (the UXP panel yields between steps); a worker or a CLI may
 * ask for more per call.
 */
export function localEngine(
  pkg: ModelPackage,
  runtime: Runtime,
  o: { id?: string; notes?: readonly string[]; stepsPerCall?: number; where?: string; faceFiles?: FaceFileReader } = {},
): LocalEngine {
  const gen = new Generator(pkg, runtime);
  const model = { ...summaryOf(pkg), ...(o.id === undefined ? {} : { id: o.id }) };
  const faceFiles = o.faceFiles;
  /** The face finder, loaded on first use (its graphs cost) and kept with the engine. */
  let faces: Promise<FacesInPhoto> | undefined;
  return {
    description: `${runtime.description}${o.where ? ` ${o.where}` : ''}`,
    notes: o.notes ?? [],
    model,
    stepsPerCall: o.stepsPerCall ?? 1,
    generator: gen,
    async generate(seed, psi) {
      checkLimit('seed', seed);
      checkLimit('psi', psi);
      return gen.mapping(zFromSeed(seed, pkg.config.z_dim), psi);
    },
    async render(latent) {
      return toRgba8((await gen.synthesize(latent)).img);
    },
    async invert(image, io = {}) {
      if (io.steps !== undefined) checkLimit('invertSteps', io.steps);
      const r = await invertImage(gen, image, {
        steps: io.steps,
        timeBudgetSeconds: io.timeBudgetSeconds,
        schedule: io.schedule,
        signal: io.signal,
        startLatent: io.startLatent,
        onStep: (s) =>
          io.onProgress?.({
            step: s.step,
            steps: s.total,
            psnr: s.bestPsnr,
            phase: s.phase,
            ...(s.best ? { best: { latent: s.best.latent, image: toRgba8(s.best.image) } } : {}),
          }),
      });
      return {
        latent: r.latent,
        image: toRgba8(r.image),
        crop: r.crop,
        psnr: r.psnr,
        steps: r.steps,
        cancelled: r.cancelled,
      };
    },
    async openDrag(w0: HostTensor, hp = {}) {
      return new DragSession(gen, w0, { ...model.defaults, ...hp });
    },
    async resumeDrag(state) {
      return DragSession.restore(gen, state);
    },
    async track(from, points, to, t = {}) {
      const featureIdx = pkg.config.draggan.feature_idx;
      return trackAcross(
        gen,
        featureIdx,
        from,
        points,
        to,
        t.radius ?? scaledRadius(pkg.config.draggan.r2, pkg.config.img_resolution),
        t.near,
      );
    },
    async prepareDrag(handles, masked, hp = {}) {
      await prepareDragStep(gen, { ...model.defaults, ...hp }, handles, masked);
    },
    async tune(latent, image, to = {}) {
      const { target } = prepareImage(image, pkg.config.img_resolution, imageSize(pkg.config).width);
      const r = await pivotalTuning(gen, latent, target, {
        steps: to.steps,
        signal: to.signal,
        onStep: (step, steps, psnr) => to.onProgress?.({ step, steps, psnr }),
      });
      const cfg = pkg.config;
      const model = {
        config: { ...cfg, name: `${cfg.name}-pti`, description: `${cfg.name} tuned to one photo by pivotal tuning` },
        weights: r.weights,
      };
      return { model, image: toRgba8(r.image), psnr: r.psnr, steps: r.steps, cancelled: r.cancelled };
    },
    ...(faceFiles
      ? {
          async findFaces(photo: Image8, control?: FaceSearchControl) {
            if (model.alignment === 'none')
              throw new FaceInputError(
                `${model.name} asks for no face alignment: its pictures are framed as the centred square or the selection`,
              );
            faces ??= openFacesInPhoto(runtime, model.faceModel, faceFiles);
            return framedFaces(await faces, photo, model, control);
          },
        }
      : {}),
    async composite(photo, toPhoto, reconstruction, edited) {
      return photoComposite(photo, toPhoto, reconstruction, edited);
    },
    async release() {
      const f = faces;
      faces = undefined;
      await Promise.all([
        gen.release(),
        f?.then(
          (x) => x.release(),
          () => undefined,
        ),
      ]);
    },
  };
}

/**
 * Loads a model and starts it on a backend of this thread's runtimes: the engine of hosts without workers (UXP).
 * `yieldNow` runs before every graph run: on a UI thread it lets the panel repaint and a Stop click through during
 * an inversion or a drag step, not only between them.
 */
export async function openLocalEngine(
  source: ModelSource,
  backend: string,
  factories: ProviderFactories,
  o: { where?: string; stepsPerCall?: number; yieldNow?: () => Promise<void>; faceFiles?: FaceFileReader } = {},
): Promise<LocalEngine> {
  const { runtime, notes } = await startRuntime(backend, factories);
  return localEngine(await loadModelSource(source), o.yieldNow ? yieldingRuntime(runtime, o.yieldNow) : runtime, {
    where: o.where,
    stepsPerCall: o.stepsPerCall,
    notes,
    faceFiles: o.faceFiles,
  });
}
