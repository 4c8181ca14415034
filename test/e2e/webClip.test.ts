/**
 * "Open video/frames…" on the standalone page, as a person uses it in Chromium: an MP4 made by the project (a face
 * turning, drawn by the bundled model) opened, its first frame inverted, a handle and target placed on it, the clip
 * dragged with a progress bar per stage, and the result downloaded as an MP4 that plays with one frame per input frame.
 */
import { readFileSync } from 'fs';
import type { Page } from 'playwright-core';
import { BUILD_TIMEOUT_MS } from '../helpers/ensureBuilt';
import { turningClipMp4 } from '../helpers/turningClip';
import { describeWithBrowser, screenshot, useBrowser } from './browser';
import { openQuick } from './modelPage';
import { placePair } from './placePair';
import { playVideo } from './playVideo';

/** The clip's frames: few and small, as this machine's cores are shared. */
const FRAMES = 6;

describeWithBrowser('a clip dragged in the web page', () => {
  const web = useBrowser();
  let page: Page;
  let clip: Buffer;

  beforeAll(async () => {
    clip = (await turningClipMp4(FRAMES)).mp4;
    page = await web.browser.newPage({ viewport: { width: 640, height: 1100 }, acceptDownloads: true });
    await openQuick(page, `${web.origin}/`, '128 px');
  }, BUILD_TIMEOUT_MS + 120_000);

  const status = () => page.locator('[data-testid=status]');

  test('open an MP4, place a pair on the key frame, drag the clip, download an MP4 of every frame', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=open-clip]')]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles({ name: 'turning.mp4', mimeType: 'video/mp4', buffer: clip });
    await status()
      .filter({ hasText: /frame 1 of turning\.mp4 \(6 frames\).*Place points on this key frame/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=clip-key]').getAttribute('max')).toBe(String(FRAMES));

    // the right mouth corner up and out, as `draggan video`'s test drags it
    await placePair(page, [74, 79], [82, 76], 128);

    // every progress label the run shows, recorded by the page (a stage can pass between two polls)
    await page.evaluate(() => {
      const root = document.querySelector('dg-panel')!.shadowRoot!;
      const w = window as unknown as { labels: Set<string> };
      w.labels = new Set();
      new MutationObserver(() => {
        const label = root.querySelector('[data-testid=progress]')?.getAttribute('aria-label');
        if (label) w.labels.add(label.replace(/\d+ of \d+/, 'N of M'));
      }).observe(root, { childList: true, subtree: true, attributes: true });
    });
    await page.click('[data-testid=run-clip]');
    // the run is over when the clip's result shows, or an error does; the status then says what came of it
    await page.locator('[data-testid=clip-video], [data-testid=error]').first().waitFor({ timeout: 300_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await status().textContent()).toMatch(
      /^Done: 6 of 6 frames of turning\.mp4 \(6 frames\) dragged; every handle at least \d+% of the way; flicker x[\d.]+ of the input's\.$/,
    );
    const labels = await page.evaluate(() => [...(window as unknown as { labels: Set<string> }).labels]);
    expect(labels).toEqual(expect.arrayContaining(['Inverting frame N of M', 'Dragging frame N of M']));
    await screenshot(page, 'web-clip.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-clip]')]);
    expect(download.suggestedFilename()).toBe('draggan-clip.mp4');
    const video = readFileSync((await download.path())!);
    const played = await playVideo(web.browser, video);
    expect(played).toMatchObject({ width: 128, height: 128, frames: FRAMES });
  }, 420_000);

  test('Stop during a clip drag ends it and says so', async () => {
    await page.click('[data-testid=run-clip]');
    await page.click('[data-testid=stop]');
    await status()
      .filter({ hasText: /^Stopped/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=run-clip]').isEnabled()).toBe(true);
  }, 120_000);
});
