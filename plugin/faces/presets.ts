import type { HandleTarget, Point } from '../core/types';
import { FaceInputError } from '../core/errors';
import { CHIN, faceFrame, inFrame, offset, type FaceFrame, type FaceParts } from './faceParts';

/**
 * Suggested edits ("DragGAN with other models"): each preset is defined once, on the common face description, as
 * handles on named face parts and the way each moves, in the face's own frame (along the eye line, down the face)
 * and in inter-ocular distances, so the same preset is the same edit on any face size and roll, from either
 * landmark detector. The pairs are ordinary handle -> target points: a host shows them and the user may still move
 * or delete them before the drag.
 *
 * The amounts are set against what the bundled model's procedural faces span (models/faces/render.py, in
 * inter-ocular distances): its whole smile range lifts the mouth corners by 0.16 and widens each side by 0.04, the
 * brows rise by 0.15, the upper lid travels 0.18, the lower face narrows by up to 0.23 at the cheek, and a 0.3 rad
 * turn carries the nose tip 0.45 sideways. A preset at strength 1 asks for about the whole of such a range (an edit
 * the generator can draw, not a caricature); the mouth opens by more than the recipe's 0.09, since a drag of one
 * lip only gets part of the way (measured in test/faces/presetDrag.test.ts). Strength scales every displacement.
 */
export const PRESETS = [
  'smile',
  'open-mouth',
  'close-eyes',
  'raise-eyebrows',
  'turn-head-left',
  'turn-head-right',
  'slimmer-jaw',
  'bigger-eyes',
] as const;
export type PresetName = (typeof PRESETS)[number];

/** One handle of a preset: where it is on the face, and where it goes at strength 1 (inter-ocular distances). */
interface Move {
  part: string;
  handle: Point;
  du: number;
  dv: number;
}

interface PresetDefinition {
  description: string;
  moves(face: FaceParts, frame: FaceFrame): Move[];
}

/**
 * Both upper lids, moved down the face by `dv(gap)` eye distances, `gap` being the eye's opening. Only the upper
 * lids: an eye is a few pixels tall, so a lower-lid handle pulled the other way shares the upper one's motion disc
 * and cancels it.
 */
function upperLids(face: FaceParts, frame: FaceFrame, dv: (gap: number) => number): Move[] {
  return (['left', 'right'] as const).map((side) => {
    const eye = face.eyes[side];
    // the opening measured down the face, so a rolled face closes along its own vertical
    const gap = Math.max(0, inFrame(frame, eye.bottom, eye.top).dv);
    return { part: `eyes.${side}.top`, handle: eye.top, du: 0, dv: dv(gap) };
  });
}

function turn(direction: -1 | 1): PresetDefinition['moves'] {
  // the nose tip stands out of the face, so a turn moves it most; the mouth's middle follows by less
  return (face) => [
    { part: 'noseTip', handle: face.noseTip, du: 0.25 * direction, dv: 0 },
    { part: 'mouth.centre', handle: face.mouth.centre, du: 0.15 * direction, dv: 0 },
  ];
}

const DEFINITIONS: Record<PresetName, PresetDefinition> = {
  smile: {
    description: 'mouth corners up',
    // Up only, and by less than the recipe's whole range: a face drawn at truncation 0.7 is already part way up it.
    // Asked for 0.18 up and 0.04 out, the bundled model (whose smile widens a mouth by only 0.03) drew the mouth up
    // into the nose and faded it, or slid the corners sideways: on 20 seeds 5 corner pairs stayed short of half way
    // by the landmark detector; 0.13 straight up brings all 20 past half way (test/cli/presets.e2e.test.ts).
    moves: (f) => [
      { part: 'mouth.left', handle: f.mouth.left, du: 0, dv: -0.13 },
      { part: 'mouth.right', handle: f.mouth.right, du: 0, dv: -0.13 },
    ],
  },
  'open-mouth': {
    description: 'lower lip down',
    // the lower lip alone: on the bundled model one motion disc (r1 16 px) covers both lips, so an upper-lip handle
    // pulled up cancels the lower one (measured on 6 seeds: -0.35 of the way with both; the lower lip alone: 0.54)
    moves: (f) => [{ part: 'mouth.bottom', handle: f.mouth.bottom, du: 0, dv: 0.2 }],
  },
  'close-eyes': {
    description: 'upper lids down onto the lower lids',
    // most of the gap: lids drawn right onto each other leave no line for the generator to draw the lashes on
    moves: (f, frame) => upperLids(f, frame, (gap) => 0.85 * gap),
  },
  'raise-eyebrows': {
    description: 'both brows up',
    moves: (f) =>
      (['left', 'right'] as const).flatMap((side) =>
        (['outer', 'mid', 'inner'] as const).map((k) => ({
          part: `brows.${side}.${k}`,
          handle: f.brows[side][k],
          du: 0,
          dv: -0.15,
        })),
      ),
  },
  'turn-head-left': { description: "the face turns towards the picture's left", moves: turn(-1) },
  'turn-head-right': { description: "the face turns towards the picture's right", moves: turn(1) },
  'slimmer-jaw': {
    description: 'the lower cheeks and jaw in towards the chin',
    // the stations between cheek and chin; the temples and the chin itself stay
    moves: (f) =>
      [2, 3, CHIN + 1, CHIN + 2].map((k) => ({
        part: `jaw.${k}`,
        handle: f.jaw[k],
        du: k < CHIN ? 0.08 : -0.08,
        dv: 0,
      })),
  },
  'bigger-eyes': {
    description: 'upper lids up',
    // with lower lids pulled down as well (r1 16 px on the bundled model, an eye 6 px tall) the eyes closed a
    // little instead (measured: -0.12 of the way on 8 seeds; upper lids alone: 0.68)
    moves: (f, frame) => upperLids(f, frame, () => -0.1),
  },
};

export function presetDescription(name: PresetName): string {
  return DEFINITIONS[name].description;
}

export function isPresetName(text: string): text is PresetName {
  return (PRESETS as readonly string[]).includes(text);
}

/** A suggested pair, labelled with the presets that placed it and the face part its handle is on (for listings and reports). */
export interface PresetPair extends HandleTarget {
  presets: PresetName[];
  part: string;
}

export interface PresetRequest {
  preset: PresetName;
  /** 0..1, scales every displacement (default 1). */
  strength?: number;
}

/** The picture the pairs are for (the model's resolution): every handle and target is kept on it. */
export interface PresetCanvas {
  width: number;
  height: number;
}

export function checkStrength(strength: number): void {
  if (!Number.isFinite(strength) || strength < 0 || strength > 1)
    throw new FaceInputError(`a preset's strength is between 0 and 1; got ${strength}`);
}

// pixel centres are at whole numbers, so the picture spans [0, size - 1] in point coordinates
const clampTo = (p: Point, c: PresetCanvas): Point => ({
  x: Math.min(c.width - 1, Math.max(0, p.x)),
  y: Math.min(c.height - 1, Math.max(0, p.y)),
});

/** A preset's pairs before they are kept on the picture (merging adds displacements, which clamping would bend). */
function rawPairs(face: FaceParts, request: PresetRequest): PresetPair[] {
  const strength = request.strength ?? 1;
  checkStrength(strength);
  if (!isPresetName(request.preset))
    throw new FaceInputError(`there is no preset '${String(request.preset)}' (there are: ${PRESETS.join(', ')})`);
  const frame = faceFrame(face);
  return DEFINITIONS[request.preset].moves(face, frame).map((m) => ({
    presets: [request.preset],
    part: m.part,
    handle: m.handle,
    target: offset(frame, m.handle, strength * m.du, strength * m.dv),
  }));
}

function keepOn(pair: PresetPair, canvas: PresetCanvas): PresetPair {
  return { ...pair, handle: clampTo(pair.handle, canvas), target: clampTo(pair.target, canvas) };
}

/** The handle -> target pairs of one preset on one face, in the face's (the model's) pixels. */
export function presetPairs(face: FaceParts, request: PresetRequest, canvas: PresetCanvas): PresetPair[] {
  return rawPairs(face, request).map((p) => keepOn(p, canvas));
}

/**
 * Several presets on one face, in the order asked. Where two move the same part (bigger eyes and close eyes both
 * hold the upper lids) their displacements add up on one handle: two handles on one spot pulled two ways would
 * only fight each other.
 */
export function suggestPairs(face: FaceParts, requests: readonly PresetRequest[], canvas: PresetCanvas): PresetPair[] {
  const byPart = new Map<string, PresetPair>();
  for (const pair of requests.flatMap((r) => rawPairs(face, r))) {
    const seen = byPart.get(pair.part);
    if (!seen) byPart.set(pair.part, pair);
    else {
      seen.target = {
        x: seen.target.x + pair.target.x - pair.handle.x,
        y: seen.target.y + pair.target.y - pair.handle.y,
      };
      seen.presets = [...seen.presets, ...pair.presets.filter((n) => !seen.presets.includes(n))];
    }
  }
  return [...byPart.values()].map((p) => keepOn(p, canvas));
}
