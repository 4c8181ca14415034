import { EndpointClient } from '../../remote/endpointClient';
import { editModelFor, newEditState, withPairs } from '../../core/editState';
import { DRAG_SETTINGS } from '../../core/dragSettings';
import { hyperParametersOfInfo } from '../../remote/modelInfo';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, ROUTES, type DragStepsRequest } from '../../remote/protocol';
import { listRemoteModels, RemoteGenerator } from '../../remote/remoteGenerator';
import { RemoteError, UserFixableError } from '../../core/errors';
import { encodeDragState } from '../../remote/stateCodec';
import { intOption, numberOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { takeRepeated } from './repeatedOption';
import { resolveToken } from './tokenOption';

type LoadOption = 'clients' | 'seconds' | 'token' | 'token-file' | 'model' | 'steps' | 'json';

export const loadSpec: CommandSpec<LoadOption> = {
  name: 'load',
  options: {
    clients: 'value',
    seconds: 'value',
    token: 'value',
    'token-file': 'value',
    model: 'value',
    steps: 'value',
    json: 'flag',
  },
  positionals: [],
};

interface Sample {
  status: number;
  ms: number;
  /** A 2xx with a complete result, or a 429/503 with Retry-After and a JSON error: what the protocol promises. */
  wellFormed: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Reads one answer in full and judges it against the protocol. */
async function judge(res: Response): Promise<boolean> {
  const text = await res.text();
  if (res.headers.get(PROTOCOL_HEADER) !== String(PROTOCOL_VERSION)) return false;
  if (res.status === 200) {
    const lines = text.trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]) as { type?: unknown };
    return last.type === 'result';
  }
  if (res.status === 429 || res.status === 503) {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return (
      res.headers.has('retry-after') && typeof body.error?.code === 'string' && typeof body.error.message === 'string'
    );
  }
  return false;
}

/**
 * `draggan load`: a load benchmark of a DragGAN endpoint. Each client sends drag-steps requests back to back
 * (round-robin over the endpoints, no retries: every answer is counted as it came), for a fixed time; then
 * latency percentiles, throughput and the status counts are printed. A benchmark, not a test.
 */
export async function loadCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: endpoints, rest } = takeRepeated(argv, 'endpoint', 'load');
  const { values: v, flags } = parseArgs(loadSpec, rest);
  if (endpoints.length === 0) throw new UsageError('give at least one --endpoint URL', 'load');
  const clients = v.clients === undefined ? 20 : intOption('load', 'clients', v.clients, 1, 1000);
  const seconds = v.seconds === undefined ? 60 : numberOption('load', 'seconds', v.seconds);
  if (!(seconds > 0 && seconds <= 3600)) throw new UsageError('--seconds must be within 0..3600', 'load');
  const steps = v.steps === undefined ? 1 : intOption('load', 'steps', v.steps, 1, 1000);
  const token = resolveToken(v, 'load');

  // one checked request first, so a wrong URL, token or model fails with the client's clear message
  let body: string;
  let modelId: string;
  try {
    const client = new EndpointClient({ endpoints, token, maxAttempts: 2 });
    const models = await listRemoteModels(client);
    const info = v.model === undefined ? models[0] : models.find((m) => m.id === v.model);
    if (!info)
      throw new UserFixableError(
        v.model === undefined
          ? 'the endpoint serves no models'
          : `the endpoint has no model '${v.model}' (it serves: ${models.map((m) => m.id).join(', ')})`,
      );
    modelId = info.id;
    const { latent } = await new RemoteGenerator({ endpoints, token, modelId, maxAttempts: 2 }).generate(
      { seed: 0 },
      { preview: 'none' },
    );
    const model = editModelFor(info);
    const c = Math.floor(info.resolution / 2);
    const off = Math.max(2, Math.round(info.resolution / 16));
    const fresh = newEditState(
      latent,
      hyperParametersOfInfo(info, { maxSteps: DRAG_SETTINGS.maxSteps.limit.max, stopDistance: 0 }),
      model,
    );
    const state = withPairs(fresh, [{ handle: { x: c, y: c }, target: { x: c + off, y: c - off } }], model);
    const req: DragStepsRequest = { model: modelId, state: encodeDragState(state), steps, preview: 'png' };
    body = JSON.stringify(req);
  } catch (e) {
    if (e instanceof RemoteError) throw new UserFixableError(e.message);
    throw e;
  }

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const samples: Sample[] = [];
  const failures = new Map<string, number>();
  const started = Date.now();
  const deadline = started + seconds * 1000;
  io.stderr.write(
    `load: ${clients} clients, ${seconds} s, ${steps} step(s) per request, model ${modelId}, ${endpoints.length} endpoint(s)\n`,
  );

  const clientLoop = async (k: number) => {
    for (let i = k; Date.now() < deadline; i++) {
      const endpoint = endpoints[i % endpoints.length].replace(/\/+$/, '');
      const t0 = Date.now();
      try {
        const res = await fetch(`${endpoint}${ROUTES.dragSteps}`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(seconds * 1000 + 60_000),
        });
        let ok = false;
        try {
          ok = await judge(res);
        } catch {
          ok = false;
        }
        samples.push({ status: res.status, ms: Date.now() - t0, wellFormed: ok });
        // a polite client backs off when told to (bounded here, so the run still measures the server)
        if (res.status === 429 || res.status === 503)
          await new Promise((r) => setTimeout(r, Math.min(1000, 1000 * Number(res.headers.get('retry-after') ?? 1))));
      } catch (e) {
        const why =
          e instanceof Error ? ((e as Error & { cause?: { code?: string } }).cause?.code ?? e.message) : String(e);
        failures.set(why, (failures.get(why) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, k) => clientLoop(k)));
  const elapsed = (Date.now() - started) / 1000;

  const ok = samples.filter((s) => s.status === 200 && s.wellFormed);
  const lat = ok.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
  const malformed = samples.filter((s) => !s.wellFormed).length;
  const summary = {
    command: 'load',
    endpoints,
    model: modelId,
    clients,
    seconds: elapsed,
    stepsPerRequest: steps,
    requests: samples.length,
    succeeded: ok.length,
    throughput: ok.length / elapsed,
    stepsPerSecond: (ok.length * steps) / elapsed,
    latencyMs: {
      p50: percentile(lat, 50),
      p95: percentile(lat, 95),
      p99: percentile(lat, 99),
      max: lat[lat.length - 1] ?? NaN,
    },
    statuses,
    malformed,
    networkErrors: Object.fromEntries(failures),
  };
  if (flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout.write(
      [
        `requests     ${summary.requests} in ${elapsed.toFixed(1)} s (${clients} clients)`,
        `succeeded    ${summary.succeeded} (${summary.throughput.toFixed(2)} req/s, ${summary.stepsPerSecond.toFixed(2)} drag steps/s)`,
        `latency      p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms (successes)`,
        `statuses     ${
          Object.entries(statuses)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ') || 'none'
        }`,
        `malformed    ${malformed}${failures.size ? `; network errors: ${[...failures].map(([k, n]) => `${k}: ${n}`).join(', ')}` : ''}`,
      ].join('\n') + '\n',
    );
  }
  return malformed === 0 && failures.size === 0 ? 0 : 1;
}
