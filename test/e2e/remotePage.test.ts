/**
 * The web page on a remote endpoint, as a user sets it up: the page from one loopback origin, `draggan serve
 * --allow-origin <that origin> --token T` on another port. The picker lists the endpoint's models by id; generate,
 * drag and inversion run there; a wrong token reads as a token problem, not as an unreachable server.
 */
import type { Page } from 'playwright-core';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { startTestServer, type TestServer } from '../server/harness';
import { describeWithBrowser, useBrowser } from './browser';
import { confirmAndInvert, pickPng } from './openPicture';

const TOKEN = 'page-token-1234';

/** A 64 x 48 RGB photo: a gradient with a dark square. */
function photo(): Buffer {
  const w = 64;
  const h = 48;
  const rgb = new Uint8Array(w * h * 3).map((_, i) => {
    const p = Math.floor(i / 3);
    const x = p % w;
    const y = Math.floor(p / w);
    return x > 20 && x < 40 && y > 12 && y < 32 ? 30 : (i % 3) * 60 + x * 2;
  });
  return Buffer.from(encodePng({ width: w, height: h, channels: 3, data: rgb }));
}

describeWithBrowser('the web page on a remote endpoint', () => {
  const web = useBrowser();
  let api: TestServer;
  let page: Page;

  beforeAll(async () => {
    api = await startTestServer({ token: TOKEN, allowOrigins: [web.origin], warmUp: false });
    page = await web.browser.newPage({ viewport: { width: 640, height: 1000 } });
    const settings = JSON.stringify({
      backend: 'remote',
      remoteUrl: api.url,
      remoteToken: TOKEN,
      maxSteps: 6,
      previewEvery: 2,
      lr: 0.05,
      invertSteps: 4,
    });
    await page.addInitScript((s) => localStorage.setItem('draggan.settings.v1', s), settings);
    await page.goto(`${web.origin}/`);
  }, 60_000);

  afterAll(async () => {
    await api?.shutdown();
    await api?.release();
  });

  test("the picker lists the endpoint's model by its id, and the engine says where it runs", async () => {
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /128 px, computed on remote endpoint/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=model] option').first().getAttribute('value')).toBe('tiny128');
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
  });

  test('generate and drag run on the endpoint', async () => {
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });
    const before = await page.locator('[data-testid=preview-image]').getAttribute('src');
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.5);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await page.locator('[data-testid=preview-image]').getAttribute('src')).not.toBe(before);
  });

  test('a photo is inverted on the endpoint', async () => {
    await pickPng(page, 'remote.png', photo());
    // the drag before was not applied: asked first
    await confirmAndInvert(page, 'remote.png', '64 x 48');
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
  });

  test('a wrong token says so', async () => {
    await page.click('[data-testid=toggle-settings]');
    await page.locator('[data-testid=setting-remoteToken]').fill('not-the-token');
    await page.locator('[data-testid=setting-remoteToken]').dispatchEvent('change');
    await page
      .locator('[data-testid=error]')
      .filter({ hasText: /refused the token/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=error]').textContent()).not.toMatch(/Cannot reach/);
  });

  test('the token reaches localStorage only when "Remember the token" is ticked', async () => {
    const stored = () => page.evaluate(() => localStorage.getItem('draggan.settings.v1') ?? '');
    // (Settings is open from the test before)
    expect(await stored()).not.toMatch(/not-the-token|page-token/);
    await page.locator('[data-testid=setting-rememberToken]').check();
    expect(await stored()).toMatch(/not-the-token/);
    await page.locator('[data-testid=setting-rememberToken]').uncheck();
    expect(await stored()).not.toMatch(/not-the-token/);
  });
});
