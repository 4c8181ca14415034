/**
 * The web page by keyboard alone, at Photoshop's minimum panel size (300 x 420): Tab reaches the controls, Enter and
 * Space press them, and with the preview focused the arrows, Enter, `[ ]` and Delete place two point pairs, move one
 * marker and delete a pair (PointsController.previewKey); then a drag runs and moves the handle. No mouse event is sent.
 * The action bar keeps to two rows there (the downloads' short words, their full names kept for screen readers); with
 * UPDATE_SCREENSHOTS=1 it writes docs/screenshots/web-300x420.png after the drag.
 */
import type { Page } from 'playwright-core';
import { describeWithBrowser, screenshot, useBrowser } from './browser';
import { openQuick } from './modelPage';
import { actionRows, actionsInView } from './panelChecks';

describeWithBrowser('the web page by keyboard only', () => {
  const web = useBrowser();
  let page: Page;

  beforeAll(async () => {
    page = await web.browser.newPage({ viewport: { width: 300, height: 420 } });
    await openQuick(page, `${web.origin}/`, '128 px');
  }, 60_000);

  /** The data-testid of the element focused inside the panel. */
  const focused = () =>
    page.evaluate(
      () =>
        (document.querySelector('dg-panel')!.shadowRoot!.activeElement as HTMLElement | null)?.dataset.testid ?? null,
    );

  /** Presses Tab until the control is focused, as a keyboard user would; fails if it is never reached. */
  async function tabTo(testid: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if ((await focused()) === testid) return;
    }
    throw new Error(`Tab never reached ${testid}`);
  }

  const press = async (key: string, times = 1) => {
    for (let i = 0; i < times; i++) await page.keyboard.press(key);
  };
  const attr = (sel: string, name: string) => page.locator(`[data-testid=${sel}]`).getAttribute(name).then(Number);
  const marker = async (sel: string) => ({ x: await attr(sel, 'cx'), y: await attr(sel, 'cy') });

  test('at 300 x 420 Run, Stop and Apply are on screen without scrolling, the action bar in two rows', async () => {
    expect(await actionsInView(page)).toEqual({ run: true, stop: true, apply: true });
    expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
    expect(await actionRows(page)).toBeLessThanOrEqual(2);
    // the downloads show short words here; a screen reader still hears what each one downloads
    for (const name of ['Download PNG', 'Download latent (.npy)', 'Download video (.mp4)', 'Download frames (.zip)'])
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(1);
  });

  test('generate, place two pairs, move a target, delete a pair and run a drag, all by keyboard', async () => {
    await tabTo('generate');
    await press('Enter');
    await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });

    await tabTo('preview');
    // the first arrow shows the crosshair at the centre of the 128 px image
    await press('ArrowRight');
    const cursor = page.locator('[data-testid=cursor]');
    expect([await cursor.getAttribute('data-x'), await cursor.getAttribute('data-y')]).toEqual(['64', '64']);
    await press('Shift+ArrowLeft', 3);
    await press('Enter');
    await page.locator('[data-testid=pending]').waitFor();
    await press('Shift+ArrowRight', 2);
    await press('Enter');
    expect(await marker('handle-0')).toEqual({ x: 34, y: 64 });
    expect(await marker('target-0')).toEqual({ x: 54, y: 64 });

    await press('Shift+ArrowDown', 3);
    await press('Enter');
    await press('Shift+ArrowRight', 2);
    await press('Space');
    expect(await marker('handle-1')).toEqual({ x: 54, y: 94 });
    expect(await marker('target-1')).toEqual({ x: 74, y: 94 });

    // ] steps to handle 0, then target 0; Enter picks it up, the arrows carry it, Enter drops it
    await press(']', 2);
    await press('Enter');
    await press('ArrowUp', 5);
    await press('Enter');
    expect(await marker('target-0')).toEqual({ x: 54, y: 59 });
    await expect(page.locator('[data-testid=cursor-label]').textContent()).resolves.toMatch(/Cursor at 54, 59/);

    // ] on to handle 1 selects pair 2; Delete removes it
    await press(']');
    await press('Delete');
    expect(await page.locator('[data-testid=target-1]').count()).toBe(0);
    expect(await marker('target-0')).toEqual({ x: 54, y: 59 });

    await tabTo('run');
    await press('Space');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await marker('handle-0')).not.toEqual({ x: 34, y: 64 });
    expect(await actionsInView(page)).toEqual({ run: true, stop: true, apply: true });
    expect(await actionRows(page)).toBeLessThanOrEqual(2);
    await screenshot(page, 'web-300x420.png');
  });
});
