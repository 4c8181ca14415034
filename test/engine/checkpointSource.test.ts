/**
 * A checkpoint handed to an engine with import options (a page's stored catalog download) is imported with them:
 * the catalog's title and the framing it wants for photos, which a pickle does not say.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { loadModelSource } from '../../plugin/engine/modelSource';
import { CATALOG } from '../../plugin/model/catalog/catalogData';
import { catalogImportOptions } from '../../plugin/model/catalog/catalogImportOptions';

const TINY128 = new Uint8Array(readFileSync(join(__dirname, '../fixtures/checkpoints/tiny128.pkl')));

test("a stored catalog download opens with the catalog's title and alignment; a picked file with its own name and none", async () => {
  const ffhq = CATALOG.find((e) => e.alignment === 'ffhq')!;
  const downloaded = await loadModelSource({
    kind: 'checkpoint',
    name: ffhq.title,
    file: TINY128,
    options: catalogImportOptions(ffhq),
  });
  expect(downloaded.config.alignment).toBe('ffhq');
  expect(downloaded.config.name).toBe(ffhq.title);
  const picked = await loadModelSource({ kind: 'checkpoint', name: 'mine.pkl', file: TINY128 });
  expect(picked.config.alignment).toBe('none');
  expect(picked.config.name).toBe('mine');
});
