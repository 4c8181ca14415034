import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'fs';
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

/**
 * Entries of `folder` named `.NAME.PID<suffix>` that a writer of `name` left when it was killed: its process is gone
 * (ESRCH; EPERM means alive, another user's).
 */
export function leftByDeadWriters(folder: string, name: string, suffix: string): string[] {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.filter((entry) => {
    if (!entry.startsWith(prefix) || !entry.endsWith(suffix)) return false;
    const pid = Number(entry.slice(prefix.length, -suffix.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as { code?: string }).code === 'ESRCH';
    }
  });
}

/** Removes temporary files an earlier writer of this name left when it was killed. */
function removeStalePartials(folder: string, name: string): void {
  for (const entry of leftByDeadWriters(folder, name, '.partial')) rmSync(join(folder, entry), { force: true });
}

function writeTemp(path: string, data: Uint8Array | string): { tmp: string; target: string } {
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
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { tmp, target };
}

/**
 * Writes each file to a temporary file beside its target, and only when all are written renames them into place,
 * so a full disk, a file-size limit, a bad path or a kill while writing leaves every previous file intact (rename
 * within one folder is atomic; a set of outputs, such as an image and its latent, is replaced together or not at
 * all, short of a crash between the renames). Temporary names are hidden and unique per process; a failed write
 * removes them, and ones left by killed writers are removed by the next write. Only regular files are written (see
 * writeTarget).
 */
export function writeFilesAtomic(
  files: readonly { path: string; data: Uint8Array | string }[],
  opts: { beforeRename?: () => void } = {},
): void {
  const written: { tmp: string; target: string }[] = [];
  let current = '';
  try {
    for (const f of files) {
      current = f.path;
      written.push(writeTemp(f.path, f.data));
    }
    // another output of the set (a folder swapped into place) joins the renames here
    opts.beforeRename?.();
    for (const [i, w] of written.entries()) {
      current = files[i].path;
      renameSync(w.tmp, w.target);
    }
  } catch (e) {
    for (const w of written) rmSync(w.tmp, { force: true });
    // which of the files failed, for the caller's message
    if (e instanceof Error) Object.assign(e, { file: current });
    throw e;
  }
}

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  writeFilesAtomic([{ path, data }]);
}
