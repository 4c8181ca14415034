import { applyAffine } from '../../plugin/faces/affine';
import { continuousOf, fitSimilarity, similarityScale } from '../../plugin/faces/similarityFit';

test('a turned, scaled and moved set of points gives back that similarity; noise is averaged out', () => {
  const from = [
    { x: 40, y: 50 },
    { x: 80, y: 50 },
    { x: 60, y: 72 },
    { x: 60, y: 85 },
  ];
  const angle = 0.35;
  const s = 2.5;
  const to = from.map((p) => ({
    x: 300 + s * (Math.cos(angle) * p.x - Math.sin(angle) * p.y),
    y: 120 + s * (Math.sin(angle) * p.x + Math.cos(angle) * p.y),
  }));
  const t = fitSimilarity(from, to);
  expect(similarityScale(t)).toBeCloseTo(s, 10);
  expect(Math.atan2(t.d, t.a)).toBeCloseTo(angle, 10);
  from.forEach((p, i) => {
    const q = applyAffine(t, p);
    expect(q.x).toBeCloseTo(to[i].x, 8);
    expect(q.y).toBeCloseTo(to[i].y, 8);
  });
  expect(() =>
    fitSimilarity(
      [
        { x: 1, y: 1 },
        { x: 1, y: 1 },
      ],
      to.slice(0, 2),
    ),
  ).toThrow(/not all at one place/);
});

test('the continuous form maps pixel i covering [i, i+1) as the centre form maps its centre i', () => {
  const t = { a: 2, b: -0.5, c: 10, d: 0.5, e: 2, f: -3 };
  const c = continuousOf(t);
  const p = applyAffine(t, { x: 7, y: 9 });
  const q = applyAffine(c, { x: 7.5, y: 9.5 });
  expect(q.x - 0.5).toBeCloseTo(p.x, 10);
  expect(q.y - 0.5).toBeCloseTo(p.y, 10);
});
