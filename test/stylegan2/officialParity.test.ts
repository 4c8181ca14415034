import type { HostTensor } from '../../plugin/graph/tensor';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { ortWebProvider } from '../../plugin/runtime/ortWeb';
import type { Runtime } from '../../plugin/runtime/runtime';
import { Generator } from '../../plugin/stylegan2/generator';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { fixturePackage, reference, relError } from '../helpers/fixtures';

/**
 * Forward graphs against tensors the official implementation produced on the same checkpoints
 * (models/recipes/make_reference.py): mapping with truncation, every block's output, the image, and its 8-bit form.
 */
let cpu: Runtime;
let wasm: Runtime;
beforeAll(async () => {
  cpu = await ortNodeCpu.create();
  wasm = await ortWebProvider('wasm', 10, { threads: 1 }).create();
});

function maxLevelDifference(ours: HostTensor, officialHwc: HostTensor): number {
  const rgba = toRgba8(ours);
  let worst = 0;
  for (let i = 0; i < officialHwc.data.length / 3; i++) {
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(rgba.data[i * 4 + c] - officialHwc.data[i * 3 + c]));
  }
  return worst;
}

describe.each(['tiny128', 'tiny64'])('%s', (name) => {
  const pkg = fixturePackage(name);
  const ref = reference(name);
  const t = (k: string): HostTensor => ref.tensor(k);
  let gen: Generator;
  beforeAll(() => {
    gen = new Generator(pkg, cpu);
  });
  afterAll(() => gen.release());

  test('mapping (z -> w with psi 0.7, and psi 1)', async () => {
    expect(relError((await gen.mapping(t('z'), 0.7)).data, t('w').data)).toBeLessThan(1e-5);
    expect(relError((await gen.mapping(t('z'), 1)).data, t('w_psi1').data)).toBeLessThan(1e-5);
  });

  test('every block output within relative error 1e-4, the image within 1 level', async () => {
    const out = await gen.synthesize(t('ws'), { features: true });
    const blocks = [...ref.tensors.keys()].filter((k) => /^feat_\d+$/.test(k)).length;
    expect(out.features).toHaveLength(blocks);
    out.features.forEach((f, i) => expect(relError(f.data, t(`feat_${i}`).data)).toBeLessThan(1e-4));
    expect(relError(out.img.data, t('img').data)).toBeLessThan(1e-4);
    expect(maxLevelDifference(out.img, t('img_u8'))).toBeLessThanOrEqual(1);
  });

  test('the truncated features graph gives the same feature map', async () => {
    const idx = ref.meta.feature_idx;
    expect(relError((await gen.features(t('ws'), idx)).data, t(`feat_${idx}`).data)).toBeLessThan(1e-4);
  });

  test('onnxruntime-web (wasm) gives the same image', async () => {
    const g = new Generator(pkg, wasm);
    const img = (await g.synthesize(t('ws'))).img;
    expect(maxLevelDifference(img, t('img_u8'))).toBeLessThanOrEqual(1);
    await g.release();
  });
});
