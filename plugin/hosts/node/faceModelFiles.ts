import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { FaceModelError } from '../../core/errors';
import {
  manifestFileName,
  shardNames,
  type FaceModelFiles,
  type FaceModelRole,
  type TfjsModelFiles,
} from '../../faces/faceModels';
import { packageRoot } from './packageRoot';

/** Where the package carries face-api's detector and landmark weights (models/face-api, see its README). */
export function faceModelDir(): string {
  return join(packageRoot(), 'models', 'face-api');
}

function readModel(dir: string, role: FaceModelRole): TfjsModelFiles {
  const read = (name: string): Buffer => {
    const file = join(dir, name);
    if (!existsSync(file))
      throw new FaceModelError(
        `the face model file ${file} is missing (reinstall the package, or run: node models/face-api/vendor.cjs)`,
      );
    return readFileSync(file);
  };
  const manifest = read(manifestFileName(role)).toString('utf8');
  return { manifest, shards: new Map(shardNames(manifest).map((n) => [n, new Uint8Array(read(n))])) };
}

/** Reads both face models' files from the package (or `dir`). */
export function readFaceModelFiles(dir: string = faceModelDir()): FaceModelFiles {
  return { detector: readModel(dir, 'detector'), landmarks: readModel(dir, 'landmarks') };
}
