/**
 * `npm run bench:bombs`: `draggan serve` with its real default image budget (256 MB per image, 512 MB in all) under
 * a burst of image bombs to /v1/invert (test/server/bombBurst.ts: files declaring 7000x7000 RGBA16, greyscale and RGB
 * images just under the budget, lying PNGs), while /healthz is probed every 20 ms. Prints the probes' round trips
 * idle and during the burst (p50, p99, max) and the CPU time the server's event loop spent during each, the replies
 * by status, and the server's peak RSS, with the machine's load average beside them; exits 1 when the server's peak RSS reaches 1 GB. Usage: npm run bench:bombs [-- --rounds 2]
 */
import { loadavg } from 'os';
import { ensureBuilt } from '../helpers/ensureBuilt';
import { bombBurst, bombs, invert, invertBody, quantile, startServe, type Probe } from '../server/bombBurst';

const rounds = Math.max(1, Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 1);
const MB = 2 ** 20;

function line(label: string, ms: number[]): string {
  const f = (q: number) => quantile(ms, q).toFixed(1).padStart(8);
  return `${label.padEnd(24)}${String(ms.length).padStart(8)}${f(0.5)}${f(0.99)}${f(1)}`;
}

async function main(): Promise<void> {
  await ensureBuilt('node');
  const serve = await startServe(['--queue', '32']);
  try {
    const b = bombs(256);
    const bodies = [
      ...Array<string>(4).fill(invertBody(b.declared)),
      ...Array<string>(4).fill(invertBody(b.grey)),
      ...Array<string>(2).fill(invertBody(b.lying)),
      ...Array<string>(2).fill(invertBody(b.rgb)),
    ];
    // the worker thread's start-up is not part of the burst
    await invert(serve.url, invertBody(b.lying));
    const load0 = loadavg()[0];
    const idle: Probe[] = [];
    const burst: Probe[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < rounds; i++) {
      const r = await bombBurst(serve, bodies);
      idle.push(...r.idle);
      burst.push(...r.burst);
      for (const x of r.replies) statuses.set(x.status, (statuses.get(x.status) ?? 0) + 1);
    }
    const peak = serve.peakRss();
    console.log(
      `draggan serve, default --image-budget (256 MB per image); ${bodies.length} bombs a burst, ${rounds} burst(s)`,
    );
    console.log(
      `${'/healthz round trip, ms'.padEnd(24)}${'probes'.padStart(8)}${'p50'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}`,
    );
    console.log(
      line(
        'idle, before the burst',
        idle.map((p) => p.wallMs),
      ),
    );
    console.log(
      line(
        'during the burst',
        burst.map((p) => p.wallMs),
      ),
    );
    console.log(
      line(
        "  server's event-loop CPU",
        burst.map((p) => p.serverCpuMs),
      ),
    );
    console.log(
      `replies by status: ${[...statuses]
        .sort()
        .map(([s, n]) => `${s} x${n}`)
        .join(', ')}`,
    );
    console.log(`server peak RSS: ${(peak / MB).toFixed(0)} MB`);
    console.log(`load average (1 min): ${load0.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
    if (peak >= 1024 * MB) process.exitCode = 1;
  } finally {
    await serve.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
