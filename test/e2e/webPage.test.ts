/** The standalone page in Chromium, by mouse: generate, place a handle and a target, run, stop, download. */

/** A 64 x 48 "photo" (red left half, blue right half) as PNG bytes, for the picker and for dropping. */
function photo(): Buffer {
  const width = 64;
  const height = 48;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++)
    data.set(i % width < width / 2 ? [210, 30, 30, 255] : [30, 60, 210, 255], i * 4);
  return Buffer.from(encodePng({ width, height, data }));
}

/** A zip's entries from its central directory: name, CRC-32 and MS-DOS date as y-m-d. */
function zipEntries(zip: Buffer): { name: string; crc: number; date: string }[] {
  const end = zip.length - 22;
  let p = zip.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const d = zip.readUInt16LE(p + 14);
    const nameLen = zip.readUInt16LE(p + 28);
    out.push({
      name: zip.subarray(p + 46, p + 46 + nameLen).toString(),
      crc: zip.readUInt32LE(p + 16),
      date: `${1980 + (d >> 9)}-${(d >> 5) & 15}-${d & 31}`,
    });
    p += 46 + nameLen;
  }
  return out;
}

import { readFileSync } from 'fs';
import { join } from 'path';
import { pngBomb } from '../model/bombs/recipes';
import type { Page } from 'playwright-core';
import { encodePng } from '../../plugin/ui/pngDataUrl';
import { describeWithBrowser, screenshot, useBrowser, WEB_DIST } from './browser';
import { frameTimeline } from '../../plugin/engine/frameTimeline';
import { playVideo } from './playVideo';
import { openQuick } from './modelPage';
import { confirmAndInvert, pickPng } from './openPicture';

describeWithBrowser('the web page', () => {
  const web = useBrowser();
  let page: Page;

  beforeAll(async () => {
    page = await web.browser.newPage({ viewport: { width: 640, height: 1000 }, acceptDownloads: true });
    await openQuick(page, `${web.origin}/`, '128 px');
  }, 60_000);

  const status = () => page.locator('[data-testid=status]').textContent();
  /** Drops a PNG file on the page as a file manager would. */
  const drop = (name: string, bytes: Buffer) =>
    page.evaluate(
      ({ name, b64 }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'image/png' }));
        document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { name, b64: bytes.toString('base64') },
    );
  const imageSrc = () => page.locator('[data-testid=preview-image]').getAttribute('src');

  test('generate, click a handle and a target, run: the handle moves and the image changes', async () => {
    await page.locator('[data-testid=seed]').fill('7');
    await page.locator('[data-testid=seed]').dispatchEvent('change');
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor();
    const before = await imageSrc();

    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.locator('[data-testid=pending]').waitFor();
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.5);
    await page.locator('[data-testid=target-0]').waitFor();
    const handleX = Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'));
    expect(handleX).toBeCloseTo(38, 0);

    // the live tracked marker shows during the run; a 12-step run can end before a poll sees it, so the page records it
    await page.evaluate(() => {
      const root = document.querySelector('dg-panel')!.shadowRoot!;
      const w = window as unknown as { sawTracked: boolean };
      w.sawTracked = false;
      new MutationObserver(() => (w.sawTracked ||= root.querySelector('[data-testid=tracked-0]') !== null)).observe(
        root,
        { childList: true, subtree: true, attributes: true },
      );
    });
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 90_000 });
    expect(await page.evaluate(() => (window as unknown as { sawTracked: boolean }).sawTracked)).toBe(true);
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await imageSrc()).not.toBe(before);
    const after = Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'));
    expect(after).not.toBe(handleX);
    await page.locator('[data-testid=history-0]').waitFor();
    await screenshot(page, 'web-panel.png');
  });

  test('Open image with a PNG declaring 20000x20000: refused from its header, naming the limit', async () => {
    await pickPng(page, 'bomb.png', Buffer.from(pngBomb()));
    const error = page.locator('[data-testid=error]');
    await error
      .filter({ hasText: /20000x20000 \(400\.0 megapixels\), over the decoder's limit of 50\.0 megapixels/ })
      .waitFor({ timeout: 30_000 });
  });

  test('a damaged image is the user\'s to fix: what is wrong with the file, never "an internal error"', async () => {
    const open = (name: string, buffer: Buffer) => pickPng(page, name, buffer);
    const error = page.locator('[data-testid=error]');
    // not an image at all: the browser's decoder refuses it
    await open('notes.png', Buffer.from('these are not the pixels you are looking for'));
    await error
      .filter({ hasText: /^Cannot open notes\.png: it is damaged, or not an image format this browser reads/ })
      .waitFor({ timeout: 30_000 });
    // a PNG cut short inside its header
    await open('cut.png', Buffer.from(pngBomb()).subarray(0, 20));
    await error
      .filter({ hasText: /^Cannot open cut\.png: invalid PNG: file is truncated/ })
      .waitFor({ timeout: 30_000 });
    expect(await error.textContent()).not.toMatch(/internal error/);
  });

  test('Stop ends a long run', async () => {
    await page.click('[data-testid=toggle-settings]');
    await page.locator('[data-testid=setting-maxSteps]').fill('2000');
    await page.locator('[data-testid=setting-maxSteps]').dispatchEvent('change');
    await screenshot(page, 'web-settings.png');
    await page.click('[data-testid=toggle-settings]');
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Step \d+/ })
      .waitFor();
    await page.click('[data-testid=stop]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Stopped after \d+ steps/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=run]').isEnabled()).toBe(true);
  });

  test('downloads: the PNG and the latent', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=apply]')]);
    expect(png.suggestedFilename()).toMatch(/^draggan-edit-\d+\.png$/);
    const bytes = readFileSync((await png.path())!);
    expect([...bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(bytes.readUInt32BE(16)).toBe(128);
    const [npy] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=action-latent]')]);
    expect(npy.suggestedFilename()).toBe('draggan-latent.npy');
    expect(
      readFileSync((await npy.path())!)
        .subarray(1, 6)
        .toString(),
    ).toBe('NUMPY');
  });

  test('the frames zip: one entry per previewed step, none repeated, dated today', async () => {
    const [zip] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=action-frames]')]);
    expect(zip.suggestedFilename()).toBe('draggan-frames.zip');
    const entries = zipEntries(readFileSync((await zip.path())!));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((e) => e.name)).toEqual(entries.map((_, i) => `frame-${String(i).padStart(4, '0')}.png`));
    // each step's frame once: consecutive frames of a drag differ
    for (let i = 1; i < entries.length; i++) expect(entries[i].crc).not.toBe(entries[i - 1].crc);
    const today = new Date();
    for (const e of entries) expect(e.date).toBe(`${today.getFullYear()}-${today.getMonth() + 1}-${today.getDate()}`);
  });

  test("the video: an MP4 made in the worker that plays in Chromium with every frame of the drag's timeline, as Ease and Loop say", async () => {
    const [zip] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=action-frames]')]);
    const frames = zipEntries(readFileSync((await zip.path())!)).length;
    const playedFrames = async () => {
      const [video] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=action-video]')]);
      expect(video.suggestedFilename()).toBe('draggan-drag.mp4');
      expect(await page.locator('[data-testid=error]').count()).toBe(0);
      return playVideo(web.browser, readFileSync((await video.path())!));
    };
    const ease = page.locator('[data-testid=setting-ease]');
    const loop = page.locator('[data-testid=setting-loop]');
    // as before: eased and looped
    expect([await ease.isChecked(), await loop.isChecked()]).toEqual([true, true]);
    expect(await playedFrames()).toMatchObject({
      width: 128,
      frames: frameTimeline(frames, { ease: true, loop: true }).length,
    });
    // plain: the drag's frames, each once
    await ease.uncheck();
    await loop.uncheck();
    expect((await playedFrames()).frames).toBe(frames);
    // looped only: forward then back, the ends not repeated
    await loop.check();
    expect((await playedFrames()).frames).toBe(2 * frames - 2);
    await ease.check();
    // the page's own bundle does not carry the encoder: it ran in the worker
    expect(readFileSync(join(WEB_DIST, 'bundle.js'), 'utf8')).not.toMatch(/createH264MP4Encoder/);
    expect(readFileSync(join(WEB_DIST, 'engineWorker.js'), 'utf8')).toMatch(/createH264MP4Encoder/);
  }, 180_000);

  test('mask painting shows an overlay; Esc cancels a half-placed pair', async () => {
    await page.click('[data-testid=mode-mask]');
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.move(box.x + 50, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 80, { steps: 5 });
    await page.mouse.up();
    await page.locator('[data-testid=mask-overlay]').waitFor();
    await screenshot(page, 'web-mask.png');
    await page.click('[data-testid=clear-mask]');
    await page.click('[data-testid=mode-points]');
    await page.mouse.click(box.x + 20, box.y + 400);
    await page.locator('[data-testid=pending]').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid=pending]').count()).toBe(0);
    expect(await status()).toBeTruthy();
  });

  test('a photo dropped during a run is refused in place and does not replace the next "Open image…"', async () => {
    // the step cap is 2000 since the Stop test: a long run
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Step \d+/ })
      .waitFor();
    await drop('late.png', photo());
    await page
      .locator('[data-testid=error]')
      .filter({ hasText: 'The dropped file late.png was not opened: dragging is still under way' })
      .waitFor();
    expect(await page.locator('[data-testid=stop]').isEnabled()).toBe(true);
    await page.click('[data-testid=stop]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Stopped after \d+ steps/ })
      .waitFor({ timeout: 30_000 });
    // the picker opens: the refused file is not used in its place
    await pickPng(page, 'picked.png', photo());
    // the drags since the last download would be lost: the panel asks, and "keep" keeps them
    const confirm = page.locator('[data-testid=confirm]');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(
      /Opening picked\.png \(64 x 48\) starts afresh: the edited image and its \d+ earlier results? will be gone/,
    );
    const kept = await imageSrc();
    await page.click('[data-testid=confirm-no]');
    await page.locator('[data-testid=read-source]').and(page.locator(':enabled')).waitFor();
    expect(await imageSrc()).toBe(kept);
    expect(await page.locator('[data-testid=history-0]').count()).toBe(1);
    await pickPng(page, 'picked.png', photo());
    await confirmAndInvert(page, 'picked.png', '64 x 48');
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
  });

  test("a newly opened or dropped photo starts without the previous image's points", async () => {
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.3);
    await page.locator('[data-testid=target-0]').waitFor();
    await drop('dropped.png', photo());
    // the photo before was inverted (a minute's work on a large model): asked first
    await confirmAndInvert(page, 'dropped.png', '64 x 48');
    expect(await page.locator('[data-testid=handle-0]').count()).toBe(0);
    expect(await page.locator('[data-testid=target-0]').count()).toBe(0);
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
  });

  test('an empty seed field draws a new seed at each Generate, said in the status line; a long seed shows whole', async () => {
    const seedField = page.locator('[data-testid=seed]');
    await seedField.fill('');
    await seedField.dispatchEvent('change');
    const generated = async () => {
      await page.click('[data-testid=generate]');
      await page.locator('[data-testid=generate]').and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-testid=error]').count()).toBe(0);
      return /Seed (\d+), computed on/.exec((await page.locator('[data-testid=status]').textContent()) ?? '')?.[1];
    };
    // the page still shows the image read before: a new one replaces it only when the user says so
    await page.click('[data-testid=generate]');
    await page
      .locator('[data-testid=confirm]')
      .filter({ hasText: 'A new image starts afresh: the image read from the host will be gone' })
      .waitFor();
    await page.click('[data-testid=confirm-yes]');
    await page.locator('[data-testid=generate]').and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
    const first = await generated();
    const second = await generated();
    expect(first).toMatch(/^\d+$/);
    expect(second).toMatch(/^\d+$/);
    expect(second).not.toBe(first);
    expect(await seedField.inputValue()).toBe('');
    // the largest seed fits its field
    await seedField.fill('4294967295');
    await seedField.dispatchEvent('change');
    expect(await seedField.evaluate((i: HTMLInputElement) => i.scrollWidth <= i.clientWidth)).toBe(true);
  });

  test('the robust method, chosen in the settings, drags in the page: the handle moves, the image changes', async () => {
    await page.locator('[data-testid=seed]').fill('7');
    await page.locator('[data-testid=seed]').dispatchEvent('change');
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=generate]').and(page.locator(':enabled')).waitFor();
    await page.click('[data-testid=toggle-settings]');
    await page.locator('[data-testid=setting-maxSteps]').fill('12');
    await page.locator('[data-testid=setting-maxSteps]').dispatchEvent('change');
    await page.locator('[data-testid=setting-method]').selectOption('robust');
    await page.click('[data-testid=toggle-settings]');
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.45);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4);
    const handleX = Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'));
    const before = await imageSrc();
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(await imageSrc()).not.toBe(before);
    expect(Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'))).not.toBe(handleX);
    await page.click('[data-testid=toggle-settings]');
    await page.locator('[data-testid=setting-method]').selectOption('draggan');
    await page.click('[data-testid=toggle-settings]');
  });

  test('Backspace typed in a field edits the field and leaves the selected pair; on the panel it deletes the pair', async () => {
    const targets = () => page.locator('[data-testid^=target-]').count();
    const before = await targets();
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.9);
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.9);
    // the new pair is the selected one
    await page.locator(`[data-testid=target-${before}]`).waitFor();
    const seed = page.locator('[data-testid=seed]');
    await seed.fill('1234');
    await seed.press('Backspace');
    await seed.press('Delete');
    expect(await seed.inputValue()).toBe('123');
    expect(await targets()).toBe(before + 1);
    await page.locator('dg-panel').focus();
    await page.keyboard.press('Delete');
    expect(await targets()).toBe(before);
  });

  test('an official .pkl picked in the page is imported in the worker from the File, slice by slice', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=import]')]);
    await chooser.setFiles(join(__dirname, '../fixtures/checkpoints/tiny64.pkl'));
    await page.locator('[data-testid=status]').filter({ hasText: 'tiny64: 64 px' }).waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
  });
});
