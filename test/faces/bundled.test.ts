/**
 * The bundled demo model (models/bundled) and the landmark detector (models/landmarks/detector.onnx):
 * the package validates, is small, and our graphs on onnxruntime-node reproduce what PyTorch computes on it
 * (test/faces/bundled_reference.json, from models/faces/make_reference.py); the detector runs through the
 * project's runtime and agrees with PyTorch.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import type { HostTensor } from '../../plugin/graph/tensor';
import { parseModelPackage } from '../../plugin/model/modelPackage';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { zFromSeed } from '../../plugin/stylegan2/latentSeed';

const ROOT = join(__dirname, '..', '..');
const BUNDLED = join(ROOT, 'models', 'bundled');
const DETECTOR = join(ROOT, 'models', 'landmarks', 'detector.onnx');

interface Sample {
  seed: number;
  w: number[];
  image16: number[];
  landmarks?: [number, number][];
}
const reference = JSON.parse(readFileSync(join(__dirname, 'bundled_reference.json'), 'utf8')) as {
  psi: number;
  samples: Sample[];
};

function loadBundled() {
  return parseModelPackage(
    readFileSync(join(BUNDLED, 'model.json'), 'utf8'),
    new Uint8Array(readFileSync(join(BUNDLED, 'weights.safetensors'))),
  );
}

function box16(img: HostTensor): Float32Array {
  const [, c, h, w] = img.shape;
  const f = h / 16;
  const out = new Float32Array(c * 256);
  for (let ch = 0; ch < c; ch++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        out[ch * 256 + Math.floor(y / f) * 16 + Math.floor(x / f)] += img.data[ch * h * w + y * w + x] / (f * f);
  return out;
}

test('the bundled package is valid, 128 px, with its validated DragGAN defaults, and small', () => {
  const pkg = loadBundled();
  expect(pkg.config.img_resolution).toBe(128);
  expect(pkg.config.synthesis_kwargs.architecture).toBe('skip');
  // models/faces/fastgen.py DRAGGAN_DEFAULTS, chosen on validation pairs (MODEL_CARD.md).
  expect(pkg.config.draggan).toEqual({ feature_idx: 2, lr: 0.005, r1: 64, r2: 32, lambda: 3 });
  expect(pkg.config.license).toBe('MIT');
  expect(statSync(join(BUNDLED, 'weights.safetensors')).size).toBeLessThan(25e6);
  expect(existsSync(join(BUNDLED, 'MODEL_CARD.md'))).toBe(true);
});

test('our graphs reproduce PyTorch on the bundled model (mapping and synthesis)', async () => {
  const gen = new Generator(loadBundled(), await ortNodeCpu.create());
  try {
    for (const s of reference.samples) {
      const ws = await gen.mapping(zFromSeed(s.seed, gen.config.z_dim), reference.psi);
      const w0 = ws.data.subarray(0, gen.config.w_dim);
      const wErr = Math.max(...s.w.map((v, i) => Math.abs(v - w0[i])));
      expect(wErr).toBeLessThan(1e-3);
      const img = (await gen.synthesize(ws)).img;
      const b = box16(img);
      const iErr = Math.max(...s.image16.map((v, i) => Math.abs(v - b[i])));
      expect(iErr).toBeLessThan(5e-3);
    }
  } finally {
    await gen.release();
  }
});

const detectorTest = existsSync(DETECTOR) && reference.samples[0].landmarks ? test : test.skip;
detectorTest('the landmark detector runs on onnxruntime-node and agrees with PyTorch', async () => {
  const rt = await ortNodeCpu.create();
  const gen = new Generator(loadBundled(), rt);
  const det = await rt.createSession(new Uint8Array(readFileSync(DETECTOR)));
  try {
    for (const s of reference.samples) {
      const img = (await gen.synthesize(await gen.mapping(zFromSeed(s.seed, gen.config.z_dim), reference.psi))).img;
      const out = (await det.run({ image: img }))['landmarks'];
      expect(out.shape).toEqual([1, 33, 2]);
      const err = Math.max(
        ...(s.landmarks ?? []).map(([x, y], i) => Math.hypot(x - out.data[2 * i], y - out.data[2 * i + 1])),
      );
      expect(err).toBeLessThan(0.25);
    }
  } finally {
    await det.release();
    await gen.release();
  }
});
