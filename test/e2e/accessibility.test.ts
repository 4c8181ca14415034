/**
 * The web page's panel for keyboard and screen-reader users, checked by axe-core (Deque's rules engine, run in
 * Chromium over the panel's open shadow root) after an image and a point pair exist and with Settings open, in the
 * dark and the light colour scheme: no critical or serious violations, plus the roles a screen reader needs that axe
 * cannot ask for by itself.
 */
import type { Page } from 'playwright-core';
import { describeWithBrowser, useBrowser } from './browser';
import { openQuick } from './modelPage';
import { axeViolations } from './panelChecks';

// both colour schemes: the panel's palette follows prefers-color-scheme (panelStyles.ts), and each must keep AA contrast
for (const colorScheme of ['dark', 'light'] as const)
  describeWithBrowser(`the web page, for keyboard and screen-reader users (${colorScheme} scheme)`, () => {
    const web = useBrowser();
    let page: Page;

    beforeAll(async () => {
      page = await web.browser.newPage({ viewport: { width: 640, height: 1000 }, colorScheme });
      await openQuick(page, `${web.origin}/`, '128 px');
      await page.click('[data-testid=generate]');
      await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });
      const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
      await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
      await page.click('[data-testid=toggle-settings]');
    }, 60_000);

    test('axe-core finds no critical or serious violations', async () => {
      const bad = (await axeViolations(page)).filter((v) => v.impact === 'critical' || v.impact === 'serious');
      expect(
        bad.map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`),
      ).toEqual([]);
    });

    test('the status is a live region, the overlay and the toggles are named, the psi field has a name', async () => {
      const status = page.locator('[data-testid=status]');
      expect(await status.getAttribute('role')).toBe('status');
      expect(await page.getByRole('img', { name: /1 point pair: click to place a handle/ }).count()).toBe(1);
      expect(await page.locator('[data-testid=mode-points]').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('[data-testid=mode-mask]').getAttribute('aria-pressed')).toBe('false');
      expect(await page.locator('[data-testid=toggle-settings]').getAttribute('aria-expanded')).toBe('true');
      expect(await page.getByRole('spinbutton', { name: /truncation/i }).count()).toBe(1);
    });

    test('during a run the progress bar is a progressbar with its value', async () => {
      // a 12-step run can end before a poll sees the bar: the page records it as it appears
      await page.evaluate(() => {
        const root = document.querySelector('dg-panel')!.shadowRoot!;
        const w = window as unknown as { bar: Record<string, string | null> | null };
        w.bar = null;
        new MutationObserver(() => {
          const el = root.querySelector('[data-testid=progress]');
          if (el && !w.bar)
            w.bar = Object.fromEntries(
              ['role', 'aria-valuemin', 'aria-valuemax', 'aria-valuenow', 'aria-label'].map((a) => [
                a,
                el.getAttribute(a),
              ]),
            );
        }).observe(root, { childList: true, subtree: true });
      });
      await page.click('[data-testid=run]');
      await page
        .locator('[data-testid=status]')
        .filter({ hasText: /Done|step cap|Stopped/ })
        .waitFor({ timeout: 90_000 });
      const bar = await page.evaluate(() => (window as unknown as { bar: Record<string, string | null> | null }).bar);
      expect(bar).toMatchObject({ role: 'progressbar', 'aria-valuemin': '0' });
      expect(Number(bar!['aria-valuemax'])).toBeGreaterThan(0);
      expect(bar!['aria-valuenow']).toMatch(/^\d+$/);
      expect(bar!['aria-label']).toBeTruthy();
    });

    test('history thumbnails are buttons a keyboard reaches', async () => {
      const thumb = page.locator('[data-testid=history-0]');
      await thumb.waitFor();
      await thumb.focus();
      expect(await thumb.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    });
  });
