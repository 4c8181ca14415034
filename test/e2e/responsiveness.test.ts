/**
 * The page stays responsive while the engine works: the engine runs in a Web Worker, so Generate, a drag and an
 * inversion leave the main thread free (no long task over 50 ms), Stop takes effect within 300 ms, and a stopped
 * inversion keeps the best fit so far. Measured in Chromium with PerformanceObserver('longtask').
 */
import { mkdtempSync, writeFileSync } from 'fs';
import type { Server } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { describeWithBrowser, launch, serve } from './browser';

/** A 300 x 200 test card (RGB): smooth colour gradients with a dark disc, enough for a projection to fit. */
function testCard(): string {
  const w = 300;
  const h = 200;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const disc = Math.hypot(x - 150, y - 100) < 45;
      rgb[i] = disc ? 40 : Math.round((255 * x) / w);
      rgb[i + 1] = disc ? 30 : Math.round((255 * y) / h);
      rgb[i + 2] = disc ? 60 : 160;
    }
  }
  const file = join(mkdtempSync(join(tmpdir(), 'draggan-e2e-')), 'card.png');
  writeFileSync(file, encodePng({ width: w, height: h, channels: 3, data: rgb }));
  return file;
}

/** Clicks a button of the panel and returns the ms until the status line matches `done`. */
async function clickAndTime(page: Page, testId: string, done: RegExp): Promise<number> {
  return page.evaluate(
    async ({ testId, source }) => {
      const root = document.querySelector('dg-panel')!.shadowRoot!;
      const pattern = new RegExp(source);
      const t0 = performance.now();
      (root.querySelector(`[data-testid=${testId}]`) as HTMLButtonElement).click();
      return new Promise<number>((resolve) => {
        const check = () => (pattern.test(root.querySelector('[data-testid=status]')?.textContent ?? '') ? resolve(performance.now() - t0) : requestAnimationFrame(check));
        check();
      });
    },
    { testId, source: done.source },
  );
}

describeWithBrowser('the page while the engine works', () => {
  let browser: Browser;
  let server: Server;
  let page: Page;
  let loadedAt = 0;

  beforeAll(async () => {
    let origin: string;
    ({ server, origin } = await serve());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 640, height: 1000 } });
    await page.addInitScript(() => {
      localStorage.setItem('draggan.settings.v1', JSON.stringify({ maxSteps: 2000, previewEvery: 2, lr: 0.05, invertSteps: 2000 }));
      const tasks: { start: number; duration: number }[] = [];
      (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${origin}/`);
    await page.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor({ timeout: 60_000 });
    loadedAt = await page.evaluate(() => performance.now());
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  test('the first Generate shows a busy state at once and the image arrives', async () => {
    await page.click('[data-testid=generate]');
    expect(await page.locator('[data-testid=generate]').isDisabled()).toBe(true);
    await page.locator('[data-testid=preview-image]').waitFor();
    await page.locator('[data-testid=generate]').and(page.locator(':enabled')).waitFor();
  });

  test('a long drag: Stop takes effect within 300 ms and the result is kept', async () => {
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.2);
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=status]').filter({ hasText: /Step [3-9]\d* / }).waitFor({ timeout: 60_000 });
    const ms = await clickAndTime(page, 'stop', /Stopped after \d+ steps/);
    expect(ms).toBeLessThan(300);
    expect(await page.locator('[data-testid=run]').isEnabled()).toBe(true);
    await page.locator('[data-testid=history-0]').waitFor();
  });

  test('an inversion shows progress and, stopped, keeps the best fit so far', async () => {
    const card = testCard();
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-testid=read-source]');
    await (await chooser).setFiles(card);
    await page.locator('[data-testid=status]').filter({ hasText: /Inverting card\.png.*PSNR/ }).waitFor({ timeout: 100_000 });
    const width = async () => Number((await page.locator('[data-testid=progress] div').getAttribute('style'))?.match(/width: ([\d.]+)%/)?.[1] ?? 0);
    const before = await width();
    await page.waitForFunction(
      (w) => {
        const bar = document.querySelector('dg-panel')?.shadowRoot?.querySelector('[data-testid=progress] div') as HTMLElement | null;
        return bar !== null && parseFloat(bar.style.width) > w;
      },
      before,
      { timeout: 30_000 },
    );
    const ms = await clickAndTime(page, 'stop', /stopped after \d+ steps, keeping the best fit, [\d.]+ dB PSNR/);
    expect(ms).toBeLessThan(300);
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    await page.locator('[data-testid=preview-image]').waitFor();
    // the worker stopped too (it reads its messages between graph runs): the next request is not queued behind
    // the rest of a 2000-step inversion
    const t0 = Date.now();
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=status]').filter({ hasText: /^Seed \d+ on / }).waitFor({ timeout: 20_000 });
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 200_000);
  test('no main-thread task took over 50 ms after the page had loaded', async () => {
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks);
    const late = tasks.filter((t) => t.start >= loadedAt);
    expect(late.filter((t) => t.duration > 50)).toEqual([]);
  });
});
