import type { FaceModelKind } from '../../core/types';
import { onnxLandmarkDetector } from '../../eval/landmarkDetector';
import { FaceFinder } from '../../faces/faceFinder';
import { photoFaces, proceduralFaces, type FacesInPhoto } from '../../faces/facesInPhoto';
import { startNodeRuntime } from './backends';
import { readFaceModelFiles } from './faceModelFiles';
import { readLandmarkDetectorFiles } from './landmarkDetectorFiles';

/** The face finder a model's card names, on this machine's CPU (faces are found once per edit). */
export async function openFaces(kind: FaceModelKind): Promise<FacesInPhoto> {
  const { runtime } = await startNodeRuntime('cpu');
  if (kind === 'procedural') {
    const files = readLandmarkDetectorFiles();
    const detector = await onnxLandmarkDetector(runtime, files.onnx, files.card);
    return proceduralFaces(
      detector,
      files.card.mean_face?.map(([x, y]) => ({ x, y })),
    );
  }
  return photoFaces(await FaceFinder.create(runtime, readFaceModelFiles()));
}
