import { basename, resolve } from 'path';
import { DRAG_DEFAULTS } from '../../engine/core/defaults';
import { editModelFor } from '../../engine/core/editState';
import type { ModelPackage } from '../../model/modelPackage';
import type { ModelInfo } from '../../remote/protocol';
import type { StateShape } from '../../remote/stateCodec';
import { featureShapes, numWs } from '../../stylegan2/config';
import { UserFixableError } from '../../engine/core/errors';
import { Generator } from '../../stylegan2/generator';
import type { Runtime } from '../../runtime/runtime';
import { loadModelDir } from '../node/loadModelDir';

/** A model id is a plain name: clients name models, they never pass paths to the server. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;


export interface ServedModel {
  id: string;
  info: ModelInfo;
  shape: StateShape;
  generator: Generator;
}

function idFor(dir: string, pkg: ModelPackage): string {
  const fromDir = basename(resolve(dir));
  if (MODEL_ID_PATTERN.test(fromDir)) return fromDir;
  const fromName = pkg.config.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  if (MODEL_ID_PATTERN.test(fromName)) return fromName;
  throw new UserFixableError(`cannot make a model id from folder '${dir}' or its name '${pkg.config.name}'; rename the folder to letters, digits, '.', '_' or '-'`);
}

export function servedModel(id: string, pkg: ModelPackage, runtime: Runtime): ServedModel {
  const cfg = pkg.config;
  const n = numWs(cfg);
  const info: ModelInfo = {
    id,
    name: cfg.name,
    description: cfg.description,
    license: cfg.license,
    resolution: cfg.img_resolution,
    zDim: cfg.z_dim,
    wDim: cfg.w_dim,
    numWs: n,
    numBlocks: featureShapes(cfg).length,
    defaults: {
      lr: cfg.draggan.lr,
      r1: cfg.draggan.r1,
      r2: cfg.draggan.r2,
      lambda: cfg.draggan.lambda,
      featureIdx: cfg.draggan.feature_idx,
      optimisedRows: Math.min(DRAG_DEFAULTS.optimisedRows, n),
      psi: DRAG_DEFAULTS.psi,
      maxSteps: DRAG_DEFAULTS.maxSteps,
    },
  };
  const shape: StateShape = editModelFor(info);
  return { id, info, shape, generator: new Generator(pkg, runtime) };
}

/** Loads the model folders given to `draggan serve`; ids must be unique. */
export function loadServedModels(dirs: readonly string[], runtime: Runtime): ServedModel[] {
  const out: ServedModel[] = [];
  for (const dir of dirs) {
    const pkg = loadModelDir(dir);
    const id = idFor(dir, pkg);
    if (out.some((m) => m.id === id)) throw new UserFixableError(`two model folders have the id '${id}'; model ids come from the folder names, so rename one`);
    out.push(servedModel(id, pkg, runtime));
  }
  return out;
}
