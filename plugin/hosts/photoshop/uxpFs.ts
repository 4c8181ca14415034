/**
 * UXP's `require('fs')` (uxp-api/reference-js/modules/fs/fs.md), the calls the panel makes, in their promise forms
 * (no callback given). It shares Node's module name, not its API: the UXP bundle leaves `fs` to UXP's require
 * (webpack externals), and tests map this module to the fake in test/fakes/uxpFs.ts.
 */
import * as fsModule from 'fs';

export interface UxpFs {
  /** "Opens or a creates a file asynchronously"; resolves to a file descriptor. */
  open(path: string, flag: string): Promise<number>;
  /** Reads `length` bytes at file `position` (>= 0: "a current file position stayed the same") into `buffer` at `offset`. */
  read(
    fd: number,
    buffer: ArrayBuffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  close(fd: number): Promise<unknown>;
}

export const uxpFs = fsModule as unknown as UxpFs;
