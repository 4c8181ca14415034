import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { parseModelPackage } from '../../plugin/model/modelPackage';
import { CheckpointError, ModelConfigError } from '../../plugin/core/errors';
import { expectedWeights, isOptionalWeight } from '../../plugin/model/weightNames';
import { fixture, fixtureText } from './fixtures';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof CheckpointError ? e.code : `not a CheckpointError: ${String(e)}`;
  }
  return 'no error';
}

describe.each([
  ['tiny128', { z_dim: 64, w_dim: 64, img_resolution: 128, layers: 8, conv_clamp: 256, channel_base: 1024, fp16: 2 }],
  ['tiny64', { z_dim: 32, w_dim: 32, img_resolution: 64, layers: 2, conv_clamp: null, channel_base: 512, fp16: 0 }],
])('importCheckpoint(%s.pkl)', (name, want) => {
  const pkg = importCheckpoint(fixture('checkpoints', `${name}.pkl`));
  const ref = parseModelPackage(
    fixtureText('packages', name, 'model.json'),
    fixture('packages', name, 'weights.safetensors'),
  );

  it('reads the init kwargs into the model config', () => {
    const c = pkg.config;
    expect(c).toMatchObject({
      z_dim: want.z_dim,
      w_dim: want.w_dim,
      c_dim: 0,
      img_resolution: want.img_resolution,
      img_channels: 3,
    });
    expect(c.mapping_kwargs).toMatchObject({ num_layers: want.layers, lr_multiplier: 0.01, w_avg_beta: 0.998 });
    expect(c.synthesis_kwargs).toMatchObject({
      channel_base: want.channel_base,
      channel_max: 32,
      conv_clamp: want.conv_clamp,
      architecture: 'skip',
      num_fp16_res: want.fp16,
    });
    expect(c.license).toBe("unknown — check the checkpoint's licence");
    expect(c.draggan.feature_idx).toBe(Math.min(5, Math.log2(want.img_resolution) - 2));
    const { name: _n, description: _d, license: _l, draggan: _g, ...gen } = c;
    const { name: _n2, description: _d2, license: _l2, draggan: _g2, ...refGen } = ref.config;
    expect(gen).toEqual(refGen);
  });

  it('has every expected weight with the right shape, equal to what PyTorch saved', () => {
    for (const [k, shape] of expectedWeights(pkg.config)) expect(pkg.weights.get(k)?.shape).toEqual(shape);
    for (const k of pkg.weights.keys()) expect(expectedWeights(pkg.config).has(k) || isOptionalWeight(k)).toBe(true);
    expect([...pkg.weights.keys()].sort()).toEqual([...ref.weights.keys()].sort());
    for (const [k, t] of ref.weights) expect(pkg.weights.get(k)?.data).toEqual(t.data);
    const strength = pkg.weights.get(`synthesis.b${want.img_resolution}.conv1.noise_strength`)?.data[0];
    expect(strength).not.toBe(0);
  });

  it('takes name, description, licence and DragGAN settings from options', () => {
    const named = importCheckpoint(fixture('checkpoints', `${name}.pkl`), {
      name: 'Lions',
      license: 'CC BY-NC',
      draggan: { r1: 4 },
    });
    expect(named.config).toMatchObject({ name: 'Lions', license: 'CC BY-NC', draggan: { r1: 4, r2: 12 } });
    // a pickle does not say how its faces were framed: 'none' unless the importer is told
    expect(named.config.alignment).toBe('none');
    expect(importCheckpoint(fixture('checkpoints', `${name}.pkl`), { alignment: 'ffhq' }).config.alignment).toBe(
      'ffhq',
    );
  });
});

describe('importCheckpoint rejects', () => {
  const load = (f: string) => () => importCheckpoint(fixture('checkpoints', f));

  it('a truncated checkpoint', () => {
    expect(load('bad_truncated.pkl')).toThrow(/^checkpoint is truncated\/corrupt/);
    expect(code(load('bad_truncated.pkl'))).toBe('truncated');
    const full = fixture('checkpoints', 'tiny128.pkl');
    for (const cut of [1, 100, 5000, full.length - 1])
      expect(code(() => importCheckpoint(full.subarray(0, cut)))).toBe('truncated');
    expect(code(() => importCheckpoint(new Uint8Array(0)))).toBe('truncated');
  });

  it('os.system, naming the global', () => {
    expect(load('bad_os_system.pkl')).toThrow(/'os\.system'.*not a StyleGAN2 checkpoint we can read safely/);
    expect(code(load('bad_os_system.pkl'))).toBe('unsafe');
  });

  it('builtins.eval, naming the global', () => {
    expect(load('bad_eval.pkl')).toThrow(/'builtins\.eval'.*not a StyleGAN2 checkpoint we can read safely/);
  });

  it('TensorFlow-era pickles, pointing at legacy.py', () => {
    expect(load('bad_tf.pkl')).toThrow(/TensorFlow-era.*legacy\.py/);
    expect(code(load('bad_tf.pkl'))).toBe('tensorflow');
  });

  it('a StyleGAN3 G_ema without its weights, listing what is missing', () => {
    expect(load('bad_stylegan3.pkl')).toThrow(ModelConfigError);
    expect(load('bad_stylegan3.pkl')).toThrow(
      /weights do not match the model config \(\d+ problems\): missing mapping\.fc0\.weight \[64, 64\].*missing synthesis\.input\.weight/,
    );
  });

  it('files that are not pickles', () => {
    expect(() => importCheckpoint(new TextEncoder().encode('hello'))).toThrow(/not a Python pickle/);
    expect(() => importCheckpoint(Uint8Array.from([0x50, 0x4b, 3, 4, 0]))).toThrow(/torch\.save zip archive/);
  });
});
