/**
 * Opens the Photoshop panel as the UXP harness loads it: dist/uxp's page with the fakes (dist/uxp-harness/fakeHost.js)
 * and UXP's globals (uxpGlobals.ts) in place before the bundle runs. Pages of one browser share nothing: each opens
 * with an empty data folder and its own localStorage.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { QUICK_SETTINGS } from '../browser';
import { shapeLikeUxp, UXP_GLOBAL_CHANGES } from './uxpGlobals';

export const DIST = join(__dirname, '../../../dist');

export interface UxpPanel {
  /** Errors thrown in the page and not caught. */
  errors: string[];
  page: Page;
}

export interface UxpPanelOptions {
  /** Rewrites dist/uxp/bundle.js's text. */
  bundle?: (original: string) => string;
  /** Runs after the reshaping and before the bundle. */
  alsoBefore?: () => void;
  /** localStorage items the panel finds at start, besides the quick edit settings. */
  storage?: Record<string, string>;
}

export async function openUxpPanel(browser: Browser, origin: string, o: UxpPanelOptions = {}): Promise<UxpPanel> {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const { bundle } = o;
  if (bundle) {
    const original = readFileSync(join(DIST, 'uxp/bundle.js'), 'utf8');
    await page.route('**/uxp/bundle.js', (r) => r.fulfill({ contentType: 'text/javascript', body: bundle(original) }));
  }
  const items = { 'draggan.settings.v1': QUICK_SETTINGS, ...o.storage };
  await page.addInitScript((all) => {
    for (const [k, v] of Object.entries(all)) localStorage.setItem(k, v);
  }, items);
  await page.addInitScript({ content: readFileSync(join(DIST, 'uxp-harness/fakeHost.js'), 'utf8') });
  await page.addInitScript(
    shapeLikeUxp,
    UXP_GLOBAL_CHANGES.map((c) => c.name),
  );
  if (o.alsoBefore) await page.addInitScript(o.alsoBefore);
  await page.goto(`${origin}/uxp/index.html`);
  return { page, errors };
}
