import type { Point } from '../core/types';
import { FaceInputError } from '../core/errors';
import { checkFinite, JAW_POINTS, meanPoint, type EyeParts, type FaceParts } from './faceParts';

/**
 * A detector that names its landmarks, as the bundled model's procedural-face detector does
 * (models/landmarks/detector.json; "_l" is the picture's left, as models/faces/render.py draws it): its points as
 * the common face description. The names it must have are listed here, so another detector trained on the same
 * recipe works as long as it keeps them.
 */
export const NAMED_LANDMARKS = [
  ...Array.from({ length: JAW_POINTS }, (_, i) => `jaw${i}`),
  'brow_l_out',
  'brow_l_mid',
  'brow_l_in',
  'brow_r_in',
  'brow_r_mid',
  'brow_r_out',
  'eye_l_out',
  'eye_l_top',
  'eye_l_in',
  'eye_l_bot',
  'eye_r_in',
  'eye_r_top',
  'eye_r_out',
  'eye_r_bot',
  'nose_tip',
  'mouth_l',
  'lip_top',
  'mouth_c',
  'lip_bot',
  'mouth_r',
] as const;

export type LandmarkName = (typeof NAMED_LANDMARKS)[number];

export function partsFromNamed(names: readonly string[], points: readonly Point[]): FaceParts {
  if (names.length !== points.length)
    throw new FaceInputError(`the detector names ${names.length} landmarks but gave ${points.length} points`);
  checkFinite(points, 'landmark');
  const missing = NAMED_LANDMARKS.filter((n) => !names.includes(n));
  if (missing.length > 0)
    throw new FaceInputError(
      `the landmark detector has no point named ${missing.join(', ')}; suggested points need the procedural-face names (models/landmarks/detector.json)`,
    );
  const at = (n: LandmarkName): Point => points[names.indexOf(n)];
  const eye = (s: 'l' | 'r'): EyeParts => {
    const outer = at(`eye_${s}_out`);
    const inner = at(`eye_${s}_in`);
    const top = at(`eye_${s}_top`);
    const bottom = at(`eye_${s}_bot`);
    // the eye's outline, not the pupil: a pupil follows the gaze, and the face's size and roll must not
    return { outer, inner, top, bottom, centre: meanPoint([outer, inner, top, bottom]) };
  };
  return {
    eyes: { left: eye('l'), right: eye('r') },
    brows: {
      left: { outer: at('brow_l_out'), mid: at('brow_l_mid'), inner: at('brow_l_in') },
      right: { outer: at('brow_r_out'), mid: at('brow_r_mid'), inner: at('brow_r_in') },
    },
    noseTip: at('nose_tip'),
    mouth: {
      left: at('mouth_l'),
      right: at('mouth_r'),
      top: at('lip_top'),
      bottom: at('lip_bot'),
      centre: at('mouth_c'),
    },
    jaw: Array.from({ length: JAW_POINTS }, (_, i) => at(`jaw${i}` as LandmarkName)),
  };
}
