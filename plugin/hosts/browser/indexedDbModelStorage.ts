/**
 * Catalog models in the page's IndexedDB. IndexedDB rather than the origin-private file system: every browser has it
 * on a page's main thread (OPFS's createWritable is missing from some), it keeps Blobs on disk, and a transaction
 * commits whole or not at all, which is what install needs: the parts of a download become one installed checkpoint
 * and disappear in the same transaction. A download grows as Blob parts (one per range), so it survives a closed tab
 * and resumes from their total. The installed model is the checkpoint itself: the page's worker imports it from
 * the Blob when opened (as it does a picked .pkl), read a slice at a time from disk.
 */
import { DownloadError } from '../../model/download/downloadError';
import type { ModelStorage, PartialDownload } from '../../model/download/modelStorage';
import { blobSource } from '../../model/byteSource';

const DB = 'draggan-models';
const PARTS = 'parts';
const MODELS = 'models';

interface Part {
  id: string;
  n: number;
  blob: Blob;
}

export interface StoredCheckpoint {
  /** The catalog id. */
  id: string;
  blob: Blob;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(t: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onabort = t.onerror = () => reject(t.error ?? new Error('the transaction was aborted'));
  });
}

let opened: Promise<IDBDatabase> | undefined;
function db(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(PARTS, { keyPath: ['id', 'n'] });
      r.result.createObjectStore(MODELS, { keyPath: 'id' });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  return opened;
}

const partsOf = (id: string) => IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]);

async function parts(id: string): Promise<Part[]> {
  return request((await db()).transaction(PARTS).objectStore(PARTS).getAll(partsOf(id)) as IDBRequest<Part[]>);
}

function storageProblem(e: unknown): DownloadError {
  const full = (e as { name?: unknown }).name === 'QuotaExceededError';
  return new DownloadError(
    full
      ? "the browser's storage for this page is full: remove a downloaded model or free disk space, then download again (the part downloaded so far is kept)"
      : `the page cannot store the download (${e instanceof Error ? e.message : String(e)})`,
  );
}

function partial(id: string): PartialDownload {
  return {
    async size() {
      return (await parts(id)).reduce((n, p) => n + p.blob.size, 0);
    },
    async append(bytes) {
      const n = (await parts(id)).length;
      // asked once: a persisted origin's storage is not evicted under pressure (StorageManager.persist)
      if (n === 0) await navigator.storage?.persist?.().catch(() => false);
      try {
        const t = (await db()).transaction(PARTS, 'readwrite');
        t.objectStore(PARTS).put({ id, n, blob: new Blob([bytes.slice()]) } satisfies Part);
        await done(t);
      } catch (e) {
        throw storageProblem(e);
      }
    },
    async clear() {
      const t = (await db()).transaction(PARTS, 'readwrite');
      t.objectStore(PARTS).delete(partsOf(id));
      await done(t);
    },
    async source() {
      return blobSource(new Blob((await parts(id)).map((p) => p.blob)));
    },
  };
}

export const indexedDbModelStorage: ModelStorage & { checkpoints(): Promise<StoredCheckpoint[]> } = {
  partial: (id) => partial(id),
  async install(id, _pkg, download) {
    const blob = new Blob((await parts(id)).map((p) => p.blob));
    if (blob.size !== (await download.size())) throw new Error(`the download of ${id} changed while it was installed`);
    try {
      const t = (await db()).transaction([PARTS, MODELS], 'readwrite');
      t.objectStore(MODELS).put({ id, blob } satisfies StoredCheckpoint);
      t.objectStore(PARTS).delete(partsOf(id));
      await done(t);
    } catch (e) {
      throw storageProblem(e);
    }
  },
  async installed() {
    return ((await request((await db()).transaction(MODELS).objectStore(MODELS).getAllKeys())) as string[]).map(String);
  },
  async checkpoints() {
    return request((await db()).transaction(MODELS).objectStore(MODELS).getAll() as IDBRequest<StoredCheckpoint[]>);
  },
  async remove(id) {
    const t = (await db()).transaction([PARTS, MODELS], 'readwrite');
    t.objectStore(MODELS).delete(id);
    t.objectStore(PARTS).delete(partsOf(id));
    await done(t);
  },
};
