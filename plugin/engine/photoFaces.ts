/**
 * Faces in a photo framed for a model, and an edit carried back into the photo: the photo path's engine side, so it
 * runs where the engine runs (the page's Web Worker, the panel's thread) with the face finder the model's card names.
 */
import type { Affine } from '../faces/affine';
import { compositeEdit, type CompositeResult } from '../faces/compositeEdit';
import type { FaceParts } from '../faces/faceParts';
import { FaceFinder } from '../faces/faceFinder';
import {
  FACE_MODEL_NAMES,
  manifestFileName,
  shardNames,
  type FaceModelRole,
  type TfjsModelFiles,
} from '../faces/faceModels';
import { invertAffine } from '../faces/affine';
import { photoFaces, proceduralFaces, type FaceSearchControl, type FacesInPhoto } from '../faces/facesInPhoto';
import { onnxLandmarkDetector, type DetectorCard } from '../eval/landmarkDetector';
import type { Runtime } from '../runtime/runtime';
import { FaceModelError } from '../core/errors';
import type { FaceAlignment, FaceModelKind } from '../core/types';
import type { Image8 } from '../codecs/image8';

/** One face found in a photo, cut out as the model wants it. */
export interface FramedFace {
  /** In the photo's pixels. */
  box: { x: number; y: number; width: number; height: number };
  confidence: number;
  /** The aligned crop at the model's resolution: what is inverted. */
  image: Image8;
  /** Model pixel -> photo pixel. */
  toPhoto: Affine;
  /** The face's parts in the model's pixels (where presets place their points). */
  parts: FaceParts;
}

/** The composite without its flow field: what a host writes back (all plain data, so it crosses a worker). */
export type PhotoComposite = Omit<CompositeResult, 'flow'>;

/** Reads one of the shipped face-model files by name (hosts: from the page's folder, the plugin's folder). */
export interface FaceFileReader {
  text(name: string): Promise<string>;
  bytes(name: string): Promise<Uint8Array>;
}

/** The bundled model's landmark detector as the build ships it beside face-api's files. */
export const PROCEDURAL_DETECTOR_FILES = { onnx: 'landmark-detector.onnx', card: 'landmark-detector.json' } as const;

async function tfjsFiles(read: FaceFileReader, role: FaceModelRole): Promise<TfjsModelFiles> {
  const manifest = await read.text(manifestFileName(role));
  const names = shardNames(manifest);
  return { manifest, shards: new Map(await Promise.all(names.map(async (n) => [n, await read.bytes(n)] as const))) };
}

/** The face finder a model's card names, on the engine's runtime. */
export async function openFacesInPhoto(
  runtime: Runtime,
  kind: FaceModelKind,
  read: FaceFileReader,
): Promise<FacesInPhoto> {
  try {
    if (kind === 'procedural') {
      const [onnx, card] = await Promise.all([
        read.bytes(PROCEDURAL_DETECTOR_FILES.onnx),
        read.text(PROCEDURAL_DETECTOR_FILES.card),
      ]);
      const parsed = JSON.parse(card) as DetectorCard;
      return proceduralFaces(
        await onnxLandmarkDetector(runtime, onnx, parsed),
        parsed.mean_face?.map(([x, y]) => ({ x, y })),
      );
    }
    const [detector, landmarks] = await Promise.all([tfjsFiles(read, 'detector'), tfjsFiles(read, 'landmarks')]);
    return photoFaces(await FaceFinder.create(runtime, { detector, landmarks }));
  } catch (e) {
    if (e instanceof FaceModelError) throw e;
    throw new FaceModelError(
      `the ${kind === 'procedural' ? 'bundled landmark detector' : `photo face finder (${Object.values(FACE_MODEL_NAMES).join(', ')})`} could not be loaded: ${e instanceof Error ? e.message : String(e)}; rebuild or reinstall the panel`,
    );
  }
}

/** Every face the finder sees in the photo, framed for the model, best first; none when stopped. */
export async function framedFaces(
  finder: FacesInPhoto,
  photo: Image8,
  model: { alignment: FaceAlignment; resolution: number },
  control?: FaceSearchControl,
): Promise<FramedFace[]> {
  const faces = await finder.find(photo, control);
  return faces.map((f) => {
    const framed = f.frame(photo, model.alignment, model.resolution);
    return {
      box: f.box,
      confidence: f.confidence,
      image: framed.image,
      toPhoto: framed.toPhoto,
      parts: f.partsIn(invertAffine(framed.toPhoto)),
    };
  });
}

/** compositeEdit's result without the flow (which only diagnostics read). */
export function photoComposite(photo: Image8, toPhoto: Affine, reconstruction: Image8, edited: Image8): PhotoComposite {
  const { image, mask, bounds, layer } = compositeEdit(photo, toPhoto, reconstruction, edited);
  return { image, mask, bounds, layer };
}
