/** The Photopea plugin page inside a fake Photopea parent frame: the document in, the result back as a layer. */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Frame, Page } from 'playwright-core';
import { describeWithBrowser, QUICK_SETTINGS, screenshot, useBrowser } from './browser';

describeWithBrowser('the Photopea page', () => {
  const web = useBrowser();
  let page: Page;
  let plugin: Frame;

  beforeAll(async () => {
    page = await web.browser.newPage({ viewport: { width: 620, height: 1000 } });
    await page.addInitScript((s) => localStorage.setItem('draggan.settings.v1', s), QUICK_SETTINGS);
    const harness = readFileSync(join(__dirname, 'fakePhotopea.html'), 'utf8');
    await page.route('**/fake-photopea.html*', (route) => route.fulfill({ body: harness, contentType: 'text/html' }));
    await page.goto(`${web.origin}/fake-photopea.html?plugin=${encodeURIComponent(`${web.origin}/photopea.html`)}`);
    const handle = await page.locator('#plugin').elementHandle();
    plugin = (await handle!.contentFrame())!;
    await plugin.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor();
  }, 60_000);

  test('reads the active document with saveToOE, edits it, adds the result with app.open', async () => {
    await plugin.click('[data-testid=read-source]');
    await plugin
      .locator('[data-testid=status]')
      .filter({ hasText: /Photopea document \(300 x 200\): inverted/ })
      .waitFor({ timeout: 90_000 });
    expect(await plugin.locator('[data-testid=error]').count()).toBe(0);
    const scripts: string[] = await page.evaluate(() => (window as unknown as { scripts: string[] }).scripts);
    expect(scripts[0]).toBe('app.activeDocument.saveToOE("png");');

    const box = (await plugin.locator('[data-testid=overlay]').boundingBox())!;
    await plugin.locator('[data-testid=preview]').click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
    await plugin.locator('[data-testid=preview]').click({ position: { x: box.width * 0.6, y: box.height * 0.5 } });
    await plugin.click('[data-testid=run]');
    await plugin
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap|Stopped/ })
      .waitFor({ timeout: 90_000 });
    await screenshot(page, 'photopea-panel.png');

    await plugin.click('[data-testid=apply]');
    await plugin.locator('[data-testid=status]').filter({ hasText: 'Add as layer: done.' }).waitFor();
    const opened: string[] = await page.evaluate(() => (window as unknown as { opened: string[] }).opened);
    expect(opened).toHaveLength(1);
    const png = Buffer.from(opened[0].replace(/^data:image\/png;base64,/, ''), 'base64');
    // back at the size of the square it was cut from (the document's 200 px height)
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([200, 200]);
    const all: string[] = await page.evaluate(() => (window as unknown as { scripts: string[] }).scripts);
    expect(all.at(-1)).toMatch(/l\.name = "DragGAN edit 1"; l\.translate\(50 - Number\(l\.bounds\[0\]\), 0 - /);
  });

  test('opened on its own, not in Photopea, the page says so on arrival and Photopea actions fail at once', async () => {
    const alone = await web.browser.newPage({ viewport: { width: 620, height: 1000 } });
    try {
      await alone.goto(`${web.origin}/photopea.html`);
      await alone
        .locator('[data-testid=not-in-photopea]')
        .filter({ hasText: 'More > Plugins > Add plugin' })
        .waitFor({ timeout: 5_000 });
      await alone.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor();
      const t0 = Date.now();
      await alone.click('[data-testid=read-source]');
      // no wait for a Photopea answer (it was 60 s): only the engine's start comes first
      await alone
        .locator('[data-testid=error]')
        .filter({ hasText: 'open it from Photopea' })
        .waitFor({ timeout: 30_000 });
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(await alone.locator('[data-testid=generate]').isEnabled()).toBe(true);
    } finally {
      await alone.close();
    }
  });
});
