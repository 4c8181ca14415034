import type { Image8 } from '../../codecs/image8';
import { FaceFinder } from '../../faces/faceFinder';
import { namedLocator, photoLocator, type FaceLocator } from '../../faces/faceLocator';
import { NoFaceError } from '../../faces/noFaceError';
import { suggestPairs, type PresetPair, type PresetRequest } from '../../faces/presets';
import { startNodeRuntime } from '../node/backends';
import { readFaceModelFiles } from '../node/faceModelFiles';
import { openBundledLandmarkDetector } from '../node/bundledLandmarkDetector';
import type { LandmarkChoice } from './presetArgs';

/** A locator on this machine's CPU (faces are found once per edit; the drag itself may run elsewhere). */
async function openLocator(choice: LandmarkChoice): Promise<{ locator: FaceLocator; release(): Promise<void> }> {
  if (choice === 'procedural') {
    const detector = await openBundledLandmarkDetector();
    return {
      locator: namedLocator(detector, 'bundled landmark detector'),
      release: () => detector.release?.() ?? Promise.resolve(),
    };
  }
  const files = readFaceModelFiles();
  const { runtime } = await startNodeRuntime('cpu');
  const finder = await FaceFinder.create(runtime, files);
  return { locator: photoLocator(finder), release: () => finder.release() };
}

/**
 * The presets' handle -> target pairs on the image the drag starts from (the model's pixels), placed from the
 * face the chosen landmarks find in it.
 */
export async function placePresetPairs(
  image: Image8,
  requests: readonly PresetRequest[],
  choice: LandmarkChoice,
): Promise<PresetPair[]> {
  const { locator, release } = await openLocator(choice);
  try {
    const face = await locator.locate(image);
    return suggestPairs(face, requests, image);
  } catch (e) {
    // the CLI's own way to place points by hand, named where the engine's message says it in general
    if (e instanceof NoFaceError)
      e.message += ` (--point X,Y:TX,TY; or --preset-landmarks ${choice === 'procedural' ? 'photo' : 'procedural'} to try the other landmarks)`;
    throw e;
  } finally {
    await release();
  }
}

/** One line per pair, for the terminal: which presets placed it, on which part, from where to where. */
export function describePresetPairs(pairs: readonly PresetPair[]): string[] {
  const pt = (p: { x: number; y: number }) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
  return pairs.map((p) => `${p.presets.join('+')}: ${p.part} ${pt(p.handle)} -> ${pt(p.target)}`);
}
