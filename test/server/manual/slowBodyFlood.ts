/**
 * A manual tool, not a test: floods a running `draggan serve` with slow-body clients and measures /healthz
 * meanwhile. Each flood client sends the head of a POST and then one byte of its body every few hundred ms;
 * when the server closes it, it reconnects after --reconnect-ms (-1: never), so the pressure lasts the whole run.
 *
 *   npx ts-node --transpile-only test/server/manual/slowBodyFlood.ts --url http://127.0.0.1:8080 \
 *     [--token T] [--connections 1000] [--seconds 20] [--addresses 1] [--reconnect-ms 1000]
 *
 * --addresses N spreads the flood over 127.0.0.2 .. 127.0.0.(N+1) (Linux loopback), to try the total cap as
 * well as the per-client one; /healthz is asked from 127.0.0.1.
 */
import { spawn } from 'child_process';
import { connect, type Socket } from 'net';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

const url = new URL(arg('url', 'http://127.0.0.1:8080'));
const token = arg('token', '');
const connections = Number(arg('connections', '1000'));
const seconds = Number(arg('seconds', '20'));
const addresses = Number(arg('addresses', '1'));
const reconnectMs = Number(arg('reconnect-ms', '1000'));
const port = Number(url.port || 80);

let open = 0;
let opened = 0;
const statuses = new Map<string, number>();
let stopping = false;

function floodClient(i: number): void {
  if (stopping) return;
  const socket: Socket = connect({ host: url.hostname, port, localAddress: `127.0.0.${2 + (i % addresses)}` });
  let first = '';
  let trickle: NodeJS.Timeout | undefined;
  let connected = false;
  socket.setEncoding('utf8');
  socket.on('connect', () => {
    connected = true;
    open++;
    opened++;
    const auth = i % 2 && token ? `authorization: Bearer ${token}\r\n` : '';
    socket.write(
      `POST /v1/drag-steps HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n${auth}\r\n{`,
    );
    trickle = setInterval(() => socket.write(' '), 500);
  });
  socket.on('data', (c: string) => {
    if (!first) {
      first = c.slice(0, 12);
      statuses.set(first, (statuses.get(first) ?? 0) + 1);
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearInterval(trickle);
    if (connected) open--;
    if (reconnectMs >= 0) setTimeout(() => floodClient(i), reconnectMs);
  });
}

/**
 * /healthz every 250 ms from a process of its own, so the flood's own event loop does not add to the figures.
 * Prints one line per check: the milliseconds, or -1 for a failure.
 */
const HEALTH_LOOP = `
const http = require('http');
const url = new URL('/healthz', process.argv[1]);
function once() {
  const t0 = Date.now();
  const req = http.request(url, { agent: false, localAddress: '127.0.0.1', timeout: 10000 }, (res) => {
    res.resume();
    res.on('end', () => { console.log(res.statusCode === 200 ? Date.now() - t0 : -1); setTimeout(once, 250); });
  });
  req.on('error', () => { console.log(-1); setTimeout(once, 250); });
  req.on('timeout', () => req.destroy());
  req.end();
}
once();`;

async function main(): Promise<void> {
  for (let i = 0; i < connections; i++) floodClient(i);
  const times: number[] = [];
  const t0 = Date.now();
  const checker = spawn(process.execPath, ['-e', HEALTH_LOOP, url.href], { stdio: ['ignore', 'pipe', 'inherit'] });
  checker.stdout.setEncoding('utf8');
  checker.stdout.on('data', (text: string) => {
    for (const line of text.trim().split('\n')) {
      const ms = Number(line) < 0 ? Infinity : Number(line);
      if (ms > 300) console.error(`/healthz took ${ms} ms at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      times.push(ms);
    }
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  checker.kill();
  stopping = true;
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log(
    JSON.stringify({
      connections,
      addresses,
      seconds,
      reconnectMs,
      healthChecks: times.length,
      healthMs: { p50: at(0.5), p99: at(0.99), max: times[times.length - 1] },
      failedHealthChecks: times.filter((t) => !Number.isFinite(t)).length,
      floodConnectionsMade: opened,
      floodSocketsOpenAtEnd: open,
      firstReplyLines: Object.fromEntries(statuses),
    }),
  );
  process.exit(0);
}

void main();
