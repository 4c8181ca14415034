/**
 * The model catalog served from a local mirror, as both "Get models…" tests use it (the web page's,
 * getModels.test.ts, and the Photoshop panel's in the UXP harness, uxpHarnessGetModels.test.ts): a test checkpoint
 * under three catalog file names on a free port, the panel pointed at it by its mirror setting, in ranges of
 * 256 KiB; and the steps the two tests take alike.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { startCheckpointServer, type CheckpointServer } from '../helpers/checkpointServer';

const TINY128 = new Uint8Array(readFileSync(join(__dirname, '../fixtures/checkpoints/tiny128.pkl')));
/** A checkpoint of another size: what a file changed on the server mid-download becomes. */
export const TINY64 = new Uint8Array(readFileSync(join(__dirname, '../fixtures/checkpoints/tiny64.pkl')));
/** The download's range size: small, so that a test checkpoint comes in several ranges. */
export const CHUNK = 256 * 1024;

/** Serves the elephants, giraffes and parrots checkpoints (each tiny128.pkl); the lions' file is not there (404). */
export function startCatalogMirror(): Promise<CheckpointServer> {
  return startCheckpointServer({
    'elephants_512_pytorch.pkl': TINY128,
    'giraffes_512_pytorch.pkl': TINY128,
    'parrots_512_pytorch.pkl': TINY128,
  });
}

/** The panel's catalog setting (localStorage draggan.catalog.v1) that points it at the mirror. */
export function catalogSetting(files: CheckpointServer): string {
  return JSON.stringify({ mirror: files.base, retryDelayMs: 10, chunkBytes: CHUNK });
}

/** Waits until the panel has opened a model, then opens "Get models…". */
export async function openGetModels(page: Page): Promise<void> {
  await page
    .locator('[data-testid=status]')
    .filter({ hasText: /\d+ px/ })
    .waitFor({ timeout: 60_000 });
  await page.click('[data-testid=get-models]');
}

/** Starts the parrots' download with its second range stalled, and cancels it once the first range has arrived. */
export async function cancelAfterFirstRange(page: Page, files: CheckpointServer): Promise<void> {
  files.requests.length = 0;
  // the second range stalls: Cancel must not wait for it (nor can it abort it in UXP, whose fetch takes no signal)
  files.faults = { stallAfter: [undefined as unknown as number, 10] };
  await page.click('[data-testid=catalog-get-sd-parrots-512]');
  await page.locator('[data-testid=catalog-cancel]').waitFor();
  await page.waitForFunction(
    () =>
      document
        .querySelector('dg-panel')
        ?.shadowRoot?.querySelector('[data-testid=catalog-bytes]')
        ?.textContent?.startsWith('0.3 MB'),
    null,
    { timeout: 30_000 },
  );
  await page.click('[data-testid=catalog-cancel]');
  await page
    .locator('[data-testid=catalog-status]')
    .filter({ hasText: /Cancelled: download stopped at 0\.3 MB/ })
    .waitFor({ timeout: 10_000 });
}
