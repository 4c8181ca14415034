/**
 * A picked file read a part at a time, so importing a 360 MB .pkl never holds it whole (docs/photoshop.md, finding
 * 14). Adobe documents positioned reads only in `require('fs')`: open(path, "r"), then read(fd, buffer, offset,
 * length, position) (uxp-api/reference-js/modules/fs/fs.md); File.read takes nothing but a format and returns the
 * whole file (persistent-file-storage/file.md). The pages do not say whether fs may open a file the user picked
 * (its nativePath) under `localFileSystem: "request"`, so the panel tries, and reads the file whole with File.read
 * where it may not.
 */
import { bytesSource, readFully, type ByteSource } from '../../model/byteSource';
import type { UxpFs } from './uxpFs';

/** A picked storage File as far as this uses it (Entry.nativePath, Entry.getMetadata().size, File.read). */
export interface PickedFile {
  name: string;
  nativePath?: string;
  getMetadata?(): Promise<{ size?: unknown }>;
  read(options: { format?: symbol }): Promise<unknown>;
}

export interface UxpByteSource extends ByteSource {
  /** How it is read: in parts through fs, or whole (the fallback). */
  readonly how: 'positioned reads' | 'whole file';
}

function bytesOf(v: unknown, what: string): Uint8Array {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new Error(`${what} could not be read as binary data`);
}

/**
 * Each read opens, reads and closes: the import never has to close anything, whatever way it ends. A few hundred
 * opens for a 512 px snapshot cost far less than its conversion.
 */
function positionedReads(fs: UxpFs, path: string, size: number): UxpByteSource {
  return {
    how: 'positioned reads',
    length: size,
    async read(offset, length) {
      const buffer = new ArrayBuffer(length);
      const fd = await fs.open(path, 'r');
      try {
        await readFully(
          offset,
          length,
          async (at, want, position) => (await fs.read(fd, buffer, at, want, position)).bytesRead,
        );
      } finally {
        await fs.close(fd);
      }
      return new Uint8Array(buffer);
    },
  };
}

async function sizeOf(file: PickedFile): Promise<number | undefined> {
  const size = (await file.getMetadata?.().catch(() => undefined))?.size;
  return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}

export async function uxpByteSource(file: PickedFile, fs: UxpFs | undefined, binary: symbol): Promise<UxpByteSource> {
  const path = file.nativePath;
  const size = await sizeOf(file);
  if (fs && path && size !== undefined) {
    // one trial open: where fs may not open the picked file, the fallback below says so by working
    const fd = await Promise.resolve()
      .then(() => fs.open(path, 'r'))
      .catch(() => undefined);
    if (fd !== undefined) {
      await fs.close(fd);
      return positionedReads(fs, path, size);
    }
  }
  return { how: 'whole file', ...bytesSource(bytesOf(await file.read({ format: binary }), file.name)) };
}
