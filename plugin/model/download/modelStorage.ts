/**
 * Where a host keeps the models it downloads from the catalog (the plugin's data folder in Photoshop, IndexedDB in a
 * page), as far as a download needs it. Each host maps its own failures (a full disk, a page over its quota) to a
 * DownloadError that says what to do.
 */
import type { ByteSource } from '../byteSource';
import type { ModelPackage } from '../modelPackage';

/** A download in progress, kept across interruptions so it can resume: bytes appended in order. */
export interface PartialDownload {
  /** Bytes kept so far (0 when there is none). */
  size(): Promise<number>;
  append(bytes: Uint8Array): Promise<void>;
  /** Forgets every byte kept (a failed check, a file that changed on the server). */
  clear(): Promise<void>;
  /** The bytes kept, read a part at a time (the import reads it so). */
  source(): Promise<ByteSource>;
}

export interface ModelStorage {
  partial(id: string, fileName: string): PartialDownload;
  /**
   * Installs the imported model under its catalog id, whole or not at all (written aside, then renamed or committed
   * in one step); `download` holds the checkpoint it came from, for a host that keeps that instead of the package.
   */
  install(id: string, pkg: ModelPackage, download: PartialDownload): Promise<void>;
  /** The catalog ids installed (whole) here. */
  installed(): Promise<string[]>;
  /** Removes an installed model and any partial download of it. */
  remove(id: string): Promise<void>;
}
