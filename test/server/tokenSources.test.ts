import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { FIXTURES } from '../helpers/fixtures';
import { memoryIo } from '../cli/memoryIo';
import { startTestServer, type TestServer } from './harness';

/** Every command that takes a token reads it from --token-file or DRAGGAN_TOKEN, so it need not show in `ps`. */
const TOKEN = 'from-a-file-or-the-environment';
const model = join(FIXTURES, 'packages', 'tiny128');
let server: TestServer;
let dir: string;
const saved = process.env.DRAGGAN_TOKEN;

beforeAll(async () => {
  server = await startTestServer({ token: TOKEN, warmUp: false });
  dir = mkdtempSync(join(tmpdir(), 'draggan-token-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(join(dir, 'wrong'), 'not-the-token\n');
});
afterAll(async () => {
  await server.shutdown();
  await server.release();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  if (saved === undefined) delete process.env.DRAGGAN_TOKEN;
  else process.env.DRAGGAN_TOKEN = saved;
});

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, err: io.err() };
}

const remoteDrag = (...extra: string[]) =>
  cli(
    'drag',
    '--backend',
    'remote',
    '--endpoint',
    server.url,
    '--model',
    'tiny128',
    '--seed',
    '1',
    '--point',
    '50,40:56,44',
    '--steps',
    '1',
    '--out',
    join(dir, 'out.png'),
    ...extra,
  );
const load = (...extra: string[]) =>
  cli('load', '--endpoint', server.url, '--clients', '1', '--seconds', '0.5', ...extra);

test('drag --backend remote takes the token from --token-file or DRAGGAN_TOKEN, and says so when it is refused', async () => {
  delete process.env.DRAGGAN_TOKEN;
  expect((await remoteDrag('--token-file', join(dir, 'token'))).code).toBe(0);
  process.env.DRAGGAN_TOKEN = TOKEN;
  expect((await remoteDrag()).code).toBe(0);
  // a flag wins over the environment
  const refused = await remoteDrag('--token-file', join(dir, 'wrong'));
  expect(refused.code).toBe(2);
  expect(refused.err).toMatch(/refused the request: the token was refused/);
}, 30_000);

test('load takes the token from --token-file or DRAGGAN_TOKEN', async () => {
  delete process.env.DRAGGAN_TOKEN;
  expect((await load('--token-file', join(dir, 'token'))).code).toBe(0);
  expect((await load()).code).toBe(2);
  process.env.DRAGGAN_TOKEN = TOKEN;
  expect((await load()).code).toBe(0);
}, 30_000);

test('serve takes the token from DRAGGAN_TOKEN', async () => {
  process.env.DRAGGAN_TOKEN = TOKEN;
  const io = memoryIo();
  let stop: (sig: string) => void = () => undefined;
  const { serveCommand } = await import('../../plugin/hosts/cli/serveCommand');
  const done = serveCommand(
    ['--model', model, '--port', '0', '--no-warmup'],
    io,
    new Promise<string>((r) => (stop = r)),
  );
  try {
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /draggan serve: (http:\/\/\S+)/.exec(io.err())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect(io.err()).not.toMatch(/no token/);
  } finally {
    stop('SIGTERM');
    expect(await done).toBe(0);
  }
});

test.each([
  [
    'serve on 0.0.0.0 without a token',
    ['serve', '--model', model, '--host', '0.0.0.0'],
    /listening on 0\.0\.0\.0 without a token would let anyone .* or --insecure to serve it open on purpose/,
  ],
  [
    "serve --allow-origin '*' without a token",
    ['serve', '--model', model, '--allow-origin', '*'],
    /--allow-origin '\*' lets every web page use this server, so it needs a token/,
  ],
  [
    'serve --allow-origin with no scheme',
    ['serve', '--model', model, '--allow-origin', 'localhost:3000'],
    /--allow-origin takes a web page's origin/,
  ],
  [
    'load --token-file that is missing',
    ['load', '--endpoint', 'http://127.0.0.1:9', '--token-file', '/nonexistent/token'],
    /cannot read the token file \/nonexistent\/token/,
  ],
  [
    'drag --token-file without --backend remote',
    ['drag', '--seed', '0', '--point', '1,1:2,2', '--out', 'x.png', '--token-file', 'f'],
    /--endpoint, --token, --token-file and --retry-seconds go with --backend remote/,
  ],
])('%s is refused with a clear message', async (_what, argv, message) => {
  delete process.env.DRAGGAN_TOKEN;
  const r = await cli(...argv);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
});

test('an empty DRAGGAN_TOKEN is an error, not an open server', async () => {
  process.env.DRAGGAN_TOKEN = ' ';
  const r = await cli('serve', '--model', model, '--host', '0.0.0.0');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/the DRAGGAN_TOKEN environment variable is empty/);
});

test("the Docker image's default command does not serve open: without a token it refuses to start", async () => {
  delete process.env.DRAGGAN_TOKEN;
  const dockerfile = readFileSync(join(__dirname, '..', '..', 'deploy', 'Dockerfile'), 'utf8');
  const json = (line: string) =>
    JSON.parse(new RegExp(`^${line} (\\[.*\\])$`, 'm').exec(dockerfile)?.[1] ?? 'null') as string[];
  expect(json('ENTRYPOINT').slice(-1)).toEqual(['serve']);
  const cmd = json('CMD').map((a) => (a === '/models/bundled' ? model : a));
  expect(cmd).toEqual(expect.arrayContaining(['--host', '0.0.0.0']));
  const r = await cli('serve', ...cmd);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/without a token would let anyone who can reach the port use this server/);
});
