import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { writeNpy } from '../../plugin/model/npy';
import { BUILD_TIMEOUT_MS, ensureBuilt, runBundle } from '../helpers/ensureBuilt';
import { maxLevelDiffToReference, reference, ROOT, TINY128_PKL } from './referenceImage';

/**
 * The built CLI (dist/node/draggan.js) as a user runs it: a real Node process, onnxruntime loaded from
 * node_modules. Also where the wasm backend is checked, since it cannot load inside Jest. The bundle is built first
 * when it is missing or any source is newer, so the test never passes on a stale build.
 */
const run = runBundle;

let dir: string;

beforeAll(async () => {
  await ensureBuilt('node');
  dir = mkdtempSync(join(tmpdir(), 'draggan-bundle-'));
  writeFileSync(join(dir, 'w.npy'), writeNpy(reference.get('w')!));
}, BUILD_TIMEOUT_MS);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('runs as an executable with a shebang; --help exits 0, a usage error exits 2', () => {
  const help = run('--help');
  expect(help.code).toBe(0);
  expect(help.out).toMatch(/usage: draggan <command>/);
  const bad = run('generate', '--seed');
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--seed needs a value/);
});

test('import, then generate on cpu and on wasm: both match the official image within 1 level', () => {
  const model = join(dir, 'tiny128');
  const imp = run('import', TINY128_PKL, '--out', model);
  expect(imp.err).not.toMatch(/error/);
  expect(imp.code).toBe(0);
  for (const backend of ['cpu', 'wasm']) {
    const out = join(dir, `${backend}.png`);
    const g = run(
      'generate',
      '--model',
      model,
      '--latent',
      join(dir, 'w.npy'),
      '--out',
      out,
      '--backend',
      backend,
      '--json',
    );
    expect(g.err).not.toMatch(/error/);
    expect(g.code).toBe(0);
    expect(JSON.parse(g.out).backend).toMatch(
      backend === 'wasm' ? /onnxruntime-web .*wasm, 1 thread/ : /onnxruntime-node .*CPU/,
    );
    expect(maxLevelDiffToReference(out)).toBeLessThanOrEqual(1);
  }
});

test('without --model: the bundled model, or a clear word that it is not there', () => {
  const out = join(dir, 'bundled.png');
  const g = run('generate', '--seed', '0', '--out', out);
  if (existsSync(join(ROOT, 'models/bundled/model.json'))) {
    expect(g.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  } else {
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/the bundled model is not installed \(expected at .*models\/bundled\); pass --model <dir>/);
  }
});
