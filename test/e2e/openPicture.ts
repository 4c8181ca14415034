/** A picture opened in the web page as a user does: "Open image…" and the file chooser, then the inversion. */
import type { Page } from 'playwright-core';

/** Clicks "Open image…" and picks the PNG `name` (bytes `png`) in the file chooser. */
export async function pickPng(page: Page, name: string, png: Buffer): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser', { timeout: 30_000 }),
    page.click('[data-testid=read-source]'),
  ]);
  await chooser.setFiles({ name, mimeType: 'image/png', buffer: png });
}

/**
 * Says yes to the question a new picture asks while an edit would be lost, then waits until the picture `name`
 * (`size`, e.g. "64 x 48") is inverted.
 */
export async function confirmAndInvert(page: Page, name: string, size: string): Promise<void> {
  await page.click('[data-testid=confirm-yes]');
  await page
    .locator('[data-testid=status]')
    .filter({ hasText: `${name} (${size}): inverted` })
    .waitFor({ timeout: 90_000 });
}
