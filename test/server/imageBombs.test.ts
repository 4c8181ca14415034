/**
 * Image bombs sent to /v1/invert: decoded in the bounded queue, in a worker thread and within a decoded-size budget
 * (here a small one), so the event loop keeps answering /healthz and the process's memory stays bounded. The burst
 * goes to the built CLI's server (test/server/bombBurst.ts, shared with `npm run bench:bombs`), so nothing of the
 * test's own process sits on the event loop it measures.
 */
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../helpers/ensureBuilt';
import { pngFile } from '../helpers/pngFile';
import { bombBurst, bombs, invert, invertBody, startServe, type Probe, type ServeProcess } from './bombBurst';
import { startTestServer } from './harness';

const MB = 2 ** 20;
/** 1000x1000 RGB, every row there: 18 MB decoded and resized to 128 px. */
const nearBudget = pngFile(1000, 1000, new Uint8Array(1000 * 3001));

describe('draggan serve --image-budget 96 (the built CLI, a process of its own)', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    await ensureBuilt('node');
    serve = await startServe(['--image-budget', '96', '--queue', '32']);
  }, BUILD_TIMEOUT_MS);
  afterAll(() => serve?.stop());

  test('a burst of image bombs: refused from the header or decoded in the worker; /healthz never waits behind a decode on the event loop; RSS bounded', async () => {
    const b = bombs(96);
    const bodies = [
      ...Array<string>(4).fill(invertBody(b.declared)),
      ...Array<string>(4).fill(invertBody(b.grey)),
      ...Array<string>(2).fill(invertBody(b.lying)),
      ...Array<string>(2).fill(invertBody(b.rgb)),
    ];
    // the worker thread starts with the first image: not measured
    expect((await invert(serve.url, invertBody(nearBudget))).status).toBe(200);
    const rss0 = serve.peakRss();
    const { idle, burst, replies } = await bombBurst(serve, bodies);
    const peak = serve.peakRss();

    for (const r of replies.slice(0, 4)) {
      expect(r.status).toBe(400);
      expect(r.message).toMatch(
        /image\.png: is 7000x7000 and would take \d+ MB to decode, over this server's 96 MB per image; scale it down/,
      );
    }
    // the grey and RGB images near the budget decode one or two at a time (192 MB in all); the rest wait or are busy
    for (const r of replies.slice(4, 8)) {
      expect([r.status, r.message]).toEqual(
        r.status === 429
          ? [429, expect.stringMatching(/retry in a moment/)]
          : [400, expect.stringMatching(/the image is greyscale/)],
      );
    }
    for (const r of replies.slice(8, 10)) {
      expect(r.status).toBe(400);
      expect(r.message).toMatch(/image\.png: is not a readable PNG: invalid PNG: /);
    }
    for (const r of replies.slice(10)) expect([200, 429]).toContain(r.status);
    expect(replies.some((r) => r.status === 200 || /greyscale/.test(r.message))).toBe(true);
    const show = (ps: Probe[]) => ps.map((p) => `${p.wallMs.toFixed(0)}/${p.serverCpuMs.toFixed(0)}`).join(' ');
    if (process.env.DRAGGAN_BOMB_REPORT)
      console.log(
        `/healthz ms (wall/server event-loop CPU), idle: ${show(idle)}\nburst: ${show(burst)}\nRSS +${((peak - rss0) / MB).toFixed(0)} MB`,
      );
    expect(burst.length).toBeGreaterThan(10);
    // Decoded or resized on the event loop, these images held probes behind them for hundreds of ms of that thread's
    // CPU (a 7000 x 7000 decode: seconds). The wall time also counts the machine's load (other work on its cores),
    // which this bound leaves out. The bound is what the event loop did in all while a probe waited (reading a dozen
    // bodies, handing them over, collecting garbage), so under load 10 one probe saw 110 ms of it in small pieces:
    // 200 ms keeps that margin and still fails on any decode there. The 100 ms figure is `npm run bench:bombs`'s.
    expect(burst.filter((p) => p.serverCpuMs >= 200)).toEqual([]);
    expect(peak - rss0).toBeLessThan(300 * MB);
  }, 180_000);
});

test('over the total budget while another image is held: 429 with Retry-After, not a decode', async () => {
  const tight = await startTestServer({
    warmUp: false,
    concurrency: 2,
    imageBudget: { perRequestBytes: 20 * MB, totalBytes: 24 * MB },
  });
  try {
    // both run at once (concurrency 2); one 18 MB image fits the 24 MB total, the second is refused as busy
    const replies = await Promise.all([
      invert(tight.url, invertBody(nearBudget)),
      invert(tight.url, invertBody(nearBudget)),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 429]);
    expect(replies.find((r) => r.status === 429)?.message).toMatch(
      /decoding or holding 18 MB of images already; retry in a moment/,
    );
  } finally {
    await tight.shutdown();
    await tight.release();
  }
}, 120_000);
