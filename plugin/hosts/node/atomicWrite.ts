import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'fs';
import { basename, dirname, join } from 'path';

/** What a path that is not a regular file is, in words. */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notAFile(path: string, what: string): Error {
  return Object.assign(new Error(`${path} is ${what}, not a regular file; name a file to write`), { code: 'ENOTREG' });
}

/**
 * Where a write to `path` lands: the path itself when it is absent or a regular file; through a symbolic link to the
 * regular file it names (the link is kept, its file replaced, as `cp` and editors do); anything else is refused,
 * since replacing a device, a pipe or a folder with a file is never what was meant (as root, `--out /dev/null` would
 * otherwise replace the device).
 */
function writeTarget(path: string): string {
  let s: Stats;
  try {
    s = lstatSync(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return path;
    throw e;
  }
  if (s.isFile()) return path;
  if (!s.isSymbolicLink()) throw notAFile(path, kindOf(s));
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    throw notAFile(path, 'a symbolic link to nothing');
  }
  const t = statSync(target);
  if (!t.isFile()) throw notAFile(path, `a symbolic link to ${kindOf(t)}`);
  return target;
}

/** Removes temporary files an earlier writer of this name left when it was killed (its process is gone). */
function removeStalePartials(folder: string, name: string): void {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.partial')) continue;
    const pid = Number(entry.slice(prefix.length, -'.partial'.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      // ESRCH: no such process, so nobody is writing it; EPERM: alive, another user's
      if ((e as { code?: string }).code === 'ESRCH') rmSync(join(folder, entry), { force: true });
    }
  }
}

/**
 * Writes `data` to a temporary file beside the target and renames it into place, so readers see the old file or
 * the whole new one: a full disk, a file-size limit or a kill mid-write leaves the previous file intact (rename
 * within one folder is atomic). The temporary name is hidden and unique per process; a failed write removes it, and
 * ones left by killed writers are removed by the next write. Only regular files are written (see writeTarget).
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const target = writeTarget(path);
  const folder = dirname(target);
  const name = basename(target);
  removeStalePartials(folder, name);
  const tmp = join(folder, `.${name}.${process.pid}.partial`);
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
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
