import type { Page } from 'playwright-core';

type Pixel = readonly [x: number, y: number];

/**
 * Clicks a handle then a target at image pixels (centres) of a `size` px image shown in the panel or page's overlay,
 * as a user places a pair; resolves once the pair's target marker (`target-N`, N = `index`) is drawn.
 */
export async function placePair(page: Page, handle: Pixel, target: Pixel, size: number, index = 0): Promise<void> {
  const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
  const at = ([x, y]: Pixel) =>
    page.mouse.click(box.x + ((x + 0.5) / size) * box.width, box.y + ((y + 0.5) / size) * box.height);
  await at(handle);
  await page.locator('[data-testid=pending]').waitFor();
  await at(target);
  await page.locator(`[data-testid=target-${index}]`).waitFor();
}
