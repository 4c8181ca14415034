/**
 * What a host gives "Get models…": its storage for catalog downloads, its fetch, and what it alone knows (a
 * ceiling on what opens in it, why a site may refuse it). Hosts without storage of their own leave it out.
 */
import type { CatalogEntry } from '../model/catalog/catalogTypes';
import type { RangeFetch } from '../model/download/chunkedDownload';
import type { ModelStorage } from '../model/download/modelStorage';

export interface CatalogHost {
  readonly storage: ModelStorage;
  readonly fetch: RangeFetch;
  /** The host's stored mirror and retry wait (readCatalogOverrides). */
  readonly overrides?: CatalogOverrides;
  /** The model picker's id of an installed catalog model (how the host's listModels names it). */
  pickerId(catalogId: string): string;
  /** What to know before downloading a model that imports here (likely too large for the panel's memory), or null. */
  caution?(entry: CatalogEntry): string | null;
  /** Said after a download that could not reach its site at all (a page: the site may refuse pages). */
  unreachableHelp?(entry: CatalogEntry, url: string): string;
}

/**
 * A mirror of the whole catalog (each file at `<mirror>/<file name>`, what DRAGGAN_CATALOG_BASE is for the CLI), the
 * first retry's wait and the range size, from the host's localStorage key `draggan.catalog.v1`: for a site that mirrors the files,
 * and for the tests' local server.
 */
export interface CatalogOverrides {
  mirror?: string;
  retryDelayMs?: number;
  /** Bytes asked for at a time (chunkedDownload's 8 MiB by default). */
  chunkBytes?: number;
}

export const CATALOG_OVERRIDES_KEY = 'draggan.catalog.v1';

export function readCatalogOverrides(storage: Pick<Storage, 'getItem'> | undefined): CatalogOverrides {
  let v: unknown;
  try {
    v = JSON.parse(storage?.getItem(CATALOG_OVERRIDES_KEY) ?? '{}');
  } catch {
    return {};
  }
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  return {
    ...(typeof o.mirror === 'string' && /^https?:\/\/\S+$/.test(o.mirror) ? { mirror: o.mirror } : {}),
    ...(typeof o.retryDelayMs === 'number' && o.retryDelayMs >= 0 ? { retryDelayMs: o.retryDelayMs } : {}),
    ...(typeof o.chunkBytes === 'number' && Number.isSafeInteger(o.chunkBytes) && o.chunkBytes >= 1024
      ? { chunkBytes: o.chunkBytes }
      : {}),
  };
}
