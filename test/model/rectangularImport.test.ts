import type { HostTensor } from '../../plugin/graph/tensor';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { normalizeModelConfig } from '../../plugin/model/validateConfig';
import { expectedWeights, isOptionalWeight } from '../../plugin/model/weightNames';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { featureShapes, imageSize, numWs } from '../../plugin/stylegan2/config';
import { Generator } from '../../plugin/stylegan2/generator';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { reference, relError, type StyleGan3ReferenceMeta } from '../helpers/fixtures';
import { fixture } from './fixtures';

/**
 * A rectangular generator in StyleGAN-Human's layout (square = false: 128 tall x 64 wide from a [C, 4, 2] constant,
 * random weights, made with the StyleGAN-Human networks the official DragGAN vendors, by
 * models/recipes/make_human_reference.py), imported and rendered against the official images and feature map.
 */
let cpu: Runtime;
beforeAll(async () => {
  cpu = await ortNodeCpu.create();
});

const pkg = importCheckpoint(fixture('checkpoints', 'human128.pkl'));
const ref = reference<StyleGan3ReferenceMeta>('human128');
const t = (k: string): HostTensor => ref.tensors.get(k)!;

test('imports as a 64 x 128 generator, its aspect read from the constant (the pickle has no square kwarg)', () => {
  const c = pkg.config;
  expect(c.square).toBe(false);
  expect(imageSize(c)).toEqual({ width: 64, height: 128 });
  expect(numWs(c)).toBe(12);
  expect(featureShapes(c).map((f) => [1, f.channels, f.height, f.width])).toEqual(ref.meta.feature_sizes);
  expect(pkg.weights.get('synthesis.b4.const')!.shape).toEqual([32, 4, 2]);
  expect(pkg.weights.get('synthesis.b128.conv1.noise_const')!.shape).toEqual([128, 64]);
  expect([...pkg.weights.keys()].filter((k) => !isOptionalWeight(k)).sort()).toEqual(
    [...expectedWeights(c).keys()].sort(),
  );
});

describe('rendering', () => {
  let gen: Generator;
  beforeAll(() => {
    gen = new Generator(pkg, cpu);
  });
  afterAll(() => gen.release());

  test('mapping, then the 64 x 128 image of two seeds within 1 level of the official one', async () => {
    for (const seed of [0, 1]) {
      const w = await gen.mapping(t(`z${seed}`), 0.7);
      expect(relError(w.data, t(`w${seed}`).data)).toBeLessThan(1e-5);
      const { img } = await gen.synthesize(t(`w${seed}`));
      expect(img.shape).toEqual([1, 3, 128, 64]);
      expect(relError(img.data, t(`img${seed}`).data)).toBeLessThan(1e-4);
      const rgba = toRgba8(img);
      let worst = 0;
      for (let i = 0; i < 128 * 64; i++)
        for (let ch = 0; ch < 3; ch++)
          worst = Math.max(worst, Math.abs(rgba.data[i * 4 + ch] - t(`img_u8_${seed}`).data[i * 3 + ch]));
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  test('the truncated features graph gives the 64 x 128 feature block', async () => {
    const f = await gen.features(t('w0'), ref.meta.feature_idx);
    expect(f.shape).toEqual([1, 16, 128, 64]);
    expect(relError(f.data, t('feat').data)).toBeLessThan(1e-4);
  });
});

test('a model.json with square other than true or false is refused, naming the values', () => {
  expect(() => normalizeModelConfig({ ...pkg.config, square: 'no' })).toThrow(/square 'no' must be true or false/);
});
