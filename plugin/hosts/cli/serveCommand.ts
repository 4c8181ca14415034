import { checkExposure, startDragServer, isLoopback } from '../server/dragServer';
import { loadServedModels } from '../server/servedModel';
import { jsonLineLogger } from '../server/logger';
import { startNodeRuntime } from '../node/backends';
import { ortDefaultCpuThreads } from '../node/cpuThreads';
import { UserFixableError } from '../../core/errors';
import { intOption, numberOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { takeRepeated } from './repeatedOption';
import { DEFAULT_IMAGE_BUDGET } from '../server/imageDecoder';
import { resolveModelDir } from './generateCommand';
import { resolveToken } from './tokenOption';

type ServeOption =
  | 'host'
  | 'port'
  | 'token'
  | 'token-file'
  | 'insecure'
  | 'allow-origin'
  | 'backend'
  | 'concurrency'
  | 'queue'
  | 'time-limit'
  | 'max-body-mb'
  | 'image-budget'
  | 'body-timeout'
  | 'max-connections'
  | 'max-connections-per-client'
  | 'drain'
  | 'no-warmup';

export const serveSpec: CommandSpec<ServeOption> = {
  name: 'serve',
  options: {
    host: 'value',
    port: 'value',
    token: 'value',
    'token-file': 'value',
    insecure: 'flag',
    'allow-origin': 'list',
    backend: 'value',
    concurrency: 'value',
    queue: 'value',
    'time-limit': 'value',
    'max-body-mb': 'value',
    'image-budget': 'value',
    'body-timeout': 'value',
    'max-connections': 'value',
    'max-connections-per-client': 'value',
    drain: 'value',
    'no-warmup': 'flag',
  },
  positionals: [],
};

function imageBudget(mb: number) {
  return { perRequestBytes: mb * 2 ** 20, totalBytes: 2 * mb * 2 ** 20 };
}

/** Resolves when the process is asked to stop (SIGTERM from Kubernetes, Ctrl-C on a terminal). */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve(sig);
    };
    const onTerm = () => on('SIGTERM');
    const onInt = () => on('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  });
}

/** `draggan serve`: the HTTP drag server (docs/api/openapi.yaml) until SIGTERM / SIGINT, then a graceful stop. */
export async function serveCommand(
  argv: readonly string[],
  io: CliIo,
  stop: Promise<string> = stopRequested(),
): Promise<number> {
  const { values: dirs, rest } = takeRepeated(argv, 'model', 'serve');
  const { values: v, flags, lists } = parseArgs(serveSpec, rest);
  const backend = v.backend ?? 'cpu';
  if (backend !== 'cpu' && backend !== 'cuda')
    throw new UsageError(`--backend must be cpu or cuda for serve, got '${backend}'`, 'serve');
  const host = v.host ?? '127.0.0.1';
  const port = v.port === undefined ? 8080 : intOption('serve', 'port', v.port, 0, 65535);
  const seconds = (name: 'time-limit' | 'drain' | 'body-timeout', dflt: number) => {
    const n = v[name] === undefined ? dflt : numberOption('serve', name, v[name] ?? '');
    if (!(n > 0)) throw new UsageError(`--${name} must be a positive number of seconds`, 'serve');
    return n * 1000;
  };
  const token = resolveToken(v, 'serve');
  const insecure = flags.has('insecure');
  const allowOrigins = lists['allow-origin'] ?? [];
  // before the models load: a refused setting should not cost a model load first
  checkExposure({ host, token, insecure, allowOrigins });
  const opts = {
    concurrency: v.concurrency === undefined ? 1 : intOption('serve', 'concurrency', v.concurrency, 1, 64),
    queueCapacity: v.queue === undefined ? 8 : intOption('serve', 'queue', v.queue, 0, 10000),
    timeLimitMs: seconds('time-limit', 120),
    drainMs: seconds('drain', 20),
    maxBodyBytes:
      (v['max-body-mb'] === undefined ? 64 : intOption('serve', 'max-body-mb', v['max-body-mb'], 1, 4096)) * 2 ** 20,
    // per image; the total held at once is twice that, so one image decodes while another is inverted
    imageBudget:
      v['image-budget'] === undefined
        ? DEFAULT_IMAGE_BUDGET
        : imageBudget(intOption('serve', 'image-budget', v['image-budget'], 16, 65536)),
    bodyTimeoutMs: seconds('body-timeout', 60),
    maxConnections:
      v['max-connections'] === undefined
        ? 1024
        : intOption('serve', 'max-connections', v['max-connections'], 1, 100_000),
    maxConnectionsPerClient:
      v['max-connections-per-client'] === undefined
        ? 32
        : intOption('serve', 'max-connections-per-client', v['max-connections-per-client'], 1, 100_000),
  };
  if (token === undefined) {
    io.stderr.write(
      isLoopback(host)
        ? `note: no token: any program on this machine can use the server; give --token-file F or DRAGGAN_TOKEN before exposing it\n`
        : `WARNING: --insecure and no token on ${host}: anyone who can reach this port can use the server\n`,
    );
  }

  const { runtime, notes } = await startNodeRuntime(backend);
  for (const n of notes) io.stderr.write(`note: ${n}\n`);
  const models = loadServedModels(
    dirs.length ? dirs.map((d) => resolveModelDir(d)) : [resolveModelDir(undefined)],
    runtime,
  );
  const log = jsonLineLogger((line) => io.stdout.write(line));
  let server;
  try {
    const engine = {
      device: runtime.backend,
      description: runtime.description,
      ...(runtime.backend === 'cpu' ? { threads: ortDefaultCpuThreads() } : {}),
    };
    server = await startDragServer({
      models,
      host,
      port,
      token,
      insecure,
      allowOrigins,
      warmUp: !flags.has('no-warmup'),
      log,
      engine,
      ...opts,
    });
  } catch (e) {
    await Promise.all(models.map((m) => m.engine.release()));
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new UserFixableError(`port ${port} on ${host} is already in use; pick another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES')
      throw new UserFixableError(`cannot listen on ${host}:${port} (${code})`);
    throw e;
  }
  io.stderr.write(
    `draggan serve: ${server.url} (${runtime.description}); models: ${models.map((m) => m.id).join(', ')}\n`,
  );
  const sig = await stop;
  io.stderr.write(`draggan serve: ${sig}: finishing running work, then stopping\n`);
  await server.shutdown();
  await Promise.all(models.map((m) => m.engine.release()));
  return 0;
}
