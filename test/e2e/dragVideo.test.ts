/**
 * `draggan drag --video` as a person gets it: the MP4 plays in Chromium (Debian's, with its own H.264 decoder) and
 * holds the drag's frames in the order the timeline gives, looped forward and back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser } from 'playwright-core';
import { BUILD_TIMEOUT_MS, ensureBuilt, runBundle } from '../helpers/ensureBuilt';
import { describeWithBrowser, launch } from './browser';
import { playVideo } from './playVideo';

describeWithBrowser('a drag exported as a video', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'draggan-video-'));
  beforeAll(async () => {
    await ensureBuilt('node');
    browser = await launch();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the MP4 plays in Chromium with every frame of the looped timeline', async () => {
    // frames at steps 0, 2, 4, 6 -> looped 0 2 4 6 4 2: six frames
    const r = runBundle(
      'drag',
      '--seed',
      '1',
      '--point',
      '60,60:75,60',
      '--steps',
      '6',
      '--frame-every',
      '2',
      '--out',
      join(dir, 'a.png'),
      '--video',
      join(dir, 'a.mp4'),
      '--loop',
    );
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const played = await playVideo(browser, readFileSync(join(dir, 'a.mp4')));
    expect(played).toEqual({ width: 128, height: 128, seconds: 0.6, frames: 6 });
  }, 120_000);

  test('--ease and --loop want a GIF or a video; --video wants .mp4', () => {
    expect(
      runBundle('drag', '--seed', '1', '--point', '60,60:75,60', '--out', join(dir, 'b.png'), '--ease'),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/--ease and --loop go with --gif/) });
    expect(
      runBundle(
        'drag',
        '--seed',
        '1',
        '--point',
        '60,60:75,60',
        '--out',
        join(dir, 'b.png'),
        '--video',
        join(dir, 'b.webm'),
      ),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/name it \.mp4/) });
  });
});
