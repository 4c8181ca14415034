/**
 * "Get models…" in a panel host: a catalog model downloaded (resumable), imported with the streamed importer and
 * installed in the host's storage under its id. Each failure leaves only what resuming needs: a stop or a lasting
 * network failure keeps the partial download; a wrong size, a wrong sha256 (where the catalog has one), an HTTP error
 * or a file the importer refuses removes it, and nothing is ever installed half-written (ModelStorage.install is whole or nothing).
 */
import { Sha256 } from '../../codecs/sha256';
import { CheckpointError, ModelConfigError, UserFixableError } from '../../core/errors';
import { catalogImportOptions } from '../catalog/catalogImportOptions';
import type { CatalogEntry } from '../catalog/catalogTypes';
import type { ByteSource } from '../byteSource';
import { importCheckpointFrom } from '../importCheckpoint';
import { downloadInChunks, type ChunkedDownloadOptions } from './chunkedDownload';
import { DownloadError, DownloadStopped } from './downloadError';
import type { ModelStorage } from './modelStorage';

export interface PullToStorageOptions extends Pick<
  ChunkedDownloadOptions,
  'fetch' | 'chunkBytes' | 'retries' | 'retryDelayMs' | 'onProgress' | 'onNote' | 'cancelled'
> {
  readonly entry: CatalogEntry;
  /** Where to download from, in order (catalogLookup.downloadUrls). */
  readonly urls: readonly string[];
  readonly storage: ModelStorage;
  /** Called when the download is whole and its check (sha256) and import start: it can no longer be cancelled. */
  readonly onImport?: () => void;
}

/** The file's sha256 as lower-case hex, read 8 MiB at a time (checkpoints are hundreds of megabytes). */
async function sha256Of(source: ByteSource): Promise<string> {
  const hash = new Sha256();
  for (let at = 0; at < source.length; at += 8 * 2 ** 20)
    hash.update(await source.read(at, Math.min(8 * 2 ** 20, source.length - at)));
  return hash.hex();
}

export async function pullToStorage(o: PullToStorageOptions): Promise<void> {
  const file = o.storage.partial(o.entry.id, o.entry.fileName);
  for (const [i, url] of o.urls.entries()) {
    try {
      await downloadInChunks({ ...o, url, file, expectedBytes: o.entry.bytes });
      break;
    } catch (e) {
      if (!(e instanceof DownloadError) || e instanceof DownloadStopped || i === o.urls.length - 1) throw e;
      // another location may hold a different copy: its bytes must not be appended to this one's
      await file.clear();
      o.onNote?.(`${e.message}; trying ${o.urls[i + 1]}`);
    }
  }
  o.onImport?.();
  if (o.entry.sha256 !== null) {
    const got = await sha256Of(await file.source());
    if (got !== o.entry.sha256) {
      await file.clear();
      throw new DownloadError(
        `${o.entry.fileName} has sha256 ${got}, not the ${o.entry.sha256} published: a different or damaged file; nothing was kept (download again; if this happens again, the site's file is not the published one)`,
      );
    }
  }
  let pkg;
  try {
    pkg = await importCheckpointFrom(await file.source(), catalogImportOptions(o.entry));
  } catch (e) {
    await file.clear();
    if (e instanceof CheckpointError || e instanceof ModelConfigError) {
      throw new UserFixableError(
        `downloaded ${o.entry.fileName} but cannot import it: ${e.message}. The download was removed`,
      );
    }
    throw e;
  }
  await o.storage.install(o.entry.id, pkg, file);
  await file.clear();
}
