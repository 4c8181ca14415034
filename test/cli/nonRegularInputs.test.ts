/**
 * Inputs are read only from regular files, with a size cap checked before reading: a FIFO at an input path used to
 * block forever, /dev/zero as a latent, an image or a model.json grew the process by gigabytes. Each now ends in a
 * clear exit 2 at once, naming the file and what it is.
 */
import { spawnSync } from 'child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, truncateSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { memoryIo } from './memoryIo';
import { ROOT } from './referenceImage';

let dir: string;
const MODEL = join(ROOT, 'test/fixtures/packages/tiny128');

async function run(...argv: string[]): Promise<{ code: number; err: string; ms: number }> {
  const io = memoryIo();
  const t0 = Date.now();
  const code = await runCli(argv, io);
  return { code, err: io.err(), ms: Date.now() - t0 };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-inputs-'));
  expect(spawnSync('mkfifo', [join(dir, 'pipe.png')]).status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a FIFO as the image: refused from its type, without waiting for a writer', async () => {
  const r = await run('invert', '--model', MODEL, '--image', join(dir, 'pipe.png'), '--out-latent', join(dir, 'w.npy'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/cannot read image .*pipe\.png: it is a named pipe \(FIFO\), not a regular file/);
});

test('/dev/zero as a latent or an image: refused as a device before a byte is read', async () => {
  const latent = await run(
    'drag',
    '--model',
    MODEL,
    '--latent',
    '/dev/zero',
    '--point',
    '10,10:20,10',
    '--out',
    join(dir, 'o.png'),
  );
  expect(latent.code).toBe(2);
  expect(latent.err).toMatch(/cannot read latent \/dev\/zero: it is a device, not a regular file/);
  const image = await run('faces', '--image', '/dev/zero');
  expect(image.code).toBe(2);
  expect(image.err).toMatch(/cannot read image \/dev\/zero: it is a device/);
});

test("a model folder whose model.json links to /dev/zero, or whose weights are larger than any model's", async () => {
  const linked = join(dir, 'linked');
  cpSync(MODEL, linked, { recursive: true });
  rmSync(join(linked, 'model.json'));
  symlinkSync('/dev/zero', join(linked, 'model.json'));
  const a = await run('generate', '--model', linked, '--seed', '1', '--out', join(dir, 'a.png'));
  expect(a.code).toBe(2);
  expect(a.err).toMatch(/cannot read model config .*model\.json: it is a device, not a regular file/);

  const huge = join(dir, 'huge');
  cpSync(MODEL, huge, { recursive: true });
  // sparse: no disk used, but the size says 3 GB
  truncateSync(join(huge, 'weights.safetensors'), 3 * 2 ** 30);
  const b = await run('generate', '--model', huge, '--seed', '1', '--out', join(dir, 'b.png'));
  expect(b.code).toBe(2);
  expect(b.err).toMatch(
    /cannot read model weights .*weights\.safetensors: it is 3072 MB, over the 2048 MB a model weights file may be/,
  );
});
