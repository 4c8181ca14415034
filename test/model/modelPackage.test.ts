import { hostTensor } from '../../plugin/graph/tensor';
import { makeModelPackage, parseModelPackage, serializeModelPackage } from '../../plugin/model/modelPackage';
import { readSafetensors, writeSafetensors } from '../../plugin/model/safetensors';
import { ModelConfigError } from '../../plugin/core/errors';
import { expectedWeights } from '../../plugin/model/weightNames';
import { fixture, fixtureText } from './fixtures';

const json = fixtureText('packages', 'tiny128', 'model.json');
const weights = fixture('packages', 'tiny128', 'weights.safetensors');
const raw = (): Record<string, unknown> => JSON.parse(json) as Record<string, unknown>;
const withConfig = (patch: (c: Record<string, unknown>) => void): string => {
  const c = raw();
  patch(c);
  return JSON.stringify(c);
};

describe('model package', () => {
  it('parses the package Python wrote and round-trips it', () => {
    const pkg = parseModelPackage(json, weights);
    expect(pkg.config.img_resolution).toBe(128);
    expect(pkg.config.draggan).toEqual({ feature_idx: 5, lr: 0.001, r1: 3, r2: 12, lambda: 20 });
    expect(pkg.weights.size).toBe(125);
    const out = serializeModelPackage(pkg);
    const again = parseModelPackage(out.modelJson, out.weights);
    expect(again.config).toEqual(pkg.config);
    for (const [k, t] of pkg.weights) expect(again.weights.get(k)?.data).toEqual(t.data);
  });

  it('fills DragGAN and official defaults', () => {
    const c = raw();
    delete c.draggan;
    delete c.name;
    delete c.license;
    c.mapping_kwargs = { num_layers: 8 };
    const pkg = makeModelPackage(c, readSafetensors(weights));
    expect(pkg.config.draggan).toEqual({ feature_idx: 5, lr: 0.001, r1: 3, r2: 12, lambda: 20 });
    expect(pkg.config.mapping_kwargs).toMatchObject({ lr_multiplier: 0.01, w_avg_beta: 0.998 });
    // a card with a wide motion disc and no lambda gets a softer mask hold than the official 20
    const wide = raw();
    wide.draggan = { feature_idx: 2, lr: 0.005, r1: 24, r2: 32 };
    expect(makeModelPackage(wide, readSafetensors(weights)).config.draggan.lambda).toBeCloseTo(5, 10);
    expect(pkg.config.license).toMatch(/unknown/);
    // A 64 px model has only 5 blocks: the default feature block is its last one.
    const small = JSON.parse(fixtureText('packages', 'tiny64', 'model.json')) as Record<string, unknown>;
    delete small.draggan;
    expect(
      parseModelPackage(JSON.stringify(small), fixture('packages', 'tiny64', 'weights.safetensors')).config.draggan
        .feature_idx,
    ).toBe(4);
  });

  it("reads the alignment a model wants ('none', the centred square, when the card says nothing)", () => {
    expect(parseModelPackage(json, weights).config.alignment).toBe('none');
    const ffhq = parseModelPackage(
      withConfig((c) => (c.alignment = 'ffhq')),
      weights,
    );
    expect(ffhq.config.alignment).toBe('ffhq');
    const out = serializeModelPackage(ffhq);
    expect(parseModelPackage(out.modelJson, out.weights).config.alignment).toBe('ffhq');
    expect(
      parseModelPackage(
        withConfig((c) => (c.alignment = 'none')),
        weights,
      ).config.alignment,
    ).toBe('none');
    expect(() =>
      parseModelPackage(
        withConfig((c) => (c.alignment = 'dlib')),
        weights,
      ),
    ).toThrow(/alignment 'dlib' is not known \('ffhq' or 'procedural' or 'none'\)/);
    expect(() =>
      parseModelPackage(
        withConfig((c) => (c.alignment = 3)),
        weights,
      ),
    ).toThrow(/alignment 3 is not known/);
  });

  it("reads the face finder a model names ('photo' when the card says nothing), and keeps it when written", () => {
    expect(parseModelPackage(json, weights).config.face_model).toBe('photo');
    const own = parseModelPackage(
      withConfig((c) => ((c.face_model = 'procedural'), (c.alignment = 'procedural'))),
      weights,
    );
    expect([own.config.face_model, own.config.alignment]).toEqual(['procedural', 'procedural']);
    const out = serializeModelPackage(own);
    expect(parseModelPackage(out.modelJson, out.weights).config.face_model).toBe('procedural');
    expect(() =>
      parseModelPackage(
        withConfig((c) => (c.face_model = 'dlib')),
        weights,
      ),
    ).toThrow(/face_model 'dlib' is not known \('photo' or 'procedural'\)/);
  });

  it('lists expected weights with official names and shapes', () => {
    const cfg = parseModelPackage(json, weights).config;
    const e = expectedWeights(cfg);
    expect(e.get('mapping.fc0.weight')).toEqual([64, 64]);
    expect(e.get('synthesis.b4.const')).toEqual([32, 4, 4]);
    expect(e.get('synthesis.b128.conv0.weight')).toEqual([8, 16, 3, 3]);
    expect(e.get('synthesis.b128.conv0.affine.weight')).toEqual([16, 64]);
    expect(e.get('synthesis.b128.conv1.noise_strength')).toEqual([]);
    expect(e.get('synthesis.b128.torgb.weight')).toEqual([3, 8, 1, 1]);
    expect(e.has('synthesis.b4.conv0.weight')).toBe(false);
  });

  it('rejects unsupported configs with clear messages', () => {
    const p = (m: string): void => void parseModelPackage(m, weights);
    expect(() => p('{')).toThrow(/not valid JSON/);
    expect(() => p(withConfig((c) => (c.img_resolution = 32)))).toThrow(
      /img_resolution 32 is not supported: it must be a power of two from 64 to 1024/,
    );
    expect(() => p(withConfig((c) => (c.img_resolution = 96)))).toThrow(/power of two/);
    expect(() => p(withConfig((c) => (c.img_resolution = 2048)))).toThrow(/from 64 to 1024/);
    for (const arch of ['orig', 'resnet']) {
      expect(() => p(withConfig((c) => ((c.synthesis_kwargs as Record<string, unknown>).architecture = arch)))).toThrow(
        new RegExp(`architecture '${arch}' is not supported: only the official StyleGAN2 'skip'`),
      );
    }
    expect(() => p(withConfig((c) => (c.c_dim = 10)))).toThrow(/conditional generators/);
    expect(() => p(withConfig((c) => ((c.draggan as Record<string, unknown>).feature_idx = 6)))).toThrow(
      /feature_idx must be 0\.\.5 for this model, got 6/,
    );
    expect(() => p(withConfig((c) => delete (c.synthesis_kwargs as Record<string, unknown>).conv_clamp))).toThrow(
      /conv_clamp must be given/,
    );
    expect(() => p(withConfig((c) => (c.w_dim = 'x')))).toThrow(/w_dim must be an integer/);
  });

  it('rejects missing, misshapen and unknown weights', () => {
    const cfg = raw();
    const w = readSafetensors(weights);
    const missing = new Map(w);
    missing.delete('synthesis.b64.conv1.weight');
    expect(() => makeModelPackage(cfg, missing)).toThrow(/missing synthesis\.b64\.conv1\.weight \[16, 16, 3, 3\]/);
    const wrong = new Map(w);
    wrong.set('mapping.w_avg', hostTensor([63]));
    expect(() => makeModelPackage(cfg, wrong)).toThrow(/mapping\.w_avg has shape \[63\], expected \[64\]/);
    const extra = new Map(w);
    extra.set('synthesis.b4.skip.weight', hostTensor([1]));
    expect(() => makeModelPackage(cfg, extra)).toThrow(/unexpected weight synthesis\.b4\.skip\.weight/);
    const noFilters = new Map([...w].filter(([k]) => !k.endsWith('resample_filter')));
    expect(makeModelPackage(cfg, noFilters).weights.size).toBe(noFilters.size);
  });

  it('refuses weights holding NaN or infinity, naming how many and where, before anything renders', () => {
    const w = readSafetensors(weights);
    const name = 'synthesis.b8.conv0.weight';
    const broken = new Map(w);
    const data = w.get(name)!.data.slice() as Float32Array;
    data[3] = NaN;
    data[7] = -Infinity;
    broken.set(name, hostTensor(w.get(name)!.shape, data));
    const file = writeSafetensors(broken);
    expect(() => parseModelPackage(json, file)).toThrow(ModelConfigError);
    expect(() => parseModelPackage(json, file)).toThrow(
      /weights.safetensors holds 2 values that are not finite \(NaN or infinity\), the first in synthesis.b8.conv0.weight: the file is damaged/,
    );
    expect(() => makeModelPackage(raw(), broken)).toThrow(/the model holds 2 values that are not finite/);
    // the untouched weights load
    expect(parseModelPackage(json, writeSafetensors(w)).weights.size).toBe(125);
  });
});
