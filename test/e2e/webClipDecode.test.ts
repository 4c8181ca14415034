/**
 * How the page reads a video's frames, in Chromium: the project's 6-frame MP4 through WebCodecs (VideoDecoder, the
 * MP4 demuxed by mp4box) comes back as exactly its 6 frames, in order, at the model's size; with WebCodecs taken
 * out of the page, the player's reading gives the same clip.
 */
import type { Page } from 'playwright-core';
import { BUILD_TIMEOUT_MS } from '../helpers/ensureBuilt';
import { turningClipMp4 } from '../helpers/turningClip';
import { describeWithBrowser, useBrowser } from './browser';
import { openQuick } from './modelPage';

const FRAMES = 6;

describeWithBrowser("a video's frames read by the page", () => {
  const web = useBrowser();
  let clip: Buffer;
  let sources: string[];

  beforeAll(async () => {
    const made = await turningClipMp4(FRAMES);
    clip = made.mp4;
    sources = made.frames.map((f) =>
      Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength).toString('base64'),
    );
  }, BUILD_TIMEOUT_MS + 60_000);

  /**
   * Opens the clip on a fresh page (after `init` ran in it) and says what the panel holds: each frame's size, the
   * index of the source frame it is nearest to, the clip's label and the chunks given to VideoDecoder (where counted).
   */
  async function openClip(
    init: () => void,
  ): Promise<{ sizes: string[]; nearest: number[]; label: string; decoded?: number }> {
    const page: Page = await web.browser.newPage({ viewport: { width: 640, height: 1100 } });
    try {
      await page.addInitScript(init);
      await openQuick(page, `${web.origin}/`, '128 px');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=open-clip]')]);
      await chooser.setFiles({ name: 'turning.mp4', mimeType: 'video/mp4', buffer: clip });
      await page
        .locator('[data-testid=status]')
        .filter({ hasText: /frame 1 of turning\.mp4 .*Place points on this key frame/ })
        .waitFor({ timeout: 60_000 });
      return await page.evaluate((b64s) => {
        type Img = { width: number; height: number; data: Uint8ClampedArray };
        const panel = document.querySelector('dg-panel') as unknown as {
          clip: { clip: { frames: Img[]; label: string } };
        };
        const { frames, label } = panel.clip.clip;
        const srcs = b64s.map((b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0)));
        const diff = (a: Img, s: Uint8Array) => {
          let d = 0;
          for (let i = 0; i < s.length; i++) if (i % 4 !== 3) d += Math.abs(a.data[i] - s[i]);
          return d;
        };
        return {
          sizes: frames.map((f) => `${f.width}x${f.height}`),
          nearest: frames.map((f) => {
            const d = srcs.map((s) => diff(f, s));
            return d.indexOf(Math.min(...d));
          }),
          label,
          decoded: (window as unknown as { decodedChunks?: number }).decodedChunks,
        };
      }, sources);
    } finally {
      await page.close();
    }
  }

  test('with WebCodecs: exactly the 6 frames, in order, at 128 x 128, each decoded once', async () => {
    const r = await openClip(() => {
      // counts the chunks the page decodes, so the test knows which path read the clip
      const w = window as unknown as { VideoDecoder: typeof VideoDecoder; decodedChunks: number };
      const Real = w.VideoDecoder;
      w.decodedChunks = 0;
      w.VideoDecoder = class extends Real {
        override decode(chunk: EncodedVideoChunk): void {
          w.decodedChunks++;
          super.decode(chunk);
        }
      };
    });
    expect(r.sizes).toEqual(Array(FRAMES).fill('128x128'));
    expect(r.nearest).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.label).toBe('turning.mp4 (6 frames)');
    expect(r.decoded).toBe(FRAMES);
  }, 120_000);

  test('without WebCodecs the player reads it: 6 frames at 128 x 128, in order (a frame it skipped repeats the one before, and the label says so)', async () => {
    const r = await openClip(() => {
      delete (window as unknown as { VideoDecoder?: unknown }).VideoDecoder;
    });
    expect(r.sizes).toEqual(Array(FRAMES).fill('128x128'));
    expect(r.nearest[0]).toBe(0);
    const repeats = r.nearest.filter((n, i) => i > 0 && n === r.nearest[i - 1]).length;
    r.nearest.forEach((n, i) => expect([i, r.nearest[i - 1]]).toContain(n));
    expect(r.label).toBe(
      repeats > 0
        ? `turning.mp4 (6 frames, ${repeats} repeated: the browser's player skipped them)`
        : 'turning.mp4 (6 frames)',
    );
  }, 120_000);
});
