/**
 * The web page on a portrait model (the human128 fixture, StyleGAN-Human's layout: 64 wide x 128 tall) served as a
 * model folder of the page's own site (?model=): the image shows at its aspect, a handle and a target clicked in its
 * lower half land on its 64 x 128 pixels, a masked drag runs, and the download is the 64 x 128 result.
 */
import { readFileSync } from 'fs';
import type { Server } from 'http';
import type { Browser, Page } from 'playwright-core';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { serializeModelPackage } from '../../plugin/model/modelPackage';
import { BUILD_TIMEOUT_MS } from '../helpers/ensureBuilt';
import { fixture } from '../model/fixtures';
import { describeWithBrowser, launch, QUICK_SETTINGS, screenshot, serve } from './browser';

describeWithBrowser('the web page on a portrait model', () => {
  let browser: Browser;
  let server: Server;
  let page: Page;

  beforeAll(async () => {
    const { modelJson, weights } = serializeModelPackage(importCheckpoint(fixture('checkpoints', 'human128.pkl')));
    browser = await launch();
    let origin: string;
    ({ server, origin } = await serve());
    page = await browser.newPage({ viewport: { width: 640, height: 1000 }, acceptDownloads: true });
    // the model folder, as `draggan import` writes it, at models/human128/ on the page's site
    await page.route('**/models/human128/model.json', (r) =>
      r.fulfill({ body: modelJson, contentType: 'application/json' }),
    );
    await page.route('**/models/human128/weights.safetensors', (r) =>
      r.fulfill({ body: Buffer.from(weights), contentType: 'application/octet-stream' }),
    );
    await page.addInitScript((s) => localStorage.setItem('draggan.settings.v1', s), QUICK_SETTINGS);
    await page.goto(`${origin}/?model=models/human128/`);
    await page.locator('[data-testid=status]').filter({ hasText: '64 x 128 px' }).waitFor({ timeout: 60_000 });
  }, BUILD_TIMEOUT_MS + 90_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const imageSrc = () => page.locator('[data-testid=preview-image]').getAttribute('src');

  test('generate shows the image at 1:2; points clicked in the lower half land on its pixels; a masked drag runs', async () => {
    await page.locator('[data-testid=seed]').fill('0');
    await page.locator('[data-testid=seed]').dispatchEvent('change');
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor();
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    const before = await imageSrc();
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    expect(box.height / box.width).toBeCloseTo(2, 1);
    const image = (await page.locator('[data-testid=preview-image]').boundingBox())!;
    expect(image).toEqual(box);

    // the mask: the lower half may change
    await page.click('[data-testid=mode-mask]');
    await page.locator('[data-testid=brush]').fill('32');
    await page.locator('[data-testid=brush]').dispatchEvent('input');
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.7);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.7, { steps: 6 });
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.9, { steps: 3 });
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.9, { steps: 6 });
    await page.mouse.up();
    await page.locator('[data-testid=mask-overlay]').waitFor();
    await page.click('[data-testid=mode-points]');

    // a handle at (24, 96) of the 64 x 128 image, its target at (40, 104)
    await page.mouse.click(box.x + (box.width * 24.2) / 64, box.y + (box.height * 96.2) / 128);
    await page.locator('[data-testid=pending]').waitFor();
    await page.mouse.click(box.x + (box.width * 40.2) / 64, box.y + (box.height * 104.2) / 128);
    await page.locator('[data-testid=target-0]').waitFor();
    const handle = page.locator('[data-testid=handle-0]');
    expect([Number(await handle.getAttribute('cx')), Number(await handle.getAttribute('cy'))]).toEqual([24, 96]);
    const target = page.locator('[data-testid=target-0]');
    expect([Number(await target.getAttribute('cx')), Number(await target.getAttribute('cy'))]).toEqual([40, 104]);

    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await imageSrc()).not.toBe(before);
    const moved = [Number(await handle.getAttribute('cx')), Number(await handle.getAttribute('cy'))];
    expect(moved).not.toEqual([24, 96]);
    expect(moved[1]).toBeGreaterThan(64);
    const thumb = (await page.locator('[data-testid=history-0] img').boundingBox())!;
    expect(thumb.height / thumb.width).toBeCloseTo(2, 0);
    await screenshot(page.locator('dg-panel'), 'web-portrait.png');
  });

  test('Download PNG gives the 64 x 128 result', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=apply]')]);
    const bytes = readFileSync((await png.path())!);
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([64, 128]);
  });
});
