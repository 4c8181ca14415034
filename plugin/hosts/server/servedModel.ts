import { basename, resolve } from 'path';
import { DRAG_DEFAULTS } from '../../core/defaults';
import { editModelFor, type EditModel } from '../../core/editState';
import type { ModelPackage } from '../../model/modelPackage';
import type { ModelInfo } from '../../remote/protocol';
import { UserFixableError } from '../../core/errors';
import { localEngine, type LocalEngine } from '../../engine/localEngine';
import type { Runtime } from '../../runtime/runtime';
import { loadModelDir } from '../node/loadModelDir';

/** A model id is a plain name: clients name models, they never pass paths to the server. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ServedModel {
  id: string;
  info: ModelInfo;
  shape: EditModel;
  /** The model on this server's runtime: every route computes through it. */
  engine: LocalEngine;
}

function idFor(dir: string, pkg: ModelPackage): string {
  const fromDir = basename(resolve(dir));
  if (MODEL_ID_PATTERN.test(fromDir)) return fromDir;
  const fromName = pkg.config.name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  if (MODEL_ID_PATTERN.test(fromName)) return fromName;
  throw new UserFixableError(
    `cannot make a model id from folder '${dir}' or its name '${pkg.config.name}'; rename the folder to letters, digits, '.', '_' or '-'`,
  );
}

export function servedModel(id: string, pkg: ModelPackage, runtime: Runtime): ServedModel {
  const engine = localEngine(pkg, runtime, { id });
  // the model card as the engine summarises it, once, plus the truncation a seed gets here; the face finder and
  // domain stay here (the wire has no face path)
  const { faceModel: _faceModel, domain: _domain, ...card } = engine.model;
  const info: ModelInfo = { ...card, defaults: { ...card.defaults, psi: DRAG_DEFAULTS.psi } };
  return { id, info, shape: editModelFor(engine.model), engine };
}

/** Loads the model folders given to `draggan serve`; ids must be unique. */
export function loadServedModels(dirs: readonly string[], runtime: Runtime): ServedModel[] {
  const out: ServedModel[] = [];
  for (const dir of dirs) {
    const pkg = loadModelDir(dir);
    const id = idFor(dir, pkg);
    if (out.some((m) => m.id === id))
      throw new UserFixableError(
        `two model folders have the id '${id}'; model ids come from the folder names, so rename one`,
      );
    out.push(servedModel(id, pkg, runtime));
  }
  return out;
}
