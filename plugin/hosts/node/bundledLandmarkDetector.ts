import { onnxLandmarkDetector } from '../../eval/landmarkDetector';
import { startNodeRuntime } from './backends';
import { readLandmarkDetectorFiles } from './landmarkDetectorFiles';

/** The bundled model's landmark net on this machine's CPU (a few runs per edit or clip: no need for a GPU). */
export async function openBundledLandmarkDetector(): ReturnType<typeof onnxLandmarkDetector> {
  const files = readLandmarkDetectorFiles();
  const { runtime } = await startNodeRuntime('cpu');
  return onnxLandmarkDetector(runtime, files.onnx, files.card);
}
