import type { HostTensor } from '../../plugin/graph/tensor';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { expectedWeights } from '../../plugin/model/weightNames';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { featureShapes, numWs } from '../../plugin/stylegan2/config';
import { Generator } from '../../plugin/stylegan2/generator';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { reference, relError, type StyleGan3ReferenceMeta } from '../helpers/fixtures';
import { fixture } from './fixtures';

/**
 * StyleGAN3 checkpoints (configs T and R, random weights, made with the official networks_stylegan3.py by
 * models/recipes/make_stylegan3_reference.py) imported and rendered against the official images and feature map.
 */
let cpu: Runtime;
beforeAll(async () => {
  cpu = await ortNodeCpu.create();
});

function maxLevelDifference(ours: HostTensor, officialHwc: HostTensor): number {
  const rgba = toRgba8(ours);
  let worst = 0;
  for (let i = 0; i < officialHwc.data.length / 3; i++) {
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(rgba.data[i * 4 + c] - officialHwc.data[i * 3 + c]));
  }
  return worst;
}

describe.each([
  ['sg3t64', 't', 3],
  ['sg3r64', 'r', 1],
])('%s.pkl', (name, config, kernel) => {
  const pkg = importCheckpoint(fixture('checkpoints', `${name}.pkl`));
  const ref = reference<StyleGan3ReferenceMeta>(name);
  const t = (k: string): HostTensor => ref.tensors.get(k)!;
  let gen: Generator;
  beforeAll(() => {
    gen = new Generator(pkg, cpu);
  });
  afterAll(() => gen.release());

  test('imports as a StyleGAN3 generator of its config, with every layer and filter', () => {
    const c = pkg.config;
    expect(c.synthesis_kwargs).toMatchObject({
      architecture: 'stylegan3',
      stylegan3_config: config,
      conv_kernel: kernel,
      conv_clamp: 256,
      num_layers: 14,
    });
    expect(c.name).toBe(`Imported StyleGAN3 (config ${config.toUpperCase()}) generator`);
    expect(numWs(c)).toBe(16);
    expect(featureShapes(c).map((f) => [1, f.channels, f.height, f.width])).toEqual(ref.meta.feature_sizes);
    expect([...pkg.weights.keys()].sort()).toEqual([...expectedWeights(c).keys()].sort());
  });

  test('mapping, then the image of two seeds within 1 level of the official one', async () => {
    for (const seed of [0, 1]) {
      const w = await gen.mapping(t(`z${seed}`), 0.7);
      expect(relError(w.data, t(`w${seed}`).data)).toBeLessThan(1e-5);
      const { img } = await gen.synthesize(t(`w${seed}`));
      expect(relError(img.data, t(`img${seed}`).data)).toBeLessThan(1e-4);
      expect(maxLevelDifference(img, t(`img_u8_${seed}`))).toBeLessThanOrEqual(1);
    }
  });

  test('the truncated features graph gives DragGAN feature map (layer feature_idx, margins included)', async () => {
    const f = await gen.features(t('w0'), ref.meta.feature_idx);
    expect(f.shape).toEqual(t('feat').shape);
    expect(relError(f.data, t('feat').data)).toBeLessThan(1e-4);
  });
});

describe('StyleGAN3 refusals', () => {
  test('a feature_idx past the last layer is refused with the range of its layers', () => {
    expect(() => importCheckpoint(fixture('checkpoints', 'sg3t64.pkl'), { draggan: { feature_idx: 15 } })).toThrow(
      /draggan\.feature_idx: feature_idx must be 0\.\.14 for this model, got 15/,
    );
  });
});
