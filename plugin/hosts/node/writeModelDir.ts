import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { serializeModelPackage, type ModelPackage } from '../../model/modelPackage';
import { writeFilesAtomic } from './atomicWrite';
import { IMPORT_INCOMPLETE, MODEL_JSON, WEIGHTS_FILE } from './modelFiles';
import { UserFixableError } from '../../core/errors';

/**
 * Writes a model package folder. An existing non-empty folder is refused unless `force` or it holds an import that
 * was interrupted (IMPORT_INCOMPLETE), so an import never silently mixes with or replaces someone's files; otherwise
 * only the two package files are replaced, together (writeFilesAtomic), between the marker's writing and removal.
 */
export function writeModelDir(dir: string, pkg: ModelPackage, opts: { force?: boolean } = {}): { bytes: number } {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserFixableError(`output ${dir} is a file, not a folder`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !opts.force && !entries.includes(IMPORT_INCOMPLETE)) {
      throw new UserFixableError(
        `output folder ${dir} is not empty; pass --force to replace ${MODEL_JSON} and ${WEIGHTS_FILE} in it`,
      );
    }
  }
  const { modelJson, weights } = serializeModelPackage(pkg);
  const marker = join(dir, IMPORT_INCOMPLETE);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      marker,
      `an import into this folder started (process ${process.pid}) and has not finished; run it again\n`,
    );
    writeFilesAtomic([
      { path: join(dir, WEIGHTS_FILE), data: weights },
      { path: join(dir, MODEL_JSON), data: modelJson },
    ]);
    rmSync(marker);
  } catch (e) {
    throw new UserFixableError(`cannot write the model to ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { bytes: weights.length + Buffer.byteLength(modelJson) };
}
