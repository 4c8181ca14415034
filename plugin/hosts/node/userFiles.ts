import { closeSync, fstatSync, mkdirSync, openSync, readSync, statSync, type Stats } from 'fs';
import { open } from 'fs/promises';
import { dirname } from 'path';
import { UserFixableError } from '../../core/errors';
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

/** What a path that is not a regular file is, in words (for "cannot read X: it is ..."). */
function notRegular(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'it is a directory, not a file';
  if (s.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'it is a device, not a regular file';
  if (s.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

/** Past this a file is not what the command expects, whatever it claims to be (a 1024 px model's weights are ~120 MB). */
export const DEFAULT_READ_LIMIT = 2 * 2 ** 30;

/** A model.json is a few kilobytes; room for long descriptions and licences. */
export const MODEL_JSON_LIMIT = 16 * 2 ** 20;
/** An image file: the decoders' limit is 400 MB of decoded pixels, and no compressed file is larger than that. */
export const IMAGE_FILE_LIMIT = 400 * 2 ** 20;
/** A W+ latent of the largest model (18 x 512 float32) is 37 KB; room for float64 and headers. */
export const LATENT_FILE_LIMIT = 16 * 2 ** 20;
/** Landmarks, transforms: small JSON. */
export const JSON_FILE_LIMIT = 64 * 2 ** 20;

const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/**
 * Reads a file the user named; `what` says which one ("latent", "checkpoint") in the error. Only regular files are
 * read, and only up to `maxBytes`, both checked before any byte is read: a FIFO would block forever, /dev/zero
 * would fill the memory, and a file of the wrong kind named by mistake would be read whole before being refused.
 */
export function readUserFile(path: string, what: string, maxBytes = DEFAULT_READ_LIMIT): Uint8Array {
  const fail = (why: string) => new UserFixableError(`cannot read ${what} ${path}: ${why}`);
  let fd: number | undefined;
  try {
    // stat before open: opening a FIFO for reading waits for a writer
    const kind = notRegular(statSync(path));
    if (kind) throw fail(kind);
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    const again = notRegular(st);
    if (again) throw fail(again);
    if (st.size > maxBytes)
      throw fail(`it is ${mb(st.size)}, over the ${mb(maxBytes)} a ${what} file may be; is it the right file?`);
    const out = new Uint8Array(st.size);
    for (let done = 0; done < out.length; ) {
      const n = readSync(fd, out, done, out.length - done, done);
      // the file shrank while being read
      if (n === 0) return out.subarray(0, done);
      done += n;
    }
    return out;
  } catch (e) {
    if (e instanceof UserFixableError) throw e;
    throw fail(describe(e));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Opens a file the user named to be read a part at a time (a checkpoint of hundreds of megabytes); close it after. */
export async function openUserFile(path: string, what: string): Promise<OpenByteSource> {
  try {
    const kind = notRegular(statSync(path));
    if (kind) throw Object.assign(new Error(kind.replace(/^it is /, '')), { userWhy: kind });
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      const again = notRegular(stat);
      if (again) throw Object.assign(new Error(again), { userWhy: again });
      return fileByteSource(handle, stat.size);
    } catch (e) {
      await handle.close();
      throw e;
    }
  } catch (e) {
    throw new UserFixableError(`cannot read ${what} ${path}: ${(e as { userWhy?: string }).userWhy ?? describe(e)}`);
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
export function writeUserFiles(
  files: readonly { path: string; what: string; data: Uint8Array | string }[],
  opts: { beforeRename?: () => void } = {},
): void {
  const cannot = (f: { path: string; what: string }, e: unknown) =>
    new UserFixableError(`cannot write ${f.what} ${f.path}: ${describe(e)}`);
  for (const f of files) {
    try {
      mkdirSync(dirname(f.path), { recursive: true });
    } catch (e) {
      throw cannot(f, e);
    }
  }
  try {
    writeFilesAtomic(files, opts);
  } catch (e) {
    if (e instanceof UserFixableError) throw e;
    throw cannot(files.find((f) => f.path === (e as { file?: string }).file) ?? files[0], e);
  }
}
