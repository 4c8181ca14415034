/**
 * `draggan models pull`'s work: download a catalog model (resumable), check its size and sha256, import it with the
 * streamed importer and install the package under its id. Nothing half-written is ever visible under the id: the
 * package is written to a hidden staging folder and renamed at the end; a failed check or import removes the
 * download, so each failure leaves only what resuming needs (the partial file of an interrupted transfer).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'fs';
import { dirname } from 'path';
import { rm } from 'fs/promises';
import { CheckpointError, ModelConfigError, UserFixableError } from '../../core/errors';
import { importCheckpointFrom } from '../../model/importCheckpoint';
import type { CatalogEntry } from '../../model/catalog/catalogTypes';
import { importability } from '../../model/catalog/importability';
import { catalogImportOptions } from '../../model/catalog/catalogImportOptions';
import { DownloadError } from '../../model/download/downloadError';
import { downloadResumable, sha256OfFile, type DownloadOptions } from './resumableDownload';
import { installedDir, isInstalled, partialPath, removeStaleStaging, stagingDir } from './modelStore';
import { openUserFile } from './userFiles';
import { writeModelDir } from './writeModelDir';

export interface PullOptions extends Pick<
  DownloadOptions,
  'retries' | 'retryDelayMs' | 'stallMs' | 'onProgress' | 'onNote' | 'signal'
> {
  readonly entry: CatalogEntry;
  /** Where to download from, in order (the catalog's, or the user's override). */
  readonly urls: readonly string[];
  readonly root: string;
  /** The size and hash to check: the catalog's, or the user's when the catalog has none. */
  readonly expectedBytes: number | null;
  readonly expectedSha256: string | null;
  /** Replace an installed model of the same id. */
  readonly force?: boolean;
  /** Called when the download is whole and the import starts (a progress phase). */
  readonly onImport?: () => void;
}

export interface PullResult {
  readonly dir: string;
  readonly url: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly resumedAttempts: number;
}

/** Refuses what cannot work before anything is downloaded: a format the importer cannot read, a browser-only link. */
export function checkPullable(entry: CatalogEntry, root: string, force: boolean): void {
  const imp = importability(entry);
  if (!imp.ok) throw new UserFixableError(`${entry.id} cannot be imported yet: ${imp.reason}. Instead: ${imp.instead}`);
  if (entry.download === 'browser') {
    throw new UserFixableError(
      `${entry.id} is published as a web page (${entry.urls[0]}), which a program cannot download from; open it in a browser, ` +
        `save ${entry.fileName}, then run: draggan import ${entry.fileName} --out ${installedDir(entry.id, root)}`,
    );
  }
  if (isInstalled(entry.id, root) && !force) {
    throw new UserFixableError(
      `${entry.id} is already installed in ${installedDir(entry.id, root)}; pass --force to download it again, or 'draggan models rm ${entry.id}'`,
    );
  }
  if (existsSync(installedDir(entry.id, root)) && !isInstalled(entry.id, root) && !force) {
    throw new UserFixableError(
      `${installedDir(entry.id, root)} exists but is not a complete model; remove it, or pass --force to replace it`,
    );
  }
}

async function download(
  o: PullOptions,
  partial: string,
): Promise<{ url: string; bytes: number; resumedAttempts: number }> {
  let last: unknown;
  for (const [i, url] of o.urls.entries()) {
    try {
      const r = await downloadResumable({ ...o, url, partialPath: partial });
      return { url, ...r };
    } catch (e) {
      if (!(e instanceof DownloadError) || o.signal?.aborted || i === o.urls.length - 1) throw e;
      // another location may hold a different copy: its bytes must not be appended to this one's
      await rm(partial, { force: true });
      o.onNote?.(`${e.message}; trying ${o.urls[i + 1]}`);
      last = e;
    }
  }
  throw last;
}

async function importInto(o: PullOptions, partial: string, staging: string): Promise<void> {
  const file = await openUserFile(partial, 'download');
  try {
    const pkg = await importCheckpointFrom(file, catalogImportOptions(o.entry));
    writeModelDir(staging, pkg);
  } catch (e) {
    if (e instanceof CheckpointError || e instanceof ModelConfigError) {
      throw new UserFixableError(
        `downloaded ${o.entry.fileName} but cannot import it: ${e.message}. The download was removed; if the file at the URL has changed format, ` +
          `download it yourself and try 'draggan import'`,
      );
    }
    throw e;
  } finally {
    await file.close();
  }
}

/** Puts the staged package under its id; with `force` the old one is swapped out first and removed after. */
function install(staging: string, dir: string, force: boolean): void {
  if (!force || !existsSync(dir)) {
    renameSync(staging, dir);
    return;
  }
  const old = `${staging}.old`;
  renameSync(dir, old);
  try {
    renameSync(staging, dir);
  } catch (e) {
    renameSync(old, dir);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

export async function pullModel(o: PullOptions): Promise<PullResult> {
  const force = o.force ?? false;
  checkPullable(o.entry, o.root, force);
  const partial = partialPath(o.entry.id, o.entry.fileName, o.root);
  try {
    mkdirSync(dirname(partial), { recursive: true });
    removeStaleStaging(o.entry.id, o.root);
  } catch (e) {
    throw new UserFixableError(
      `cannot create the model folder ${o.root}: ${e instanceof Error ? e.message : String(e)} (set DRAGGAN_MODELS to another folder)`,
    );
  }
  const got = await download(o, partial);
  const sha256 = await sha256OfFile(partial);
  if (o.expectedSha256 !== null && sha256 !== o.expectedSha256.toLowerCase()) {
    await rm(partial, { force: true });
    throw new DownloadError(
      `${o.entry.fileName} from ${got.url} has sha256 ${sha256}, not the ${o.expectedSha256} expected: a different or damaged file; it was removed`,
    );
  }
  o.onImport?.();
  const staging = stagingDir(o.entry.id, o.root);
  const dir = installedDir(o.entry.id, o.root);
  try {
    await importInto(o, partial, staging);
    install(staging, dir, force);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    await rm(partial, { force: true });
    throw e;
  }
  await rm(partial, { force: true });
  return { dir, url: got.url, bytes: got.bytes, sha256, resumedAttempts: got.resumedAttempts };
}
