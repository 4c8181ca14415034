import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { UserFixableError } from '../../core/errors';
import type { DetectorCard } from '../../eval/landmarkDetector';
import { packageRoot } from './packageRoot';

/** The bundled model's procedural-face landmark detector, as the package ships it. */
export function bundledDetectorPath(): string {
  return join(packageRoot(), 'models', 'landmarks', 'detector.onnx');
}

/** A landmark detector's ONNX file and the card beside it (detector.json: landmark names, input and output names). */
export function readLandmarkDetectorFiles(onnxPath: string = bundledDetectorPath()): {
  onnx: Uint8Array;
  card: DetectorCard;
} {
  const cardPath = onnxPath.replace(/\.onnx$/, '.json');
  if (!existsSync(onnxPath))
    throw new UserFixableError(
      `no landmark detector at ${onnxPath} (train one with models/landmarks/train_detector.py, or pass --detector)`,
    );
  if (!existsSync(cardPath))
    throw new UserFixableError(
      `the detector ${onnxPath} has no card ${cardPath} (landmark names, input and output names)`,
    );
  return {
    onnx: new Uint8Array(readFileSync(onnxPath)),
    card: JSON.parse(readFileSync(cardPath, 'utf8')) as DetectorCard,
  };
}
