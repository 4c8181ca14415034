/**
 * Opens the Photoshop panel as the UXP harness loads it: dist/uxp's page with the fakes (dist/uxp-harness/fakeHost.js)
 * and UXP's globals (uxpGlobals.ts) in place before the bundle runs. Pages of one browser share nothing: each opens
 * with an empty data folder and its own localStorage.
 *
 * The product probes the local engine on the fixed port 8765 (LOCAL_SERVER_URL); on a machine shared with other
 * runs, another run's engine may listen there, or this run's would collide with it. So the harness's copy of the
 * bundle probes a URL the harness owns instead: a test server on a free port, or by default the harness's own page
 * server, which has no /readyz (so no engine is found, as on a machine where none runs).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { LOCAL_SERVER_URL } from '../../../plugin/hosts/photoshop/localServer';
import { QUICK_SETTINGS } from '../browser';
import { shapeLikeUxp, UXP_GLOBAL_CHANGES } from './uxpGlobals';

export const DIST = join(__dirname, '../../../dist');

export interface UxpPanel {
  /** Errors thrown in the page and not caught. */
  errors: string[];
  page: Page;
}

export interface UxpPanelOptions {
  /** Rewrites dist/uxp/bundle.js's text (after the local engine's URL is moved). */
  bundle?: (original: string) => string;
  /** Runs after the reshaping and before the bundle. */
  alsoBefore?: () => void;
  /** localStorage items the panel finds at start, besides the quick edit settings. */
  storage?: Record<string, string>;
  /** Where the panel looks for the local engine instead of LOCAL_SERVER_URL; the page's origin unless given. */
  localEngineUrl?: string;
}

/** The bundle probing `url` for the local engine: its one LOCAL_SERVER_URL literal replaced. */
export function probingLocalEngineAt(bundle: string, url: string): string {
  const literal = JSON.stringify(LOCAL_SERVER_URL);
  const parts = bundle.split(literal);
  if (parts.length !== 2)
    throw new Error(
      `dist/uxp/bundle.js holds ${literal} ${parts.length - 1} times, not once: the harness cannot move the probe`,
    );
  return parts.join(JSON.stringify(url));
}

export async function openUxpPanel(browser: Browser, origin: string, o: UxpPanelOptions = {}): Promise<UxpPanel> {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const original = probingLocalEngineAt(readFileSync(join(DIST, 'uxp/bundle.js'), 'utf8'), o.localEngineUrl ?? origin);
  const body = o.bundle ? o.bundle(original) : original;
  await page.route('**/uxp/bundle.js', (r) => r.fulfill({ contentType: 'text/javascript', body }));
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
