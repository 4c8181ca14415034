import { DragSession } from '../../plugin/drag/dragSession';
import type { RetryInfo } from '../../plugin/remote/endpointClient';
import { editModelOfLatent, newEditState } from '../../plugin/core/editState';
import { RemoteDragSession } from '../../plugin/remote/remoteDragSession';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { crash, hp, pairs, pkg, startTestServer, w0, type TestServer } from './harness';
import { roundRobinProxy, type Proxy } from './roundRobinProxy';

let replicas: TestServer[];
let proxy: Proxy;
let expected: string[];
let expectedLatent: number[];

beforeAll(async () => {
  const local = async () => {
    const gen = new Generator(pkg, await ortNodeCpu.create());
    const s = new DragSession(gen, w0, hp);
    s.setPoints(pairs);
    const steps: string[] = [];
    await s.run({ onStep: (r) => steps.push(JSON.stringify(r)) });
    expected = steps.map((r) => JSON.stringify({ ...JSON.parse(r), ms: 0 }));
    expectedLatent = Array.from(s.latent().data);
    await gen.release();
  };
  // no warm-up: a replica compiles on its first request, which keeps this test short
  const servers = Promise.all([0, 1, 2].map(() => startTestServer({ warmUp: false })));
  await local();
  replicas = await servers;
  proxy = await roundRobinProxy(replicas.map((r) => r.url));
});

afterAll(async () => {
  await proxy.close();
  await Promise.all(
    replicas.map(async (r) => {
      await r.shutdown();
      await r.release();
    }),
  );
});

test('killing a replica mid-drag loses no edit: the client retries the same state on another replica', async () => {
  const retries: RetryInfo[] = [];
  const remote = new RemoteDragSession({
    endpoints: [proxy.url],
    modelId: 'tiny128',
    state: newEditState(w0, hp, editModelOfLatent(w0)),
    stepsPerRequest: 3,
    retryDelayMs: 20,
    onRetry: (r) => retries.push(r),
  });
  remote.setPoints(pairs);
  const seen: string[] = [];
  let killed: TestServer | undefined;
  let graceful: Promise<void> | undefined;
  const result = await remote.run({
    onStep: (r) => {
      seen.push(JSON.stringify({ ...r, ms: 0 }));
      // mid-request (the 2nd of 3 steps in this request): the replica serving it dies
      if (r.step === 2 && !killed) {
        killed = replicas.find((s) => s.url === proxy.last());
        void crash(killed!);
      }
      // and another one is shut down gracefully mid-request: it answers with the state it reached
      if (r.step === 5 && !graceful)
        graceful = replicas.find((s) => s.url === proxy.last() && s !== killed)?.shutdown();
    },
  });
  await graceful;
  expect(killed).toBeDefined();
  expect(retries.length).toBeGreaterThanOrEqual(1);
  // every step reported once, in order, and the same as a local run: the retried steps are not shown twice
  expect(seen).toEqual(expected);
  expect(result).toMatchObject({ reason: 'step-cap', steps: hp.maxSteps });
  expect(Array.from(remote.latent().data)).toEqual(expectedLatent);
});
