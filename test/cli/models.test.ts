import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { resolveModelDir } from '../../plugin/hosts/cli/generateCommand';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { loadModelDir } from '../../plugin/hosts/node/loadModelDir';
import { partialPath } from '../../plugin/hosts/node/modelStore';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { findEntry } from '../../plugin/model/catalog/catalogLookup';
import { startCheckpointServer, type CheckpointServer } from '../helpers/checkpointServer';
import { memoryIo } from './memoryIo';

/**
 * `draggan models` in-process, against a local server of the test's own that serves the tiny64 fixture checkpoint
 * with Range support and injected faults. Every failure must end in exit code 2 with a clear message and leave the
 * models folder as it was: no model folder, no staging folder, no partial file (except an interrupted transfer's).
 */

const FIXTURES = join(__dirname, '../fixtures/checkpoints');
const TINY = new Uint8Array(readFileSync(join(FIXTURES, 'tiny64.pkl')));
const SG3 = new Uint8Array(readFileSync(join(FIXTURES, 'bad_stylegan3.pkl')));
const TINY_SHA = createHash('sha256').update(TINY).digest('hex');
// any catalog model the importer accepts: the test serves tiny64 in its place
const ID = 'sd-lions-512';

let server: CheckpointServer;
let root: string;
const env = { ...process.env };

beforeAll(async () => {
  server = await startCheckpointServer({ 'tiny64.pkl': TINY, 'sg3.pkl': SG3, [findEntry(ID).fileName]: TINY });
});
afterAll(() => server.close());

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'draggan-models-'));
  process.env.DRAGGAN_MODELS = root;
  process.env.DRAGGAN_RETRY_DELAY_MS = '5';
  delete process.env.DRAGGAN_CATALOG_BASE;
  server.faults = {};
  server.requests.length = 0;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  process.env = { ...env };
});

async function models(...argv: string[]) {
  const io = memoryIo();
  const code = await runCli(['models', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

/** Every file and folder under the models folder, but the (empty) downloads folder the first pull makes. */
function leftovers(dir = root, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const rel = `${prefix}${d.name}`;
    if (!d.isDirectory()) return [rel];
    const inner = leftovers(join(dir, d.name), `${rel}/`);
    return rel === '.downloads' ? inner : [rel, ...inner];
  });
}

const expectUserError = (r: { code: number; err: string }, message: RegExp) => {
  expect(r.err).toMatch(message);
  expect(r.code).toBe(2);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
};

/** The installed package holds exactly what a direct import of the served file gives. */
function bytesOf(a: Float32Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function expectInstalledTiny(): void {
  const pkg = loadModelDir(join(root, ID));
  const want = importCheckpoint(TINY);
  expect(pkg.config.img_resolution).toBe(64);
  expect([...pkg.weights.keys()].sort()).toEqual([...want.weights.keys()].sort());
  for (const [name, t] of want.weights)
    // the tensors' own bytes: a loaded weight may be a view into its file's buffer
    expect(bytesOf(pkg.weights.get(name)!.data).equals(bytesOf(t.data))).toBe(true);
  expect(pkg.config.license).toMatch(/CC-BY-4.0.*commercial use: yes/);
}

test('pull downloads, imports and installs under the id; list shows it installed; rm removes it', async () => {
  const r = await models('pull', ID, '--url', server.url('tiny64.pkl'), '--json');
  expect(r.err).not.toMatch(/error/);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({
    command: 'models pull',
    id: ID,
    dir: join(root, ID),
    bytes: TINY.length,
    sha256: TINY_SHA,
    resumed: 0,
  });
  expectInstalledTiny();
  expect(leftovers().filter((f) => f !== ID && !f.startsWith(`${ID}/`))).toEqual([]);
  // --model ID finds it in every command; a folder of that name where the user is wins, a plain path stays a path
  expect(resolveModelDir(ID)).toBe(join(root, ID));
  expect(resolveModelDir('sd-dogs-1024')).toBe('sd-dogs-1024');
  expect(resolveModelDir(root)).toBe(root);

  const list = await models('--json');
  const entries = JSON.parse(list.out).models as { id: string; installed: boolean }[];
  expect(entries.find((e) => e.id === ID)?.installed).toBe(true);
  expect(entries.filter((e) => e.installed)).toHaveLength(1);
  expect((await models()).out).toMatch(new RegExp(`^${ID}\\s+512x512\\s+CC-BY-4.0\\s+yes\\s+yes\\s+yes\\s`, 'm'));

  expectUserError(await models('pull', ID, '--url', server.url('tiny64.pkl')), /already installed.*--force/);
  expect((await models('pull', ID, '--url', server.url('tiny64.pkl'), '--force')).code).toBe(0);
  expectInstalledTiny();

  const rm = await models('rm', ID);
  expect(rm.code).toBe(0);
  expect(existsSync(join(root, ID))).toBe(false);
  expectUserError(await models('rm', ID), /not installed/);
});

test('a connection dropped half-way: the pull resumes with a Range request and installs the same model', async () => {
  server.faults = { dropAfter: [Math.floor(TINY.length / 2)] };
  const r = await models('pull', ID, '--url', server.url('tiny64.pkl'), '--json');
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/connection (broke|ended).*retrying/);
  expect(server.requests).toHaveLength(2);
  expect(server.requests[0].range).toBeUndefined();
  const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.requests[1].range ?? '')?.[1]);
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(Math.floor(TINY.length / 2));
  expect(JSON.parse(r.out)).toMatchObject({ sha256: TINY_SHA, resumed: 1 });
  expectInstalledTiny();
  expect(existsSync(partialPath(ID, findEntry(ID).fileName, root))).toBe(false);
});

test('a partial file from an interrupted run is resumed, not downloaded again (DRAGGAN_CATALOG_BASE)', async () => {
  process.env.DRAGGAN_CATALOG_BASE = `${server.base}/`;
  const partial = partialPath(ID, findEntry(ID).fileName, root);
  mkdirSync(join(root, '.downloads'), { recursive: true });
  writeFileSync(partial, TINY.subarray(0, 100_000));
  const r = await models('pull', ID);
  expect(r.code).toBe(0);
  expect(server.requests).toEqual([{ path: `/${findEntry(ID).fileName}`, range: 'bytes=100000-' }]);
  expectInstalledTiny();
});

test('a server that answers 503 twice is retried; one that keeps failing is a clear error that keeps nothing', async () => {
  server.faults = { statuses: [503, 503] };
  const ok = await models('pull', ID, '--url', server.url('tiny64.pkl'));
  expect(ok.code).toBe(0);
  expect(ok.err).toMatch(/HTTP 503.*retrying/);
  expect(server.requests).toHaveLength(3);
  rmSync(join(root, ID), { recursive: true });

  server.faults = { statuses: [500, 500, 500] };
  expectUserError(
    await models('pull', ID, '--url', server.url('tiny64.pkl'), '--retries', '2'),
    /failed 3 times in a row; last: the server answered HTTP 500/,
  );
  expect(leftovers()).toEqual([]);
});

test("a staging folder a killed pull left behind is removed by the next pull; a running pull's is kept", async () => {
  // 2^22 + 1 is above Linux's largest pid: no process has it
  const dead = join(root, `.${ID}.${2 ** 22 + 1}.1.tmp`);
  const alive = join(root, `.${ID}.${process.pid}.1.tmp`);
  for (const d of [dead, alive]) mkdirSync(d, { recursive: true });
  writeFileSync(join(dead, 'weights.safetensors'), new Uint8Array(10));
  expect((await models('pull', ID, '--url', server.url('tiny64.pkl'))).code).toBe(0);
  expect(existsSync(dead)).toBe(false);
  expect(existsSync(alive)).toBe(true);
});

test('404: exit 2 naming the status, nothing left behind', async () => {
  expectUserError(await models('pull', ID, '--url', server.url('missing.pkl')), /HTTP 404 Not Found.*not there/);
  expect(server.requests).toHaveLength(1);
  expect(leftovers()).toEqual([]);
});

test('a wrong size: refused from the Content-Length before the body is read, nothing left behind', async () => {
  expectUserError(
    await models('pull', ID, '--url', server.url('tiny64.pkl'), '--bytes', String(TINY.length + 1)),
    new RegExp(`is ${TINY.length} bytes, not the ${TINY.length + 1} expected`),
  );
  expect(leftovers()).toEqual([]);
});

test('a stale partial file longer than the expected size is discarded; a server without Range support sends it whole', async () => {
  // a stale partial longer than the expected size is discarded and the whole file fetched again
  const partial = partialPath(ID, findEntry(ID).fileName, root);
  mkdirSync(join(root, '.downloads'), { recursive: true });
  writeFileSync(partial, new Uint8Array(TINY.length + 10));
  server.faults = { noRange: true };
  const r = await models('pull', ID, '--url', server.url('tiny64.pkl'), '--bytes', String(TINY.length));
  expect(r.code).toBe(0);
  expect(server.requests[0].range).toBeUndefined();
  expectInstalledTiny();
});

test('a wrong sha256: exit 2 with both hashes, the download removed; the right one installs', async () => {
  const wrong = 'ab'.repeat(32);
  expectUserError(
    await models('pull', ID, '--url', server.url('tiny64.pkl'), '--sha256', wrong),
    new RegExp(`sha256 ${TINY_SHA}, not the ${wrong} expected.*removed`),
  );
  expect(leftovers()).toEqual([]);
  expect((await models('pull', ID, '--url', server.url('tiny64.pkl'), '--sha256', TINY_SHA.toUpperCase())).code).toBe(
    0,
  );
});

test('a downloaded file the importer cannot read: says why, keeps nothing', async () => {
  // a StyleGAN3 pickle that lacks its weights
  expectUserError(
    await models('pull', ID, '--url', server.url('sg3.pkl')),
    /downloaded lions_512_pytorch\.pkl but cannot import it: weights do not match the model config/,
  );
  expect(leftovers()).toEqual([]);
});

const hasDevFull = existsSync('/dev/full');
(hasDevFull ? test : test.skip)('a full disk (ENOSPC): a clear error, the partial file removed', async () => {
  // the partial file is /dev/full, where every write fails with ENOSPC
  const partial = partialPath(ID, findEntry(ID).fileName, root);
  mkdirSync(join(root, '.downloads'), { recursive: true });
  symlinkSync('/dev/full', partial);
  expectUserError(
    await models('pull', ID, '--url', server.url('tiny64.pkl')),
    /disk is full while writing .*partial download was removed/,
  );
  expect(leftovers()).toEqual([]);
});

test('models the importer cannot read, and browser-only links, are refused before any download', async () => {
  process.env.DRAGGAN_CATALOG_BASE = server.base;
  expectUserError(await models('pull', 'stylegan-human-v1-1024'), /TensorFlow StyleGAN \(version 1\)/);
  expectUserError(
    await models('pull', 'stylegan-human-v3-512'),
    /256 x 512 generator: of non-square ones only StyleGAN2/,
  );
  expectUserError(await models('pull', 'sd-lion'), /no model 'sd-lion' in the catalog \(did you mean: .*sd-lions-512/);
  expect(server.requests).toEqual([]);
  expect(leftovers()).toEqual([]);
});

test('info prints the licence terms, the sources and what is unverified', async () => {
  const r = await models('info', 'stylegan2-ffhq-512');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/commercial use: no/);
  expect(r.out).toMatch(/alignment: +FFHQ face alignment/);
  expect(r.out).toMatch(/unverified: +bytes, sha256/);
  expect(r.out).toMatch(/https:\/\/github\.com\/NVlabs\/stylegan3\/blob\/[0-9a-f]{40}\/README\.md/);
  expectUserError(await models('frobnicate'), /unknown subcommand 'frobnicate'/);
});
