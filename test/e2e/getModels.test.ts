/**
 * "Get models…" in the web page, against a local server of the test's own (a free port, another origin than the
 * page's) that serves a test checkpoint under a catalog file name, with Range support and faults. The page's
 * catalog is pointed at it by the mirror setting (localStorage draggan.catalog.v1), in ranges of 256 KiB.
 */
import type { Page } from 'playwright-core';
import type { CheckpointServer } from '../helpers/checkpointServer';
import { describeWithBrowser, QUICK_SETTINGS, screenshot, useBrowser } from './browser';
import {
  cancelAfterFirstRange,
  catalogSetting,
  CHUNK,
  openGetModels,
  startCatalogMirror,
  TINY64,
} from './catalogMirror';

describeWithBrowser('Get models… in the web page', () => {
  const web = useBrowser();
  let files: CheckpointServer;
  let page: Page;

  beforeAll(async () => {
    files = await startCatalogMirror();
    page = await web.browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.addInitScript((s) => localStorage.setItem('draggan.settings.v1', s), QUICK_SETTINGS);
    await page.addInitScript((c) => localStorage.setItem('draggan.catalog.v1', c), catalogSetting(files));
    await page.goto(`${web.origin}/`);
    await openGetModels(page);
  }, 60_000);

  afterAll(async () => {
    await files?.close();
  });

  /** What the page's IndexedDB holds for a catalog id: bytes of a partial download, and whether it is installed. */
  const stored = (id: string) =>
    page.evaluate(async (id) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('draggan-models', 1);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const get = <T>(r: IDBRequest<T>) => new Promise<T>((resolve) => (r.onsuccess = () => resolve(r.result)));
      const parts = (await get(
        db
          .transaction('parts')
          .objectStore('parts')
          .getAll(IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER])),
      )) as { blob: Blob }[];
      const model = await get(db.transaction('models').objectStore('models').get(id));
      db.close();
      return { partial: parts.reduce((n, p) => n + p.blob.size, 0), installed: model !== undefined };
    }, id);
  const catalogError = () => page.locator('[data-testid=catalog-error]');

  test('before any download each model shows what it draws, its size, its licence with a link and commercial use; what cannot open says why', async () => {
    const row = page.locator('[data-testid=catalog-sd-elephants-512]');
    await expect(row.textContent()).resolves.toMatch(/Draws elephants; 512 x 512 px; file size not published/);
    expect(await row.locator('a').getAttribute('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(await page.locator('[data-testid=commercial-sd-elephants-512]').textContent()).toBe('yes');
    expect(await page.locator('[data-testid=commercial-stylegan2-ffhq-512]').textContent()).toBe('no');
    expect(await page.locator('[data-testid=cannot-stylegan-human-v1-1024]').textContent()).toMatch(
      /Does not open here: it is a TensorFlow StyleGAN \(version 1\) pickle.*Instead: use a StyleGAN2 model/,
    );
    expect(await page.locator('[data-testid=cannot-stylegan-human-v2-1024]').textContent()).toMatch(
      /Does not open here: it is published as a web page \(https:\/\/drive\.google\.com\/.*\) that a program cannot download from.*save stylegan_human_v2_1024\.pkl, then use Import \.pkl/,
    );
    expect(await page.locator('[data-testid=catalog-get-stylegan-human-v2-1024]').count()).toBe(0);
    // StyleGAN3 (configs T and R) opens: its row offers the download
    expect(await page.locator('[data-testid=catalog-get-stylegan3-t-ffhq-1024]').count()).toBe(1);
    expect(await page.locator('[data-testid=cannot-stylegan3-t-ffhq-1024]').count()).toBe(0);
    await screenshot(page.locator('dg-panel'), 'web-get-models.png');
  });

  test('a dropped connection resumes with a Range request for the missing bytes; the model is then in the picker, open, and generates', async () => {
    files.requests.length = 0;
    // the second range's connection is dropped after 1000 bytes
    files.faults = { dropAfter: [undefined as unknown as number, 1000] };
    await page.click('[data-testid=catalog-get-sd-elephants-512]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Self-distilled Elephants 512: 128 px/ })
      .waitFor({ timeout: 60_000 });
    const ranges = files.requests.map((r) => r.range);
    expect(ranges.slice(0, 3)).toEqual([
      `bytes=0-${CHUNK - 1}`,
      `bytes=${CHUNK}-${2 * CHUNK - 1}`,
      `bytes=${CHUNK}-${2 * CHUNK - 1}`,
    ]);
    expect(await stored('sd-elephants-512')).toEqual({ partial: 0, installed: true });
    expect(await page.locator('[data-testid=model] option:checked').textContent()).toBe(
      'Self-distilled Elephants 512 (downloaded)',
    );
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await page.locator('[data-testid=catalog-remove-sd-elephants-512]').count()).toBe(1);
    await screenshot(page.locator('dg-panel'), 'web-get-models-installed.png');
  });

  test('a file that changes size on the server mid-download is refused, and nothing is left behind', async () => {
    files.faults = { replaceAfter: { requests: 1, bytes: TINY64 } };
    await page.click('[data-testid=catalog-get-sd-giraffes-512]');
    await catalogError()
      .filter({ hasText: /is 545225 bytes, not the 784411 expected: a different or changed file; nothing was kept/ })
      .waitFor({ timeout: 60_000 });
    expect(await stored('sd-giraffes-512')).toEqual({ partial: 0, installed: false });
    expect(await page.locator('[data-testid=model] option').allTextContents()).not.toContain(
      'Self-distilled Giraffes 512 (downloaded)',
    );
  });

  test('a 404 says the file is not there and the way round it', async () => {
    files.faults = {};
    await page.click('[data-testid=catalog-get-sd-lions-512]');
    await catalogError()
      .filter({
        hasText:
          /HTTP 404 Not Found \(the file is not there: the URL may be out of date; download it yourself and use Import \.pkl\)/,
      })
      .waitFor({ timeout: 60_000 });
    expect(await stored('sd-lions-512')).toEqual({ partial: 0, installed: false });
  });

  test('a site whose CORS rules refuse the page: the explanation and the "download it yourself, then Import .pkl" path', async () => {
    files.faults = { noCors: true };
    await page.click('[data-testid=catalog-get-sd-parrots-512]');
    const text = await catalogError().filter({ hasText: /CORS/ }).textContent({ timeout: 60_000 });
    expect(text).toMatch(
      /A web page may download only from sites that allow pages to \(CORS\), and 127\.0\.0\.1:\d+ may not/,
    );
    expect(text).toMatch(
      /Download http:\/\/127\.0\.0\.1:\d+\/parrots_512_pytorch\.pkl yourself, then use Import \.pkl/,
    );
    await catalogError().scrollIntoViewIfNeeded();
    await screenshot(page, 'web-get-models-cors.png');
  });

  test('Cancel keeps what arrived; Download again resumes from there; Remove takes the model out of the picker', async () => {
    await cancelAfterFirstRange(page, files);
    expect(await stored('sd-parrots-512')).toEqual({ partial: CHUNK, installed: false });
    files.faults = {};
    files.requests.length = 0;
    await page.click('[data-testid=catalog-get-sd-parrots-512]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Self-distilled Parrots 512: 128 px/ })
      .waitFor({ timeout: 60_000 });
    expect(files.requests[0].range).toBe(`bytes=${CHUNK}-${2 * CHUNK - 1}`);
    await page.click('[data-testid=catalog-remove-sd-parrots-512]');
    await page.locator('[data-testid=catalog-get-sd-parrots-512]').waitFor();
    expect(await stored('sd-parrots-512')).toEqual({ partial: 0, installed: false });
    expect(await page.locator('[data-testid=model] option').allTextContents()).not.toContain(
      'Self-distilled Parrots 512 (downloaded)',
    );
  });
});
