import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { randomWeights, stylegan3ShapeConfig } from '../../plugin/model/randomModel';
import { expectedWeights } from '../../plugin/model/weightNames';
import { stylegan3PlanOf } from '../../plugin/stylegan2/config';
import { designLowpassFilter } from '../../plugin/stylegan2/stylegan3/lowpassFilter';
import { fixture } from '../model/fixtures';

/**
 * The low-pass filters designed here are the official ones: the checkpoints made with networks_stylegan3.py
 * (config T: separable Kaiser sinc; config R: radial jinc on its non-critical layers) carry them as buffers.
 */
describe.each(['sg3t64', 'sg3r64'])('%s.pkl', (name) => {
  const pkg = importCheckpoint(fixture('checkpoints', `${name}.pkl`));
  test('every layer filter designed from the layer plan equals the checkpoint buffer', () => {
    let compared = 0;
    for (const l of stylegan3PlanOf(pkg.config).layers) {
      const designs: [string, Float32Array | undefined][] = [
        [
          'up_filter',
          l.upTaps > 1 ? designLowpassFilter(l.upTaps, l.upCutoff, l.upWidth, l.tmpRate, false) : undefined,
        ],
        [
          'down_filter',
          l.downTaps > 1
            ? designLowpassFilter(l.downTaps, l.downCutoff, l.downWidth, l.tmpRate, l.downRadial)
            : undefined,
        ],
      ];
      for (const [buffer, ours] of designs) {
        const theirs = pkg.weights.get(`${l.prefix}.${buffer}`);
        expect(ours === undefined).toBe(theirs === undefined);
        if (!ours || !theirs) continue;
        expect(ours.length).toBe(theirs.data.length);
        for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i] - theirs.data[i])).toBeLessThan(1e-6);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });
});

test('the benchmark shapes of the published StyleGAN3 models get every weight, filters designed', () => {
  for (const config of ['t', 'r'] as const) {
    const cfg = stylegan3ShapeConfig(256, config);
    const weights = randomWeights(cfg, 1);
    expect([...weights.keys()].sort()).toEqual([...expectedWeights(cfg).keys()].sort());
    const down = stylegan3PlanOf(cfg).layers.find((l) => l.downTaps > 1)!;
    const filter = weights.get(`${down.prefix}.down_filter`)!;
    expect(filter.shape).toEqual(config === 'r' ? [down.downTaps, down.downTaps] : [down.downTaps]);
    expect(filter.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  }
});
