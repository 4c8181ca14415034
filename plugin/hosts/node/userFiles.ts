import { mkdirSync, readFileSync } from 'fs';
import { open } from 'fs/promises';
import { dirname } from 'path';
import { UserFixableError } from '../../engine/core/errors';
import { writeFilesAtomic } from './atomicWrite';
import { fileByteSource, type OpenByteSource } from './fileByteSource';

function describe(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a parent of it is a file, not a directory';
  return e instanceof Error ? e.message : String(e);
}

/** Reads a file the user named; `what` says which one ("latent", "checkpoint") in the error. */
export function readUserFile(path: string, what: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new UserFixableError(`cannot read ${what} ${path}: ${describe(e)}`);
  }
}

/** Opens a file the user named to be read a part at a time (a checkpoint of hundreds of megabytes); close it after. */
export async function openUserFile(path: string, what: string): Promise<OpenByteSource> {
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
      return fileByteSource(handle, stat.size);
    } catch (e) {
      await handle.close();
      throw e;
    }
  } catch (e) {
    throw new UserFixableError(`cannot read ${what} ${path}: ${describe(e)}`);
  }
}

/** Writes a file the user named, creating its folder if needed; the old file stays whole until the new one is. */
export function writeUserFile(path: string, what: string, data: Uint8Array | string): void {
  writeUserFiles([{ path, what, data }]);
}

/**
 * Writes files the user named as one set (an image and its latent): each is written beside its target first and
 * all are renamed into place only when every one was written, so a failure leaves the old set, not a mix.
 */
export function writeUserFiles(files: readonly { path: string; what: string; data: Uint8Array | string }[]): void {
  const cannot = (f: { path: string; what: string }, e: unknown) => new UserFixableError(`cannot write ${f.what} ${f.path}: ${describe(e)}`);
  for (const f of files) {
    try {
      mkdirSync(dirname(f.path), { recursive: true });
    } catch (e) {
      throw cannot(f, e);
    }
  }
  try {
    writeFilesAtomic(files);
  } catch (e) {
    throw cannot(files.find((f) => f.path === (e as { file?: string }).file) ?? files[0], e);
  }
}
