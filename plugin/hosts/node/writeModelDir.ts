import { existsSync, mkdirSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { serializeModelPackage, type ModelPackage } from '../../model/modelPackage';
import { writeFileAtomic } from './atomicWrite';
import { MODEL_JSON, WEIGHTS_FILE } from './modelFiles';
import { UserFixableError } from '../../engine/core/errors';

/**
 * Writes a model package folder. An existing non-empty folder is refused unless `force`, so an import never
 * silently mixes with or replaces someone's files; with `force` only the two package files are replaced.
 */
export function writeModelDir(dir: string, pkg: ModelPackage, opts: { force?: boolean } = {}): { bytes: number } {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserFixableError(`output ${dir} is a file, not a folder`);
    if (readdirSync(dir).length > 0 && !opts.force) {
      throw new UserFixableError(`output folder ${dir} is not empty; pass --force to replace ${MODEL_JSON} and ${WEIGHTS_FILE} in it`);
    }
  }
  const { modelJson, weights } = serializeModelPackage(pkg);
  try {
    mkdirSync(dir, { recursive: true });
    // write-then-rename, so an interrupted import never leaves a half-written package behind
    for (const [name, data] of [[WEIGHTS_FILE, weights], [MODEL_JSON, modelJson]] as const) writeFileAtomic(join(dir, name), data);
  } catch (e) {
    throw new UserFixableError(`cannot write the model to ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { bytes: weights.length + Buffer.byteLength(modelJson) };
}
