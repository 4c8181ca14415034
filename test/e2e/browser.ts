/** Chromium for the end-to-end tests: Debian's /usr/bin/chromium through playwright-core, and the page's server. */
import { existsSync } from 'fs';
import type { Server } from 'http';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { BUILD_TIMEOUT_MS, ensureBuilt, type DistTarget } from '../helpers/ensureBuilt';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WEB_DIST = join(__dirname, '../../dist/web');

/**
 * Without Chromium the tests are skipped locally; CI installs it, so there they must run. Jest's `describe` is read
 * when called, so the benchmarks can import this module outside Jest.
 */
export function describeWithBrowser(name: string, fn: () => void): void {
  (existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip)(name, fn);
}

/** Builds the dist/ folders under test (dist/web unless told) when missing or stale, then starts Chromium. */
export async function launch(...targets: DistTarget[]): Promise<Browser> {
  await ensureBuilt(...(targets.length > 0 ? targets : ['web' as const]));
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

// the server is plain JavaScript shared with `npm start`
const { startServer } = require('../../plugin/hosts/browser/devServer.cjs') as {
  startServer(root: string, port?: number): Promise<Server>;
};

export async function serve(root = WEB_DIST): Promise<{ server: Server; origin: string }> {
  const server = await startServer(root, 0);
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('the test server has no port');
  return { server, origin: `http://127.0.0.1:${addr.port}` };
}

/** Chromium and the page server of a describe block; set once its beforeAll has run. */
export interface BrowserAndServer {
  browser: Browser;
  server: Server;
  /** The server's http://127.0.0.1:PORT. */
  origin: string;
}

/**
 * Starts Chromium (building `targets` first, dist/web unless told) and serves `root` before the enclosing describe's
 * tests, and closes both after them: call it first in the describe, so the describe's own beforeAll can open pages.
 */
export function useBrowser(root = WEB_DIST, ...targets: DistTarget[]): BrowserAndServer {
  const started = {} as BrowserAndServer;
  beforeAll(async () => {
    started.browser = await launch(...targets);
    ({ server: started.server, origin: started.origin } = await serve(root));
  }, BUILD_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await started.browser?.close();
    started.server?.close();
  });
  return started;
}

/** Screenshots for docs/screenshots, taken only when asked (UPDATE_SCREENSHOTS=1), so test runs leave the tree alone. */
export async function screenshot(
  target: { screenshot(o: { path: string }): Promise<unknown> },
  name: string,
): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS)
    await target.screenshot({ path: join(__dirname, '../../docs/screenshots', name) });
}

/** Settings the page reads from localStorage at start: a short, quick edit for the tests. */
export const QUICK_SETTINGS = JSON.stringify({ maxSteps: 12, previewEvery: 2, lr: 0.05, invertSteps: 4 });
