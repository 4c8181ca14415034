import type { Point } from '../core/types';
import { FaceInputError } from '../core/errors';
import { checkFinite, meanPoint, midpoint, type EyeParts, type FaceParts } from './faceParts';

/**
 * The photo finder's 68 landmarks (iBUG 300-W order, as dlib and face-api number them) as the common face
 * description. The scheme's numbering, picture left to right: jaw 0-16 (chin 8); brows 17-21 and 22-26; nose
 * 27-35 (tip 30); eyes 36-41 (corners 36 outer, 39 inner, upper lid 37-38, lower lid 40-41) and 42-47 (corners 42
 * inner, 45 outer, upper lid 43-44, lower lid 46-47); mouth: outer lip 48-59 (corners 48 and 54, upper lip's top
 * 51, lower lip's bottom 57), inner lip 60-67 (62 upper, 66 lower).
 */
export const IBUG_POINTS = 68;

function eye(
  lm: readonly Point[],
  outer: number,
  inner: number,
  top: [number, number],
  bottom: [number, number],
  from: number,
): EyeParts {
  return {
    outer: lm[outer],
    inner: lm[inner],
    top: midpoint(lm[top[0]], lm[top[1]]),
    bottom: midpoint(lm[bottom[0]], lm[bottom[1]]),
    // the mean of the six contour points, as the finder's eye line and the FFHQ recipe take the eye
    centre: meanPoint(lm.slice(from, from + 6)),
  };
}

export function partsFromIbug68(lm: readonly Point[]): FaceParts {
  if (lm.length !== IBUG_POINTS)
    throw new FaceInputError(`a photo face needs ${IBUG_POINTS} landmarks in the iBUG 300-W order; got ${lm.length}`);
  checkFinite(lm, 'landmark');
  return {
    eyes: { left: eye(lm, 36, 39, [37, 38], [40, 41], 36), right: eye(lm, 45, 42, [43, 44], [46, 47], 42) },
    brows: {
      left: { outer: lm[17], mid: lm[19], inner: lm[21] },
      right: { outer: lm[26], mid: lm[24], inner: lm[22] },
    },
    noseTip: lm[30],
    mouth: { left: lm[48], right: lm[54], top: lm[51], bottom: lm[57], centre: midpoint(lm[62], lm[66]) },
    // every second point of the 17: the same nine stations along the jaw as the procedural detector's
    jaw: [0, 2, 4, 6, 8, 10, 12, 14, 16].map((i) => lm[i]),
  };
}
