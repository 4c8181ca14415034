/**
 * The web page on an endpoint started without --allow-origin for it (the browser refuses the page's requests after
 * the CORS preflight): the message names the exact flag to pass, Generate is off instead of failing with something
 * else, and after a reload the page opens on the engine that worked, not on the endpoint.
 */
import { startTestServer, type TestServer } from '../server/harness';
import { describeWithBrowser, QUICK_SETTINGS, useBrowser } from './browser';

describeWithBrowser('the web page on an endpoint that does not allow it', () => {
  const web = useBrowser();
  let api: TestServer;

  beforeAll(async () => {
    api = await startTestServer({ token: 'tok-5678', warmUp: false });
  }, 60_000);

  afterAll(async () => {
    await api?.shutdown();
    await api?.release();
  });

  test('the message names --allow-origin <this page>, Generate is off, and the choice is not kept', async () => {
    const page = await web.browser.newPage({ viewport: { width: 640, height: 1000 } });
    await page.addInitScript((s) => {
      if (!sessionStorage.getItem('seeded')) localStorage.setItem('draggan.settings.v1', s);
      sessionStorage.setItem('seeded', '1');
    }, QUICK_SETTINGS);
    await page.goto(`${web.origin}/`);
    await page.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor({ timeout: 60_000 });
    await page.click('[data-testid=toggle-settings]');
    await page.locator('[data-testid=setting-backend]').selectOption('remote');
    await page.locator('[data-testid=setting-remoteUrl]').fill(api.url);
    await page.locator('[data-testid=setting-remoteUrl]').dispatchEvent('change');
    const error = page.locator('[data-testid=error]');
    await error
      .filter({ hasText: `start it with --allow-origin ${web.origin} so that this page may call it` })
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=generate]').isDisabled()).toBe(true);
    await page.reload();
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: "128 px, computed on this computer's processor" })
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    await page.close();
  });
});
