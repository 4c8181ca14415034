/** A file on disk as a ByteSource: positioned reads through one open handle, never the whole file at once. */
import type { FileHandle } from 'fs/promises';
import { readFully, type ByteSource } from '../../model/byteSource';

export interface OpenByteSource extends ByteSource {
  close(): Promise<void>;
}

export function fileByteSource(handle: FileHandle, size: number): OpenByteSource {
  return {
    length: size,
    async read(offset, length) {
      const out = new Uint8Array(length);
      await readFully(
        offset,
        length,
        async (at, want, position) => (await handle.read(out, at, want, position)).bytesRead,
      );
      return out;
    },
    close: () => handle.close(),
  };
}
