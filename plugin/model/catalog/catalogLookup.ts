/** Finding a catalog entry by id and choosing where to download it from. */
import { UserFixableError } from '../../core/errors';
import { CATALOG } from './catalogData';
import type { CatalogEntry } from './catalogTypes';

/** The entry with this id, or a user error that lists near matches (same words) so a typo is easy to fix. */
export function findEntry(id: string, catalog: readonly CatalogEntry[] = CATALOG): CatalogEntry {
  const e = catalog.find((c) => c.id === id);
  if (e) return e;
  const words = id
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);
  const near = catalog
    .filter((c) => words.some((w) => c.id.includes(w)))
    .map((c) => c.id)
    .slice(0, 8);
  throw new UserFixableError(
    `no model '${id}' in the catalog${near.length ? ` (did you mean: ${near.join(', ')}?)` : ''}; 'draggan models' lists them`,
  );
}

export interface UrlOverride {
  /** One URL for this download, replacing the catalog's (a mirror, a local copy). */
  readonly url?: string;
  /** A base URL whose `<base>/<fileName>` replaces every entry's URLs (a mirror of the whole catalog, tests). */
  readonly base?: string;
}

/**
 * The URLs to try, in order. An override may be plain http (a local mirror the user names); the catalog's own are
 * all https (validateCatalog).
 */
export function downloadUrls(e: CatalogEntry, o: UrlOverride = {}): string[] {
  for (const u of [o.url, o.base]) {
    if (u !== undefined && !/^https?:\/\/\S+$/.test(u)) throw new UserFixableError(`'${u}' is not an http(s) URL`);
  }
  if (o.url !== undefined) return [o.url];
  if (o.base !== undefined) return [`${o.base.replace(/\/+$/, '')}/${e.fileName}`];
  return [...e.urls];
}

/** How a model picker names a catalog model downloaded into a host's storage (its title, not its id). */
export function downloadedModelLabel(e: CatalogEntry): string {
  return `${e.title} (downloaded)`;
}
