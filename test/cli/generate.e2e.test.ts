import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { readNpy, writeNpy } from '../../plugin/model/npy';
import { hostTensor } from '../../plugin/graph/tensor';
import { zFromSeed } from '../../plugin/stylegan2/latentSeed';
import { memoryIo } from './memoryIo';
import { maxLevelDiffToReference, reference, ROOT, TINY128_PKL } from './referenceImage';

/**
 * `draggan import` then `draggan generate` on the tiny128 fixture checkpoint, in-process, against the reference
 * the official PyTorch code produced (test/fixtures/reference/tiny128.*: seed 0, psi 0.7, img_u8 HWC). The wasm
 * backend is checked through the built bundle (bundle.test.ts): onnxruntime-web loads its wasm glue with a dynamic
 * ESM import, which Jest's module sandbox does not allow.
 */

const refW = reference.get('w')!;

let dir: string;
let model: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-cli-'));
  model = join(dir, 'tiny128');
  const io = memoryIo();
  const code = await runCli(['import', TINY128_PKL, '--out', model, '--json'], io);
  expect(io.err()).not.toMatch(/error/);
  expect(code).toBe(0);
  expect(JSON.parse(io.out())).toMatchObject({
    command: 'import',
    name: 'tiny128',
    resolution: 128,
    num_ws: 12,
    w_dim: 64,
  });
  writeFileSync(join(dir, 'w.npy'), writeNpy(refW));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function generate(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['generate', '--model', model, ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

test('the reference z is zFromSeed(0)', () => {
  expect(Array.from(zFromSeed(0, 64).data)).toEqual(Array.from(reference.get('z')!.data));
});

test('generate --latent (W+) matches the official image within 1 level', async () => {
  const r = await generate('--latent', join(dir, 'w.npy'), '--out', join(dir, 'latent.png'));
  expect(r.err).not.toMatch(/error/);
  expect(r.code).toBe(0);
  expect(maxLevelDiffToReference(join(dir, 'latent.png'))).toBeLessThanOrEqual(1);
});

test('generate --seed 0 --psi 0.7 matches too, and --save-latent writes the W+ it used', async () => {
  const r = await generate(
    '--seed',
    '0',
    '--psi',
    '0.7',
    '--out',
    join(dir, 'seed.png'),
    '--save-latent',
    join(dir, 'saved.npy'),
    '--json',
  );
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ command: 'generate', seed: 0, psi: 0.7, width: 128, height: 128 });
  expect(maxLevelDiffToReference(join(dir, 'seed.png'))).toBeLessThanOrEqual(1);
  const saved = readNpy(new Uint8Array(readFileSync(join(dir, 'saved.npy'))));
  expect(saved.shape).toEqual([1, 12, 64]);
  for (let i = 0; i < saved.data.length; i++) expect(Math.abs(saved.data[i] - refW.data[i])).toBeLessThan(1e-4);
});

test("a TensorFlow-era pickle (tiny128 as NVIDIA's TF networks are saved) imports and renders the same image", async () => {
  const io = memoryIo();
  const tfModel = join(dir, 'tiny128_tf');
  const code = await runCli(
    ['import', join(ROOT, 'test/fixtures/checkpoints/tiny128_tf.pkl'), '--out', tfModel, '--json'],
    io,
  );
  expect(io.err()).not.toMatch(/error/);
  expect(code).toBe(0);
  expect(JSON.parse(io.out())).toMatchObject({
    command: 'import',
    name: 'tiny128_tf',
    resolution: 128,
    num_ws: 12,
    w_dim: 64,
  });
  const gen = memoryIo();
  expect(
    await runCli(['generate', '--model', tfModel, '--seed', '0', '--psi', '0.7', '--out', join(dir, 'tf.png')], gen),
  ).toBe(0);
  expect(maxLevelDiffToReference(join(dir, 'tf.png'))).toBeLessThanOrEqual(1);
});

test('a single w [1, w_dim] is used for every layer', async () => {
  // the reference w comes from mapping, so every row is the same w: row 0 alone gives the same image
  writeFileSync(join(dir, 'w1.npy'), writeNpy(hostTensor([1, 64], refW.data.slice(0, 64))));
  const r = await generate('--latent', join(dir, 'w1.npy'), '--out', join(dir, 'w1.png'));
  expect(r.code).toBe(0);
  expect(maxLevelDiffToReference(join(dir, 'w1.png'))).toBeLessThanOrEqual(1);
});

describe('user errors: one clear line, exit code 2, no stack trace', () => {
  const expectUserError = (r: { code: number; err: string }, message: RegExp) => {
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
  };

  test('missing latent file', async () => {
    expectUserError(
      await generate('--latent', join(dir, 'nope.npy'), '--out', join(dir, 'x.png')),
      /cannot read latent .*nope\.npy: no such file/,
    );
  });

  test('unreadable .npy', async () => {
    writeFileSync(join(dir, 'bad.npy'), 'not numpy');
    expectUserError(
      await generate('--latent', join(dir, 'bad.npy'), '--out', join(dir, 'x.png')),
      /cannot read latent .*bad\.npy: invalid \.npy file/,
    );
  });

  test('wrong latent shape', async () => {
    writeFileSync(join(dir, 'shape.npy'), writeNpy(hostTensor([1, 5, 64])));
    expectUserError(
      await generate('--latent', join(dir, 'shape.npy'), '--out', join(dir, 'x.png')),
      /has shape \[1, 5, 64\]; this model needs \[1, 12, 64\] \(W\+\) or \[1, 64\]/,
    );
  });

  test('unknown backend', async () => {
    expectUserError(
      await generate('--seed', '1', '--out', join(dir, 'x.png'), '--backend', 'metal'),
      /unknown backend 'metal'/,
    );
  });

  test('missing model folder, missing weights file', async () => {
    const io = memoryIo();
    expectUserError(
      {
        code: await runCli(['generate', '--model', join(dir, 'none'), '--seed', '1', '--out', join(dir, 'x.png')], io),
        err: io.err(),
      },
      /model folder .*none does not exist/,
    );
    const half = join(dir, 'half');
    mkdirSync(half);
    writeFileSync(join(half, 'model.json'), readFileSync(join(model, 'model.json')));
    const io2 = memoryIo();
    expectUserError(
      {
        code: await runCli(['generate', '--model', half, '--seed', '1', '--out', join(dir, 'x.png')], io2),
        err: io2.err(),
      },
      /has no weights\.safetensors/,
    );
  });

  test('import refuses a non-empty folder unless --force, and a missing checkpoint', async () => {
    const pkl = TINY128_PKL;
    const io = memoryIo();
    expectUserError(
      { code: await runCli(['import', pkl, '--out', model], io), err: io.err() },
      /is not empty; pass --force/,
    );
    expect(await runCli(['import', pkl, '--out', model, '--force'], memoryIo())).toBe(0);
    const io2 = memoryIo();
    expectUserError(
      { code: await runCli(['import', join(dir, 'missing.pkl'), '--out', join(dir, 'm2')], io2), err: io2.err() },
      /cannot read checkpoint .*missing\.pkl: no such file/,
    );
  });

  test('a checkpoint the importer rejects', async () => {
    const io = memoryIo();
    const code = await runCli(
      ['import', join(ROOT, 'test/fixtures/checkpoints/bad_os_system.pkl'), '--out', join(dir, 'bad')],
      io,
    );
    expectUserError({ code, err: io.err() }, /cannot import .*bad_os_system\.pkl: /);
  });
});

test('no partial files are left behind', () => {
  expect(() => unlinkSync(join(model, '.weights.safetensors.partial'))).toThrow();
});
