import { readTfjsWeights, type WeightMap } from './tfjsWeights';

/**
 * The two tfjs models the photo face finder runs, by the file names @vladmandic/face-api ships them under (the
 * project carries copies in models/face-api, see its README). Hosts read these files their own way (Node from
 * the package folder, pages and the panel from their bundle's folder) and hand over the bytes.
 */
export const FACE_MODEL_NAMES = { detector: 'tiny_face_detector_model', landmarks: 'face_landmark_68_model' } as const;
export type FaceModelRole = keyof typeof FACE_MODEL_NAMES;

export interface TfjsModelFiles {
  /** The text of `<name>-weights_manifest.json`. */
  readonly manifest: string;
  /** Every shard the manifest names, by that name. */
  readonly shards: ReadonlyMap<string, Uint8Array>;
}

export type FaceModelFiles = Readonly<Record<FaceModelRole, TfjsModelFiles>>;

/** The files a host must read for one model: its manifest and (as the manifest names them) its shards. */
export function manifestFileName(role: FaceModelRole): string {
  return `${FACE_MODEL_NAMES[role]}-weights_manifest.json`;
}

/** Shard names listed in a manifest (read before the shards themselves). */
export function shardNames(manifest: string): string[] {
  try {
    const groups = JSON.parse(manifest) as { paths?: unknown }[];
    return Array.isArray(groups)
      ? groups.flatMap((g) =>
          Array.isArray(g?.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : [],
        )
      : [];
  } catch {
    return [];
  }
}

export function readFaceWeights(files: FaceModelFiles): Record<FaceModelRole, WeightMap> {
  return {
    detector: readTfjsWeights(FACE_MODEL_NAMES.detector, files.detector.manifest, files.detector.shards),
    landmarks: readTfjsWeights(FACE_MODEL_NAMES.landmarks, files.landmarks.manifest, files.landmarks.shards),
  };
}
