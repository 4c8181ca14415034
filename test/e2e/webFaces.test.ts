/**
 * The web page's face flow in Chromium, on the bundled model (a face model: its card names its own face finder and
 * framing): open a picture with one of its faces turned and scaled over a busy background -> the face is found and
 * its aligned crop shown -> invert -> the smile preset places two pairs -> drag -> Download gives the whole picture
 * at its own size, changed only where the edit applies.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { parseModelPackage } from '../../plugin/model/modelPackage';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { zFromSeed } from '../../plugin/stylegan2/latentSeed';
import { encodePng } from '../../plugin/ui/pngDataUrl';
import { BUILD_TIMEOUT_MS } from '../helpers/ensureBuilt';
import { placeFace } from '../faces/placedFace';
import { describeWithBrowser, screenshot, useBrowser } from './browser';

const ROOT = join(__dirname, '..', '..');
const W = 360;
const H = 280;

async function facePicture(): Promise<{ png: Buffer; rgba: Uint8ClampedArray }> {
  const bundled = join(ROOT, 'models/bundled');
  const gen = new Generator(
    parseModelPackage(
      readFileSync(join(bundled, 'model.json'), 'utf8'),
      new Uint8Array(readFileSync(join(bundled, 'weights.safetensors'))),
    ),
    await ortNodeCpu.create(),
  );
  try {
    const face = toRgba8((await gen.synthesize(await gen.mapping(zFromSeed(3, gen.config.z_dim), 0.7))).img);
    const placed = placeFace(face, W, H, (15 * Math.PI) / 180, 1.6, 190, 140);
    return { png: Buffer.from(encodePng(placed.picture)), rgba: new Uint8ClampedArray(placed.picture.data) };
  } finally {
    await gen.release();
  }
}

describeWithBrowser('the web page: a face in a picture', () => {
  const web = useBrowser();
  let page: Page;
  let picture: { png: Buffer; rgba: Uint8ClampedArray };

  beforeAll(async () => {
    picture = await facePicture();
    page = await web.browser.newPage({ viewport: { width: 640, height: 1100 }, acceptDownloads: true });
    await page.addInitScript(
      (s) => localStorage.setItem('draggan.settings.v1', s),
      JSON.stringify({ maxSteps: 20, previewEvery: 5, invertSteps: 40 }),
    );
    await page.goto(`${web.origin}/`);
    await page.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor();
  }, BUILD_TIMEOUT_MS + 120_000);

  test('the model card says what the model draws', async () => {
    expect(await page.locator('[data-testid=status]').textContent()).toMatch(/draws cartoon faces, 128 px demo/);
  });

  test("open -> face found, aligned crop shown -> invert -> preset -> drag -> download at the picture's size", async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-testid=read-source]');
    await (await chooser).setFiles({ name: 'cartoon.png', mimeType: 'image/png', buffer: picture.png });
    await page.locator('[data-testid=face-count]').filter({ hasText: 'Face 1 of 1' }).waitFor({ timeout: 180_000 });
    expect(await page.locator('[data-testid=preview-image]').getAttribute('alt')).toBe(
      'The face as it will be inverted',
    );
    expect(await page.locator('[data-testid=status]').textContent()).toMatch(
      /Face 1 of 1 in cartoon\.png \(360 x 280\)/,
    );
    await screenshot(page.locator('dg-panel'), 'web-face-found.png');

    await page.click('[data-testid=invert-face]');
    await page.locator('[data-testid=preset-smile]').waitFor({ timeout: 180_000 });
    expect(await page.locator('[data-testid=status]').textContent()).toMatch(
      /face 1 of cartoon\.png .*: inverted in \d+ steps/,
    );
    await page.click('[data-testid=preset-smile]');
    await page.locator('[data-testid=target-1]').waitFor();
    // the pairs sit on the mouth corners: in the lower half of the aligned face, left and right of its middle
    const handles = await Promise.all(
      [0, 1].map(async (i) => ({
        x: Number(await page.locator(`[data-testid=handle-${i}]`).getAttribute('cx')),
        y: Number(await page.locator(`[data-testid=handle-${i}]`).getAttribute('cy')),
      })),
    );
    for (const h of handles) expect(h.y).toBeGreaterThan(64);
    expect(Math.min(...handles.map((h) => h.x))).toBeLessThan(64);
    expect(Math.max(...handles.map((h) => h.x))).toBeGreaterThan(64);
    await screenshot(page.locator('dg-panel'), 'web-face-preset.png');

    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 180_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.click('[data-testid=apply]'),
    ]);
    const png = decodePng(new Uint8Array(readFileSync((await download.path())!)));
    expect([png.width, png.height]).toEqual([W, H]);
    // the picture's own pixels wherever the edit does not reach (its corners, far from the face), changed at the mouth
    let same = 0;
    let changed = 0;
    for (let i = 0; i < W * H; i++) {
      const eq = [0, 1, 2].every((c) => png.data[i * png.channels + c] === picture.rgba[i * 4 + c]);
      if (eq) same++;
      else changed++;
    }
    for (const [x, y] of [
      [2, 2],
      [W - 3, 2],
      [2, H - 3],
      [W - 3, H - 3],
    ]) {
      const i = y * W + x;
      expect([0, 1, 2].map((c) => png.data[i * png.channels + c])).toEqual(
        [0, 1, 2].map((c) => picture.rgba[i * 4 + c]),
      );
    }
    expect(changed).toBeGreaterThan(50);
    expect(same).toBeGreaterThan(W * H * 0.5);
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    await screenshot(page.locator('dg-panel'), 'web-face-applied.png');
  }, 600_000);
});
