import type { Browser } from 'playwright-core';

/** What Chromium saw of a video played to its end. */
export interface PlayedVideo {
  width: number;
  height: number;
  seconds: number;
  frames: number;
}

/**
 * Plays an MP4 to its end in a blank page of `browser` (Chromium's own decoder; a blank page, because the panel's
 * page allows media only from its own site) and says what it showed; throws where Chromium cannot play it.
 */
export async function playVideo(browser: Browser, mp4: Uint8Array): Promise<PlayedVideo> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (b64) => {
      const v = document.createElement('video');
      v.muted = true;
      v.src = `data:video/mp4;base64,${b64}`;
      document.body.appendChild(v);
      await new Promise((ok, fail) => {
        v.onloadeddata = ok;
        v.onerror = () => fail(new Error(`cannot play: ${v.error?.message}`));
      });
      const ended = new Promise((ok) => (v.onended = ok));
      await v.play();
      await ended;
      v.remove();
      return {
        width: v.videoWidth,
        height: v.videoHeight,
        seconds: v.duration,
        frames: v.getVideoPlaybackQuality().totalVideoFrames,
      };
    }, Buffer.from(mp4).toString('base64'));
  } finally {
    await page.close();
  }
}
