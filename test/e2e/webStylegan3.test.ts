/**
 * StyleGAN3 generators (the sg3t64 / sg3r64 fixtures: configs T and R, official networks, random weights) on
 * onnxruntime-web in headless Chromium: the engine page generates and drags them on wasm and on WebGPU
 * (SwiftShader's adapter), compared with the native engine (onnxruntime-node) on the same calls; and the web page
 * itself (its engine worker) generates and drags one served as a model folder.
 */
import type { Server } from 'http';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import type { ModelPackage } from '../../plugin/model/modelPackage';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../helpers/ensureBuilt';
import { fixture } from '../model/fixtures';
import { CHROMIUM, describeWithBrowser, screenshot, serve, useBrowser } from './browser';
import { generateSeed, openOnModel, routeModel } from './modelPage';
import { editOnRuntime, type EditRequest, type EditResult } from './webgpu/editOnRuntime';

type PageGlobal = { engineUnderTest: { edit(r: EditRequest): Promise<EditResult> } };

const MODELS = ['sg3t64', 'sg3r64'] as const;
const packages = new Map<string, ModelPackage>(
  MODELS.map((m) => [m, importCheckpoint(fixture('checkpoints', `${m}.pkl`))]),
);

/** Serves each fixture as a model folder (as `draggan import` writes it) at models/NAME/ on the page's site. */
async function routeModels(page: Page): Promise<void> {
  for (const [name, pkg] of packages) await routeModel(page, name, pkg);
}

const maxLevelDifference = (a: number[], b: number[]): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describeWithBrowser('StyleGAN3 on onnxruntime-web against the native engine', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  // a 5-step drag at a learning rate that moves the handle within it
  const request: EditRequest = {
    backend: 'wasm',
    seed: 3,
    steps: 5,
    lr: 0.05,
    pairs: [{ handle: { x: 28, y: 32 }, target: { x: 40, y: 32 } }],
  };
  const results = new Map<string, { native: EditResult; wasm: EditResult; webgpu: EditResult }>();

  beforeAll(async () => {
    await ensureBuilt('webgpu-test');
    let origin: string;
    ({ server, origin } = await serve(join(__dirname, '../../dist/webgpu-test')));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-background-networking',
        '--no-first-run',
        '--enable-unsafe-webgpu',
      ],
    });
    page = await browser.newPage();
    await routeModels(page);
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'engineUnderTest' in globalThis);
    const cpu = await ortNodeCpu.create();
    for (const name of MODELS) {
      const run = (backend: 'wasm' | 'webgpu') =>
        page.evaluate((r) => (globalThis as unknown as PageGlobal).engineUnderTest.edit(r), {
          ...request,
          backend,
          model: `models/${name}/`,
        });
      const native = await editOnRuntime(packages.get(name)!, cpu, request);
      results.set(name, { native, wasm: await run('wasm'), webgpu: await run('webgpu') });
    }
  }, BUILD_TIMEOUT_MS + 400_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  test.each(MODELS)('%s: wasm and WebGPU generate and drag as the native engine does', (name) => {
    const { native, wasm, webgpu } = results.get(name)!;
    expect(webgpu.runtime).toMatch(/\(webgpu, .+\)$/);
    // the drag moved the handle and changed the image (the random T generator's image by a level only in 5 steps)
    expect(native.points.at(-1)![0].x).toBeGreaterThanOrEqual(request.pairs[0].handle.x + 2);
    expect(maxLevelDifference(native.dragged, native.generated)).toBeGreaterThan(0);
    for (const web of [wasm, webgpu]) {
      expect(maxLevelDifference(web.generated, native.generated)).toBeLessThanOrEqual(1);
      expect(maxLevelDifference(web.dragged, native.dragged)).toBeLessThanOrEqual(2);
      expect(web.points).toEqual(native.points);
    }
  });
});

describeWithBrowser('the web page on a StyleGAN3 model', () => {
  const web = useBrowser();
  let page: Page;

  beforeAll(async () => {
    page = await web.browser.newPage({ viewport: { width: 640, height: 900 } });
    await routeModels(page);
    await openOnModel(page, web.origin, 'sg3r64', /\b64 px/);
  }, 90_000);

  test('its worker generates a config R image and drags a handle toward its target', async () => {
    const imageSrc = () => page.locator('[data-testid=preview-image]').getAttribute('src');
    await generateSeed(page, 3);
    const before = await imageSrc();
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + (box.width * 28.2) / 64, box.y + (box.height * 32.2) / 64);
    await page.locator('[data-testid=pending]').waitFor();
    await page.mouse.click(box.x + (box.width * 40.2) / 64, box.y + (box.height * 32.2) / 64);
    await page.locator('[data-testid=target-0]').waitFor();
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await imageSrc()).not.toBe(before);
    const handle = page.locator('[data-testid=handle-0]');
    expect(Number(await handle.getAttribute('cx'))).toBeGreaterThan(28);
    await screenshot(page.locator('dg-panel'), 'web-stylegan3.png');
  });
});
