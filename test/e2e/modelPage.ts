/** The web page opened on a model served from its own site (?model=), as the page tests of a model's shape use it. */
import type { Page } from 'playwright-core';
import { serializeModelPackage, type ModelPackage } from '../../plugin/model/modelPackage';
import { QUICK_SETTINGS } from './browser';

/** Serves `pkg` at models/NAME/ on the page's site, as `draggan import` writes the folder. */
export async function routeModel(page: Page, name: string, pkg: ModelPackage): Promise<void> {
  const { modelJson, weights } = serializeModelPackage(pkg);
  await page.route(`**/models/${name}/model.json`, (r) =>
    r.fulfill({ body: modelJson, contentType: 'application/json' }),
  );
  await page.route(`**/models/${name}/weights.safetensors`, (r) =>
    r.fulfill({ body: Buffer.from(weights), contentType: 'application/octet-stream' }),
  );
}

/** Opens the page at `url` with the quick settings; resolves once the status names the model (`ready`). */
export async function openQuick(page: Page, url: string, ready: string | RegExp): Promise<void> {
  await page.addInitScript((s) => localStorage.setItem('draggan.settings.v1', s), QUICK_SETTINGS);
  await page.goto(url);
  await page.locator('[data-testid=status]').filter({ hasText: ready }).waitFor({ timeout: 60_000 });
}

/** Opens the page on models/NAME/ with the quick settings; resolves once the status names the model (`ready`). */
export function openOnModel(page: Page, origin: string, name: string, ready: string | RegExp): Promise<void> {
  return openQuick(page, `${origin}/?model=models/${name}/`, ready);
}

/** Types `seed` and generates: resolves once the image is shown, with no error. */
export async function generateSeed(page: Page, seed: number): Promise<void> {
  await page.locator('[data-testid=seed]').fill(String(seed));
  await page.locator('[data-testid=seed]').dispatchEvent('change');
  await page.click('[data-testid=generate]');
  await page.locator('[data-testid=preview-image]').waitFor();
  if ((await page.locator('[data-testid=error]').count()) > 0)
    throw new Error(
      `generating seed ${seed} showed an error: ${await page.locator('[data-testid=error]').innerText()}`,
    );
}
