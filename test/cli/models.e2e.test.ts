import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BUILD_TIMEOUT_MS, BUNDLE, ensureBuilt } from '../helpers/ensureBuilt';
import { startCheckpointServer, type CheckpointServer } from '../helpers/checkpointServer';

/**
 * `draggan models` as a user runs it: the built bundle in its own process, its catalog pointed at a local server
 * (DRAGGAN_CATALOG_BASE) that drops the first connection half-way. The child is spawned asynchronously: the server
 * answers from this process's event loop.
 */

const TINY = new Uint8Array(readFileSync(join(__dirname, '../fixtures/checkpoints/tiny64.pkl')));
const ID = 'sd-elephants-512';

let server: CheckpointServer;
let root: string;
let work: string;

function run(...argv: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...argv], {
      env: {
        ...process.env,
        DRAGGAN_DEBUG: '',
        DRAGGAN_MODELS: root,
        DRAGGAN_CATALOG_BASE: server.base,
        DRAGGAN_RETRY_DELAY_MS: '10',
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  await ensureBuilt('node');
  server = await startCheckpointServer({ 'elephants_512_pytorch.pkl': TINY });
  root = mkdtempSync(join(tmpdir(), 'draggan-models-e2e-'));
  work = mkdtempSync(join(tmpdir(), 'draggan-models-work-'));
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test('pull survives a dropped connection (resumes with Range), the installed id works as --model, rm removes it', async () => {
  server.faults = { dropAfter: [200_000] };
  const pull = await run('models', 'pull', ID);
  expect(pull.err).not.toMatch(/error/);
  expect(pull.code).toBe(0);
  expect(pull.out).toMatch(new RegExp(`installed ${ID} in .*licence: CC-BY-4.0; commercial use: yes`, 's'));
  expect(server.requests.map((r) => r.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
  expect(readdirSync(root).sort()).toEqual(['.downloads', ID]);
  expect(readdirSync(join(root, '.downloads'))).toEqual([]);

  const list = await run('models');
  expect(list.code).toBe(0);
  expect(list.out).toMatch(new RegExp(`^${ID}\\s+512x512\\s+CC-BY-4.0\\s+yes\\s+yes\\s+yes\\s`, 'm'));
  expect(list.out).toMatch(/^stylegan2-tf-car-512\s+512x512\s+Nvidia Source Code License-NC\s+no\s+yes\s+no\s/m);

  const png = join(work, 'seed0.png');
  const gen = await run('generate', '--model', ID, '--seed', '0', '--out', png, '--json');
  expect(gen.err).not.toMatch(/error/);
  expect(gen.code).toBe(0);
  expect(JSON.parse(gen.out)).toMatchObject({ width: 64, height: 64 });
  expect(existsSync(png)).toBe(true);

  expect((await run('models', 'rm', ID)).code).toBe(0);
  expect(existsSync(join(root, ID))).toBe(false);
});

test('a 404 from the bundle: exit 2, one clear line, nothing installed', async () => {
  const r = await run('models', 'pull', 'sd-giraffes-512');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(
    /^draggan models: downloading http:\/\/127\.0\.0\.1:\d+\/giraffes_512_pytorch\.pkl failed: HTTP 404 Not Found/,
  );
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(existsSync(join(root, 'sd-giraffes-512'))).toBe(false);
});
