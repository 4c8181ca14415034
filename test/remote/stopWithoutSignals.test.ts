/**
 * Stop on a remote drag (and a streamed inversion) where fetch ignores AbortSignal, as UXP's does (its fetch takes method, headers, body and
 * credentials only): the run still ends at once as "cancelled", and the streamed answer is no longer read.
 */
import { editModelOfLatent, newEditState } from '../../plugin/core/editState';
import { hostTensor } from '../../plugin/graph/tensor';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../plugin/remote/protocol';
import { RemoteDragSession } from '../../plugin/remote/remoteDragSession';
import { RemoteGenerator } from '../../plugin/remote/remoteGenerator';

/** A fetch that never looks at init.signal and answers with a stream that says "start", then hangs. */
function deafFetch(): { fetch: typeof fetch; cancelled: () => boolean; signalsSeen: () => number } {
  let cancelled = false;
  let signals = 0;
  const f = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (init?.signal) signals++;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(`{"type":"start","protocol":${PROTOCOL_VERSION}}\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, {
      status: 200,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'content-type': 'application/x-ndjson' },
    });
  };
  return { fetch: f as typeof fetch, cancelled: () => cancelled, signalsSeen: () => signals };
}

test('Stop ends a remote drag at once though fetch ignores the signal, and stops reading the stream', async () => {
  const w = hostTensor([1, 12, 64], new Float32Array(12 * 64));
  const net = deafFetch();
  const session = new RemoteDragSession({
    endpoints: ['http://127.0.0.1:9'],
    fetch: net.fetch,
    modelId: 'm',
    state: newEditState(
      w,
      {
        lr: 0.1,
        r1: 3,
        r2: 12,
        lambda: 20,
        featureIdx: 5,
        optimisedRows: 6,
        mode: 'w+',
        maxSteps: 50,
        stopDistance: 0,
      },
      editModelOfLatent(w),
    ),
  });
  session.setPoints([{ handle: { x: 10, y: 10 }, target: { x: 20, y: 10 } }]);
  const stop = new AbortController();
  const run = session.run({ signal: stop.signal });
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  stop.abort();
  const result = await run;
  expect(result.reason).toBe('cancelled');
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(net.signalsSeen()).toBeGreaterThan(0);
  expect(net.cancelled()).toBe(true);
});

test('Stop ends a streamed remote inversion at once though fetch ignores the signal, and stops reading the stream', async () => {
  let cancelled = false;
  const f = async (): Promise<Response> => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(
          new TextEncoder().encode(
            `{"type":"start","protocol":${PROTOCOL_VERSION},"model":"m"}\n{"type":"step","step":1,"steps":300,"phase":"w","loss":0.5,"psnr":12,"bestPsnr":12}\n`,
          ),
        );
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, {
      status: 200,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'content-type': 'application/x-ndjson' },
    });
  };
  const gen = new RemoteGenerator({ endpoints: ['http://127.0.0.1:9'], fetch: f as typeof fetch, modelId: 'm' });
  const stop = new AbortController();
  const steps: number[] = [];
  const run = gen
    .invert(
      { width: 2, height: 2, channels: 3, data: new Uint8Array(12) },
      { signal: stop.signal, onProgress: (s) => steps.push(s.step) },
    )
    .then(
      () => 'finished',
      (e: unknown) => (e as Error).name,
    );
  await new Promise((r) => setTimeout(r, 100));
  expect(steps).toEqual([1]);
  const t0 = Date.now();
  stop.abort();
  expect(await run).toBe('AbortError');
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(cancelled).toBe(true);
});

test('Stop of a streamed remote inversion keeps the best fit it was sent, though fetch ignores the signal', async () => {
  const latent = { shape: [1, 2, 2], data: Buffer.from(new Float32Array([1, 2, 3, 4]).buffer).toString('base64') };
  const events = [
    { type: 'start', protocol: PROTOCOL_VERSION, model: 'm' },
    { type: 'best', step: 1, latent, psnr: 12, crop: { x: 0, y: 0, size: 2 } },
    { type: 'step', step: 1, steps: 300, phase: 'w', loss: 0.5, psnr: 12, bestPsnr: 12 },
    { type: 'step', step: 2, steps: 300, phase: 'w', loss: 0.4, psnr: 13, bestPsnr: 13 },
  ];
  const f = async (): Promise<Response> => {
    const body = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode(events.map((e) => JSON.stringify(e) + '\n').join(''))),
    });
    return new Response(body, {
      status: 200,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'content-type': 'application/x-ndjson' },
    });
  };
  const gen = new RemoteGenerator({ endpoints: ['http://127.0.0.1:9'], fetch: f as typeof fetch, modelId: 'm' });
  const stop = new AbortController();
  const run = gen.invert(
    { width: 2, height: 2, channels: 3, data: new Uint8Array(12) },
    { signal: stop.signal, onProgress: () => undefined },
  );
  await new Promise((r) => setTimeout(r, 100));
  stop.abort();
  const r = await run;
  // the newest best (step 1's, PSNR 12), not the better PSNR a step report named since: that fit never came
  expect({ ...r, latent: Array.from(r.latent.data) }).toEqual({
    latent: [1, 2, 3, 4],
    psnr: 12,
    steps: 2,
    cancelled: true,
    crop: { x: 0, y: 0, size: 2 },
  });
});
