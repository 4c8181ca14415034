/** A file on disk as a ByteSource: positioned reads through one open handle, never the whole file at once. */
import type { FileHandle } from 'fs/promises';
import type { ByteSource } from '../../model/byteSource';

export interface OpenByteSource extends ByteSource {
  close(): Promise<void>;
}

export function fileByteSource(handle: FileHandle, size: number): OpenByteSource {
  return {
    length: size,
    async read(offset, length) {
      const out = new Uint8Array(length);
      // a read may return fewer bytes than asked: go on until all are there or the file ends
      for (let done = 0; done < length; ) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`the file ended at byte ${offset + done}, before byte ${offset + length} (was it changed while read?)`);
        done += bytesRead;
      }
      return out;
    },
    close: () => handle.close(),
  };
}
