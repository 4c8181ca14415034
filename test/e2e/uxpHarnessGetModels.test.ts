/**
 * "Get models…" in the Photoshop panel, in the UXP harness (uxpHarness.test.ts: Chromium shaped like UXP, Photoshop
 * and the data folder faked), against a local server of the test's own (a free port) that serves a test checkpoint
 * under catalog file names, with Range support and faults. The panel's catalog is pointed at it by the mirror setting
 * (localStorage draggan.catalog.v1), in ranges of 256 KiB. What the download leaves is read from the fake data folder.
 */
import type { Page } from 'playwright-core';
import type { CheckpointServer } from '../helpers/checkpointServer';
import { describeWithBrowser, screenshot, useBrowser } from './browser';
import {
  cancelAfterFirstRange,
  catalogSetting,
  CHUNK,
  openGetModels,
  startCatalogMirror,
  TINY64,
} from './catalogMirror';
import { DIST, openUxpPanel, type UxpPanel } from './uxp/openUxpPanel';
import { withoutResponseBody } from './uxp/uxpGlobals';

/** The data folder's files (path: bytes) and folders, as the fake holds them. */
function dataFolder(page: Page): Promise<{ files: Record<string, number>; folders: string[] }> {
  return page.evaluate(() => {
    const uxp = (
      globalThis as unknown as { uxpHarness: { uxp: { dataFiles: Map<string, Uint8Array>; dataFolders: Set<string> } } }
    ).uxpHarness.uxp;
    return {
      files: Object.fromEntries([...uxp.dataFiles].map(([p, b]) => [p, b.length])),
      folders: [...uxp.dataFolders].sort(),
    };
  });
}

/** Every file and folder in the data folder whose path names a catalog id. */
async function pathsOf(page: Page, id: string): Promise<string[]> {
  const d = await dataFolder(page);
  return [...Object.keys(d.files), ...d.folders].filter((p) => p.includes(id)).sort();
}

describeWithBrowser('Get models… in the Photoshop panel (UXP harness)', () => {
  const web = useBrowser(DIST, 'uxp', 'uxp-harness');
  let files: CheckpointServer;

  beforeAll(async () => {
    files = await startCatalogMirror();
  }, 60_000);

  afterAll(async () => {
    await files?.close();
  });

  async function openWithCatalog(alsoBefore?: () => void): Promise<UxpPanel> {
    const h = await openUxpPanel(web.browser, web.origin, {
      alsoBefore,
      storage: { 'draggan.catalog.v1': catalogSetting(files) },
    });
    await openGetModels(h.page);
    return h;
  }

  /** Waits for the downloaded model to be open, then generates with it. */
  async function opensAndGenerates(page: Page, title: string): Promise<void> {
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: new RegExp(`${title}: 128 px`) })
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=model] option:checked').textContent()).toBe(`${title} (downloaded)`);
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
  }

  describe('one panel: faults', () => {
    let h: UxpPanel;
    beforeAll(async () => {
      h = await openWithCatalog();
    });
    afterAll(async () => {
      expect(h.errors).toEqual([]);
      await h.page.close();
    });
    const catalogError = () => h.page.locator('[data-testid=catalog-error]');

    test('a dropped connection resumes with a Range request for the missing bytes; the model is installed in the data folder under its title, opens and generates', async () => {
      files.requests.length = 0;
      // the second range's connection is dropped after 1000 bytes
      files.faults = { dropAfter: [undefined as unknown as number, 1000] };
      await h.page.click('[data-testid=catalog-get-sd-elephants-512]');
      await opensAndGenerates(h.page, 'Self-distilled Elephants 512');
      const ranges = files.requests.map((r) => r.range);
      expect(ranges.slice(0, 3)).toEqual([
        `bytes=0-${CHUNK - 1}`,
        `bytes=${CHUNK}-${2 * CHUNK - 1}`,
        `bytes=${CHUNK}-${2 * CHUNK - 1}`,
      ]);
      // the model folder, whole; no partial download and no staging folder left
      expect((await pathsOf(h.page, 'sd-elephants-512')).filter((p) => !/^models\/sd-elephants-512$/.test(p))).toEqual([
        'models/sd-elephants-512/model.json',
        'models/sd-elephants-512/weights.safetensors',
      ]);
      expect(await h.page.locator('[data-testid=catalog-remove-sd-elephants-512]').count()).toBe(1);
      await h.page.locator('[data-testid=catalog-sd-elephants-512]').scrollIntoViewIfNeeded();
      await screenshot(h.page.locator('dg-panel'), 'uxp-get-models.png');
    });

    test('a file that changes size on the server mid-download is refused, and nothing is left in the data folder', async () => {
      files.faults = { replaceAfter: { requests: 1, bytes: TINY64 } };
      await h.page.click('[data-testid=catalog-get-sd-giraffes-512]');
      await catalogError()
        .filter({ hasText: /is 545225 bytes, not the 784411 expected: a different or changed file; nothing was kept/ })
        .waitFor({ timeout: 60_000 });
      expect(await pathsOf(h.page, 'giraffes')).toEqual([]);
      expect(await h.page.locator('[data-testid=model] option').allTextContents()).not.toContain(
        'Self-distilled Giraffes 512 (downloaded)',
      );
    });

    test('a 404 says the file is not there and the way round it; nothing is left', async () => {
      files.faults = {};
      await h.page.click('[data-testid=catalog-get-sd-lions-512]');
      await catalogError()
        .filter({
          hasText:
            /HTTP 404 Not Found \(the file is not there: the URL may be out of date; download it yourself and use Import \.pkl\)/,
        })
        .waitFor({ timeout: 60_000 });
      expect(await pathsOf(h.page, 'lions')).toEqual([]);
    });

    test('Cancel keeps what arrived in the data folder; Download again resumes from there; Remove leaves nothing', async () => {
      await cancelAfterFirstRange(h.page, files);
      expect((await dataFolder(h.page)).files).toMatchObject({
        'downloads/sd-parrots-512--parrots_512_pytorch.pkl.partial': CHUNK,
      });
      expect((await pathsOf(h.page, 'parrots')).filter((p) => p.startsWith('models/'))).toEqual([]);
      files.faults = {};
      files.requests.length = 0;
      await h.page.click('[data-testid=catalog-get-sd-parrots-512]');
      await opensAndGenerates(h.page, 'Self-distilled Parrots 512');
      expect(files.requests[0].range).toBe(`bytes=${CHUNK}-${2 * CHUNK - 1}`);
      expect(
        (await pathsOf(h.page, 'parrots')).filter((p) => p.startsWith('downloads/') || p.includes('.partial')),
      ).toEqual([]);
      await h.page.click('[data-testid=catalog-remove-sd-parrots-512]');
      await h.page.locator('[data-testid=catalog-get-sd-parrots-512]').waitFor();
      expect(await pathsOf(h.page, 'parrots')).toEqual([]);
      expect(await h.page.locator('[data-testid=model] option').allTextContents()).not.toContain(
        'Self-distilled Parrots 512 (downloaded)',
      );
    });
  });

  test('UXP before 7.3 (no Response.body): the download, in ranges read with arrayBuffer(), installs, opens and generates', async () => {
    const h = await openWithCatalog(withoutResponseBody);
    expect(await h.page.evaluate(async () => 'body' in (await fetch(location.href)))).toBe(false);
    files.faults = { dropAfter: [undefined as unknown as number, 1000] };
    await h.page.click('[data-testid=catalog-get-sd-elephants-512]');
    await opensAndGenerates(h.page, 'Self-distilled Elephants 512');
    expect(Object.keys((await dataFolder(h.page)).files).sort()).toEqual([
      'models/sd-elephants-512/model.json',
      'models/sd-elephants-512/weights.safetensors',
    ]);
    expect(h.errors).toEqual([]);
    await h.page.close();
  });
});
