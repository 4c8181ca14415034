import { mkdirSync, readFileSync } from 'fs';
import { open } from 'fs/promises';
import { dirname } from 'path';
import { UserFixableError } from '../../engine/core/errors';
import { writeFileAtomic } from './atomicWrite';
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
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, data);
  } catch (e) {
    throw new UserFixableError(`cannot write ${what} ${path}: ${describe(e)}`);
  }
}
