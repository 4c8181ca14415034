/**
 * The engine on WebGPU in headless Chromium (SwiftShader's software adapter) against wasm, on the bundled model,
 * through the test-only page test/e2e/webgpu (built into dist/webgpu-test by `npm run build`): the same image, the
 * same tracked points, every node of the drag on the GPU, and the forward's saved tensors kept there.
 */
import type { Server } from 'http';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../helpers/ensureBuilt';
import { CHROMIUM, describeWithBrowser } from './browser';
import type { EditRequest, EditResult } from './webgpu/enginePage';

const DIST = join(__dirname, '../../dist/webgpu-test');
const { startServer } = require('../../plugin/hosts/browser/devServer.cjs') as {
  startServer(root: string, port?: number): Promise<Server>;
};

/** What the page puts on globalThis; the page.evaluate callbacks below run in the page, so they reach it by cast. */
type PageGlobal = {
  engineUnderTest: {
    edit(r: EditRequest): Promise<EditResult>;
    probeWebGpu(): Promise<{ available: boolean; reason: string }>;
    startRuntime(backend: 'wasm' | 'webgpu'): Promise<string>;
  };
};

async function launch(gpuArgs: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...gpuArgs,
    ],
  });
}

async function openPage(browser: Browser, origin: string, log?: string[]): Promise<Page> {
  const page = await browser.newPage();
  if (log) page.on('console', (m) => log.push(m.text()));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'engineUnderTest' in globalThis);
  return page;
}

/** onnxruntime's "placed on [Provider]" lines, by session label (the Generator labels sessions by graph). */
function placements(log: readonly string[]): { session: string; provider: string }[] {
  return log.flatMap((line) => {
    const m =
      /\[V:onnxruntime:([^,]*), session_state\.cc:\d+ VerifyEachNodeIsAssignedToAnEp\]\s+(?:All nodes|Node\(s\)) placed on \[(\w+)\]/.exec(
        line,
      );
    return m ? [{ session: m[1], provider: m[2] }] : [];
  });
}

const maxLevelDifference = (a: number[], b: number[]): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

describeWithBrowser('WebGPU in Chromium', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  const log: string[] = [];
  let wasm: EditResult;
  let webgpu: EditResult;
  // a short drag that moves the handle: the model's r1/r2, a learning rate that shows movement within 5 steps
  const request: EditRequest = {
    backend: 'wasm',
    seed: 7,
    steps: 5,
    lr: 0.05,
    pairs: [{ handle: { x: 50, y: 64 }, target: { x: 60, y: 64 } }],
  };

  beforeAll(async () => {
    await ensureBuilt('webgpu-test');
    server = await startServer(DIST, 0);
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('the test server has no port');
    origin = `http://127.0.0.1:${addr.port}`;
    browser = await launch(['--enable-unsafe-webgpu']);
    const page = await openPage(browser, origin, log);
    wasm = await page.evaluate((r) => (globalThis as unknown as PageGlobal).engineUnderTest.edit(r), request);
    webgpu = await page.evaluate((r) => (globalThis as unknown as PageGlobal).engineUnderTest.edit(r), {
      ...request,
      backend: 'webgpu' as const,
      verboseLog: true,
    });
    console.info(
      `drag step, median of ${request.steps}: wasm ${median(wasm.stepMs).toFixed(0)} ms, WebGPU ${median(webgpu.stepMs).toFixed(0)} ms (${webgpu.runtime}); ` +
        `first generate: wasm ${wasm.generateMs.toFixed(0)} ms, WebGPU ${webgpu.generateMs.toFixed(0)} ms`,
    );
  }, BUILD_TIMEOUT_MS + 300_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  test('generate and a 5-step drag give the same image (within 1 level) and the same tracked points as wasm', () => {
    // Settings can say what really runs: the provider and the adapter
    expect(webgpu.runtime).toMatch(/^onnxruntime-web [\d.]+ \(webgpu, .+\)$/);
    expect(maxLevelDifference(webgpu.generated, wasm.generated)).toBeLessThanOrEqual(1);
    expect(maxLevelDifference(webgpu.dragged, wasm.dragged)).toBeLessThanOrEqual(1);
    // the drag did something: the handle moved toward its target, and the image changed
    expect(wasm.points).toHaveLength(request.steps);
    expect(wasm.points.at(-1)![0].x).toBeGreaterThanOrEqual(request.pairs[0].handle.x + 2);
    expect(maxLevelDifference(wasm.dragged, wasm.generated)).toBeGreaterThan(10);
    expect(webgpu.points).toEqual(wasm.points);
  });

  test('a robust drag (tracked on the 32 px block, which the forward runs on to) tracks the same sub-pixel points on WebGPU as on wasm', async () => {
    const page = await openPage(browser, origin);
    const robust = { ...request, method: 'robust' as const };
    const [a, b] = [
      await page.evaluate((r) => (globalThis as unknown as PageGlobal).engineUnderTest.edit(r), robust),
      await page.evaluate((r) => (globalThis as unknown as PageGlobal).engineUnderTest.edit(r), {
        ...robust,
        backend: 'webgpu' as const,
      }),
    ];
    await page.close();
    expect(a.points.at(-1)![0].x).toBeGreaterThan(request.pairs[0].handle.x + 1);
    // float rounding differs between the backends and sub-pixel points show it (3e-8 px here); a misread feature would move them by pixels
    a.points.forEach((step, k) =>
      step.forEach((p, i) => expect(Math.hypot(p.x - b.points[k][i].x, p.y - b.points[k][i].y)).toBeLessThan(1e-3)),
    );
    expect(maxLevelDifference(b.dragged, a.dragged)).toBeLessThanOrEqual(1);
  });

  test('the drag forward and backward run wholly on WebGPU: no node placed on the CPU', () => {
    const placed = placements(log);
    expect(placed.filter((p) => p.session.startsWith('vjpb:'))).toEqual([
      { session: expect.stringMatching(/^vjpb:/), provider: 'JsExecutionProvider' },
    ]);
    expect(placed.filter((p) => p.session.startsWith('vjpf:'))).toEqual([
      { session: expect.stringMatching(/^vjpf:/), provider: 'JsExecutionProvider' },
    ]);
    expect(placed.filter((p) => p.provider !== 'JsExecutionProvider')).toEqual([]);
  });

  test("the forward's saved tensors stay in GPU buffers until the backward reads them", () => {
    expect(webgpu.savedLocations.length).toBeGreaterThan(0);
    expect(new Set(webgpu.savedLocations)).toEqual(new Set(['gpu-buffer']));
  });

  test('WebGPU is offered only with an adapter: without one, choosing it fails with the reason', async () => {
    const noGpu = await launch(['--disable-gpu']);
    try {
      const page = await openPage(noGpu, origin);
      expect(await page.evaluate(() => 'gpu' in navigator)).toBe(true);
      const probe = await page.evaluate(() => (globalThis as unknown as PageGlobal).engineUnderTest.probeWebGpu());
      expect(probe).toEqual({ available: false, reason: expect.stringMatching(/no usable graphics adapter/) });
      const error = await page.evaluate(
        (r) =>
          (globalThis as unknown as PageGlobal).engineUnderTest.edit(r).then(
            () => 'ran',
            (e: Error) => e.message,
          ),
        { ...request, backend: 'webgpu' as const },
      );
      expect(error).toMatch(/^WebGPU is not available: .*no usable graphics adapter/);
    } finally {
      await noGpu.close();
    }
    // with an adapter: offered, and it starts, again and again in one page
    const page = await openPage(browser, origin);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobal).engineUnderTest.probeWebGpu())).toEqual({
      available: true,
      reason: expect.stringMatching(/^adapter: /),
      adapter: expect.any(String),
    });
    for (let i = 0; i < 2; i++)
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobal).engineUnderTest.startRuntime('webgpu')),
      ).toMatch(/\(webgpu, .+\)/);
  });
});
