/**
 * What the two page hosts (the plain page and the Photopea page) share: the model served beside the page, the
 * page's engines (a Web Worker), checkpoints from a file picker, and the settings in the page's storage.
 * Each host adds how images come in and go out.
 */
import { CATALOG } from '../../model/catalog/catalogData';
import { catalogImportOptions } from '../../model/catalog/catalogImportOptions';
import { downloadedModelLabel } from '../../model/catalog/catalogLookup';
import { readCatalogOverrides, type CatalogHost } from '../../ui/catalogHost';
import type { ModelEntry } from '../../ui/hostPort';
import { indexedDbModelStorage } from './indexedDbModelStorage';
import type { Settings } from '../../ui/settings';
import { modelEntryAt } from './fetchModel';
import { openPageEngine, pageBackends } from './pageEngine';
import { pickCheckpointFile } from './pickFile';
import { loadStoredSettings, storeSettings } from './settingsStore';

export abstract class PagePort {
  constructor(private readonly modelDir: string) {}

  /** The page's own model, then the catalog models downloaded into this page's storage. */
  async listModels(): Promise<ModelEntry[]> {
    const stored = await indexedDbModelStorage.checkpoints().catch(() => []);
    const downloaded = stored.map(({ id, blob }): ModelEntry => {
      const e = CATALOG.find((c) => c.id === id);
      // imported as pullToStorage imported it when checking it: the catalog's title, licence and alignment
      const source = {
        kind: 'checkpoint',
        name: e?.title ?? id,
        file: blob,
        ...(e ? { options: catalogImportOptions(e) } : {}),
      } as const;
      return { id: catalogPickerId(id), label: e ? downloadedModelLabel(e) : `${id} (downloaded)`, source };
    });
    return [await modelEntryAt(this.modelDir), ...downloaded];
  }

  /** "Get models…" into IndexedDB (indexedDbModelStorage.ts); the page's fetch is bound by the sites' CORS rules. */
  readonly catalog: CatalogHost = {
    storage: indexedDbModelStorage,
    fetch: (url, init) => fetch(url, init),
    overrides: readCatalogOverrides(globalThis.localStorage),
    pickerId: catalogPickerId,
    unreachableHelp: (e, url) =>
      `A web page may download only from sites that allow pages to (CORS), and ${new URL(url).host} may not (or it cannot be reached now). ` +
      `Download ${url} yourself, then use Import .pkl (or on the command line: draggan models pull ${e.id}).`,
  };

  pickCheckpoint = pickCheckpointFile;

  localBackends = pageBackends;

  openEngine = openPageEngine;

  loadSettings(): Partial<Settings> {
    return loadStoredSettings(globalThis.localStorage, globalThis.sessionStorage);
  }

  saveSettings(s: Settings): void {
    storeSettings(globalThis.localStorage, s, globalThis.sessionStorage);
  }
}

const catalogPickerId = (id: string) => `catalog:${id}`;
