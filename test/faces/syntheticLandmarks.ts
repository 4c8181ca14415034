import type { Point } from '../../plugin/core/types';
import { NAMED_LANDMARKS } from '../../plugin/faces/namedParts';

/**
 * One upright face, drawn once as named positions (x right, y down, eye distance 20 px, centred at 0,0), and the
 * same face written in both landmark vocabularies: the iBUG 68 points and the procedural detector's names. Where a
 * vocabulary has more points than the face description uses, they sit where such points would (the adapters must
 * pick the right ones, which the tests check by the parts coming out equal).
 */
const FACE: Record<string, Point> = {
  eye_l_out: { x: -16, y: 0 },
  eye_l_in: { x: -4, y: 0 },
  eye_l_top: { x: -10, y: -3 },
  eye_l_bot: { x: -10, y: 3 },
  eye_r_in: { x: 4, y: 0 },
  eye_r_out: { x: 16, y: 0 },
  eye_r_top: { x: 10, y: -3 },
  eye_r_bot: { x: 10, y: 3 },
  brow_l_out: { x: -18, y: -9 },
  brow_l_mid: { x: -11, y: -11 },
  brow_l_in: { x: -4, y: -9 },
  brow_r_in: { x: 4, y: -9 },
  brow_r_mid: { x: 11, y: -11 },
  brow_r_out: { x: 18, y: -9 },
  nose_tip: { x: 0, y: 12 },
  mouth_l: { x: -9, y: 22 },
  mouth_r: { x: 9, y: 22 },
  lip_top: { x: 0, y: 19 },
  mouth_c: { x: 0, y: 22 },
  lip_bot: { x: 0, y: 26 },
};
// nine stations along the jaw, from the left temple through the chin (jaw4) to the right one
for (let k = 0; k < 9; k++) {
  const a = Math.PI * (k / 8);
  FACE[`jaw${k}`] = { x: -24 * Math.cos(a), y: 2 + 34 * Math.sin(a) };
}

export type Transform = (p: Point) => Point;

/** Turned by `angle` (radians, clockwise on screen) about the face's origin, scaled, then moved to `centre`. */
export function placed(centre: Point, scale = 1, angle = 0): Transform {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return (p) => ({ x: centre.x + scale * (c * p.x - s * p.y), y: centre.y + scale * (s * p.x + c * p.y) });
}

/** The face in the procedural detector's vocabulary (its names, in its card's order, plus pupils and nostrils). */
export function namedFace(t: Transform): { names: string[]; points: Point[] } {
  const names = [...NAMED_LANDMARKS, 'pupil_l', 'pupil_r', 'nostril_l', 'nostril_r'];
  const extra: Record<string, Point> = {
    pupil_l: { x: -9, y: 1 },
    pupil_r: { x: 11, y: 1 },
    nostril_l: { x: -3, y: 13 },
    nostril_r: { x: 3, y: 13 },
  };
  return { names, points: names.map((n) => t(FACE[n] ?? extra[n])) };
}

const mid = (a: Point, b: Point, f = 0.5): Point => ({ x: a.x + f * (b.x - a.x), y: a.y + f * (b.y - a.y) });

/**
 * The same face as 68 iBUG 300-W points. The jaw's odd points lie between the even ones; each eye's two upper and
 * two lower lid points straddle the lid's middle, and its six contour points average to the middle of the
 * outline the named face's four points give (as the adapters take the eye's centre).
 */
export function ibugFace(t: Transform): Point[] {
  const f = FACE;
  const lm: Point[] = new Array<Point>(68);
  for (let k = 0; k < 9; k++) lm[2 * k] = f[`jaw${k}`];
  for (let k = 0; k < 8; k++) lm[2 * k + 1] = mid(f[`jaw${k}`], f[`jaw${k + 1}`]);
  // brows: 17 outer .. 21 inner (left), 22 inner .. 26 outer (right)
  lm[17] = f.brow_l_out;
  lm[18] = mid(f.brow_l_out, f.brow_l_mid);
  lm[19] = f.brow_l_mid;
  lm[20] = mid(f.brow_l_mid, f.brow_l_in);
  lm[21] = f.brow_l_in;
  lm[22] = f.brow_r_in;
  lm[23] = mid(f.brow_r_in, f.brow_r_mid);
  lm[24] = f.brow_r_mid;
  lm[25] = mid(f.brow_r_mid, f.brow_r_out);
  lm[26] = f.brow_r_out;
  // nose: bridge 27-30 (30 the tip), nostrils 31-35
  for (let k = 0; k < 4; k++) lm[27 + k] = { x: 0, y: f.nose_tip.y * (k / 3) };
  for (let k = 0; k < 5; k++) lm[31 + k] = { x: -4 + 2 * k, y: f.nose_tip.y + 2 };
  // eyes: lid points 2 px either side of the lid's middle
  const eye = (out: Point, top: Point, inn: Point, bot: Point, dir: number): Point[] => [
    out,
    { x: top.x - 2 * dir, y: top.y },
    { x: top.x + 2 * dir, y: top.y },
    inn,
    { x: bot.x + 2 * dir, y: bot.y },
    { x: bot.x - 2 * dir, y: bot.y },
  ];
  eye(f.eye_l_out, f.eye_l_top, f.eye_l_in, f.eye_l_bot, 1).forEach((p, k) => (lm[36 + k] = p));
  // the right eye starts at its inner corner (42) and runs outwards
  eye(f.eye_r_in, f.eye_r_top, f.eye_r_out, f.eye_r_bot, 1).forEach((p, k) => (lm[42 + k] = p));
  // mouth: outer lip 48-59 clockwise from the left corner, inner lip 60-67
  const [l, r, top, bot, c] = [f.mouth_l, f.mouth_r, f.lip_top, f.lip_bot, f.mouth_c];
  lm[48] = l;
  lm[49] = mid(l, { x: -4, y: top.y });
  lm[50] = { x: -2, y: top.y };
  lm[51] = top;
  lm[52] = { x: 2, y: top.y };
  lm[53] = mid(r, { x: 4, y: top.y });
  lm[54] = r;
  lm[55] = mid(r, { x: 4, y: bot.y });
  lm[56] = { x: 2, y: bot.y };
  lm[57] = bot;
  lm[58] = { x: -2, y: bot.y };
  lm[59] = mid(l, { x: -4, y: bot.y });
  lm[60] = mid(l, c, 0.2);
  lm[61] = { x: -2, y: c.y - 1 };
  lm[62] = { x: 0, y: c.y - 1 };
  lm[63] = { x: 2, y: c.y - 1 };
  lm[64] = mid(r, c, 0.2);
  lm[65] = { x: 2, y: c.y + 1 };
  lm[66] = { x: 0, y: c.y + 1 };
  lm[67] = { x: -2, y: c.y + 1 };
  return lm.map(t);
}
