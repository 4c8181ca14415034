import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { serveCommand } from '../../plugin/hosts/cli/serveCommand';
import { ortDefaultCpuThreads } from '../../plugin/hosts/node/cpuThreads';
import { FIXTURES } from '../helpers/fixtures';
import { memoryIo } from '../cli/memoryIo';

const model = join(FIXTURES, 'packages', 'tiny128');

test('draggan serve: listens, reads the token from a file, logs JSON lines, and stops cleanly when told to', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'draggan-serve-'));
  writeFileSync(join(dir, 'token'), 's3cret\n');
  const io = memoryIo();
  let stop: (sig: string) => void = () => undefined;
  const stopped = new Promise<string>((r) => (stop = r));
  const done = serveCommand(
    ['--model', model, '--port', '0', '--token-file', join(dir, 'token'), '--no-warmup'],
    io,
    stopped,
  );
  try {
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /draggan serve: (http:\/\/\S+)/.exec(io.err())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    expect(url).toBeDefined();
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
    const models = (await (
      await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer s3cret' } })
    ).json()) as { models: { id: string }[] };
    expect(models.models.map((m) => m.id)).toEqual(['tiny128']);
    // what runs the graphs, for the panel's Settings line; the thread count as onnxruntime's default picks it
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { engine?: Record<string, unknown> };
    expect(ready.engine).toEqual({
      device: 'cpu',
      description: expect.stringMatching(/^onnxruntime-node .*\(CPU\)$/),
      ...(ortDefaultCpuThreads() === undefined ? {} : { threads: ortDefaultCpuThreads() }),
    });
    stop('SIGTERM');
    expect(await done).toBe(0);
    const lines = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual([
      'listening',
      'ready',
      'request',
      'request',
      'request',
      'shutting down',
      'stopped',
    ]);
  } finally {
    stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});

test.each([
  [['--model', model, '--token', 'a', '--token-file', 'b'], /give --token or --token-file, not both/],
  [['--model', model, '--backend', 'wasm'], /--backend must be cpu or cuda/],
  [['--model', '/nonexistent/model'], /model folder \/nonexistent\/model does not exist/],
  [['--model', model, '--token-file', '/nonexistent/token'], /cannot read the token file/],
])('draggan serve %j: a clear usage error', async (argv, message) => {
  const io = memoryIo();
  expect(await runCli(['serve', ...argv], io)).toBe(2);
  expect(io.err()).toMatch(message);
});

test('draggan load without an endpoint is a usage error', async () => {
  const io = memoryIo();
  expect(await runCli(['load', '--clients', '2'], io)).toBe(2);
  expect(io.err()).toMatch(/give at least one --endpoint URL/);
});
