/**
 * The built pages under their Content-Security-Policy, in Chromium: the page still loads its model and generates,
 * an inline script does not run, and `?model=` naming another site (or a data: URL) is refused with a message.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { describeWithBrowser, QUICK_SETTINGS, useBrowser, WEB_DIST } from './browser';

describeWithBrowser("the pages' Content-Security-Policy and ?model=", () => {
  const web = useBrowser();

  /** A page that records the policy's refusals (securitypolicyviolation events) in window.__violations. */
  async function open(path: string): Promise<Page> {
    const page = await web.browser.newPage();
    await page.addInitScript((s) => {
      localStorage.setItem('draggan.settings.v1', s);
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
    }, QUICK_SETTINGS);
    await page.goto(`${web.origin}${path}`);
    return page;
  }
  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

  test('both built pages carry a policy that allows no inline script', () => {
    for (const file of ['index.html', 'photopea.html']) {
      const html = readFileSync(join(WEB_DIST, file), 'utf8');
      const csp = /<meta http-equiv="?Content-Security-Policy"? content="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
      expect(csp).not.toMatch(/unsafe-inline'[^;]*;[^;]*script|script-src[^;]*unsafe-inline/);
    }
  });

  test('under the policy the page loads its model and generates; an inline script is refused', async () => {
    const page = await open('/');
    await page.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor({ timeout: 60_000 });
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });
    expect(await violations(page)).toEqual([]);
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
    });
    expect(ran).toBe(false);
    expect(await violations(page)).toEqual(['script-src-elem inline']);
    await page.close();
  }, 120_000);

  test.each([
    ['another site', 'https://other.example/x'],
    ['a data: URL', 'data:application/json,{}'],
  ])(
    '?model= naming %s: refused, with the reason under the status line',
    async (_what, url) => {
      const page = await open(`/?model=${encodeURIComponent(url)}`);
      // the panel's error line, under the status
      const error = page.locator('[data-testid=error]');
      await error.filter({ hasText: /is not on this page's own site/ }).waitFor({ timeout: 30_000 });
      expect(await error.textContent()).toContain(
        `The model folder ${url}/ is not on this page's own site (${web.origin})`,
      );
      await page.close();
    },
    60_000,
  );
});
