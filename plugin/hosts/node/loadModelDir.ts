import { existsSync, statSync } from 'fs';
import { join } from 'path';
import { parseModelPackage, type ModelPackage } from '../../model/modelPackage';
import { IMPORT_INCOMPLETE, MODEL_JSON, WEIGHTS_FILE } from './modelFiles';
import { MODEL_JSON_LIMIT, readUserFile } from './userFiles';
import { UserFixableError } from '../../core/errors';
import { decodeUtf8 } from '../../codecs/utf8';

/** Reads a model package folder (model.json + weights.safetensors) and validates it. */
export function loadModelDir(dir: string): ModelPackage {
  if (!existsSync(dir)) throw new UserFixableError(`model folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UserFixableError(`model folder ${dir} is a file, not a folder`);
  if (existsSync(join(dir, IMPORT_INCOMPLETE))) {
    throw new UserFixableError(
      `model folder ${dir} holds an import that did not finish (it was interrupted); run the import into it again`,
    );
  }
  const missing = [MODEL_JSON, WEIGHTS_FILE].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new UserFixableError(
      `model folder ${dir} has no ${missing.join(' and no ')} (make one with: draggan import <checkpoint.pkl> --out <dir>)`,
    );
  }
  const json = decodeUtf8(readUserFile(join(dir, MODEL_JSON), 'model config', MODEL_JSON_LIMIT));
  const weights = readUserFile(join(dir, WEIGHTS_FILE), 'model weights');
  try {
    return parseModelPackage(json, weights);
  } catch (e) {
    throw new UserFixableError(
      `model folder ${dir} is not a valid model package: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
