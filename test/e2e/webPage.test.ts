/** The standalone page in Chromium, by mouse: generate, place a handle and a target, run, stop, download. */
import { readFileSync } from 'fs';
import { pngBomb } from '../model/bombs/recipes';
import type { Server } from 'http';
import type { Browser, Page } from 'playwright-core';
import { describeWithBrowser, launch, QUICK_SETTINGS, screenshot, serve } from './browser';

describeWithBrowser('the web page', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  let page: Page;

  beforeAll(async () => {
    ({ server, origin } = await serve());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 640, height: 1000 }, acceptDownloads: true });
    await page.addInitScript((s) => localStorage.setItem('draggan.settings.v1', s), QUICK_SETTINGS);
    await page.goto(`${origin}/`);
    await page.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const status = () => page.locator('[data-testid=status]').textContent();
  const imageSrc = () => page.locator('[data-testid=preview-image]').getAttribute('src');

  test('generate, click a handle and a target, run: the handle moves and the image changes', async () => {
    await page.locator('[data-testid=seed]').fill('7');
    await page.locator('[data-testid=seed]').dispatchEvent('change');
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor();
    const before = await imageSrc();

    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.locator('[data-testid=pending]').waitFor();
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.5);
    await page.locator('[data-testid=target-0]').waitFor();
    const handleX = Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'));
    expect(handleX).toBeCloseTo(38, 0);

    await page.click('[data-testid=run]');
    // the live tracked marker shows during the run
    await page.locator('[data-testid=tracked-0]').waitFor();
    await page.locator('[data-testid=status]').filter({ hasText: /Done|step cap/ }).waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await imageSrc()).not.toBe(before);
    const after = Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'));
    expect(after).not.toBe(handleX);
    await page.locator('[data-testid=history-0]').waitFor();
    await screenshot(page, 'web-panel.png');
  });

  test('Open image with a PNG declaring 20000x20000: refused from its header, naming the limit', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-testid=read-source]');
    await (await chooser).setFiles({ name: 'bomb.png', mimeType: 'image/png', buffer: Buffer.from(pngBomb()) });
    const error = page.locator('[data-testid=error]');
    await error.filter({ hasText: /20000x20000 \(400\.0 megapixels\), over the decoder's limit of 50\.0 megapixels/ }).waitFor({ timeout: 30_000 });
  });

  test('Stop ends a long run', async () => {
    await page.click('[data-testid=toggle-settings]');
    await page.locator('[data-testid=setting-maxSteps]').fill('2000');
    await page.locator('[data-testid=setting-maxSteps]').dispatchEvent('change');
    await screenshot(page, 'web-settings.png');
    await page.click('[data-testid=toggle-settings]');
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=status]').filter({ hasText: /Step \d+/ }).waitFor();
    await page.click('[data-testid=stop]');
    await page.locator('[data-testid=status]').filter({ hasText: /Stopped after \d+ steps/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=run]').isEnabled()).toBe(true);
  });

  test('downloads: the PNG and the latent', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=apply]')]);
    expect(png.suggestedFilename()).toMatch(/^draggan-edit-\d+\.png$/);
    const bytes = readFileSync((await png.path())!);
    expect([...bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(bytes.readUInt32BE(16)).toBe(128);
    const [npy] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=action-latent]')]);
    expect(npy.suggestedFilename()).toBe('draggan-latent.npy');
    expect(readFileSync((await npy.path())!).subarray(1, 6).toString()).toBe('NUMPY');
  });

  test('mask painting shows an overlay; Esc cancels a half-placed pair', async () => {
    await page.click('[data-testid=mode-mask]');
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.move(box.x + 50, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 80, { steps: 5 });
    await page.mouse.up();
    await page.locator('[data-testid=mask-overlay]').waitFor();
    await screenshot(page, 'web-mask.png');
    await page.click('[data-testid=clear-mask]');
    await page.click('[data-testid=mode-points]');
    await page.mouse.click(box.x + 20, box.y + 400);
    await page.locator('[data-testid=pending]').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid=pending]').count()).toBe(0);
    expect(await status()).toBeTruthy();
  });
});
