/**
 * A folder of outputs replaced as one unit (drag --frames): filled in a hidden sibling, then swapped into place, so a
 * kill at any moment leaves the old folder or the new one, never old frames mixed with new ones. Leftovers of killed
 * runs are cleared (or, a killed swap, the old folder put back) by the next run.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync } from 'fs';
import { basename, dirname, join } from 'path';
import { UserFixableError } from '../../core/errors';
import { leftByDeadWriters } from './atomicWrite';

/** Checks that `dir` is absent or a folder holding only files `ours` accepts (it is replaced whole). */
function checkReplaceable(dir: string, ours: (name: string) => boolean, what: string): void {
  if (!existsSync(dir)) return;
  if (!lstatSync(dir).isDirectory())
    throw new UserFixableError(`cannot make the ${what} ${dir}: a file of that name is in the way; name a folder`);
  const other = readdirSync(dir).find((n) => !ours(n));
  if (other !== undefined) {
    throw new UserFixableError(
      `the ${what} ${dir} holds other files (${other}); it is replaced as a whole, so name a new or empty folder, or one of earlier output`,
    );
  }
}

export interface StagedFolder {
  /** Where to write the files now. */
  readonly path: string;
  /**
   * Puts the staged folder in place of the target; the old one is only moved aside, so the files written with it can
   * be renamed right after (removing a folder of frames takes long enough for a kill to land between the two).
   */
  commit(): void;
  /** Removes what is left: the staged folder of a failed run, or the folder a commit replaced. */
  discard(): void;
}

/** Starts replacing `dir`, whose files are those `ours` accepts (checked now and at the commit). */
export function stageFolder(dir: string, ours: (name: string) => boolean, what: string): StagedFolder {
  const parent = dirname(dir);
  const name = basename(dir);
  mkdirSync(parent, { recursive: true });
  // a run killed between its two renames left the old folder aside and none in place: put it back first
  for (const old of leftByDeadWriters(parent, name, '.old')) {
    if (existsSync(dir)) rmSync(join(parent, old), { recursive: true, force: true });
    else renameSync(join(parent, old), dir);
  }
  for (const partial of leftByDeadWriters(parent, name, '.partial'))
    rmSync(join(parent, partial), { recursive: true, force: true });
  checkReplaceable(dir, ours, what);
  const path = join(parent, `.${name}.${process.pid}.partial`);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path);
  const aside = join(parent, `.${name}.${process.pid}.old`);
  return {
    path,
    commit() {
      checkReplaceable(dir, ours, what);
      if (existsSync(dir)) renameSync(dir, aside);
      renameSync(path, dir);
    },
    discard() {
      // a kill before this leaves the aside folder to the next run, which removes it (the new folder is in place)
      rmSync(path, { recursive: true, force: true });
      rmSync(aside, { recursive: true, force: true });
    },
  };
}
