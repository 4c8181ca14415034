import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'fs';
import { basename, dirname, join } from 'path';

/**
 * Writes `data` to a temporary file beside `path` and renames it into place, so readers see the old file or the
 * whole new one: a full disk, a file-size limit or a kill mid-write leaves the previous file intact (rename within
 * one folder is atomic). The temporary name is hidden and unique per process; a failed write removes it.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      // on disk before the rename, so a crash cannot leave the new name pointing at missing data
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
