/**
 * A file read a part at a time, so a checkpoint of several hundred megabytes is never held whole: each host reads
 * its own files (Node: a file handle; pages: a File's slices; UXP: require('fs') reads at a position).
 */
export interface ByteSource {
  /** The file's size in bytes. */
  readonly length: number;
  /** Bytes [offset, offset + length) of the file, all of them (the caller keeps within `length`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Fills bytes [offset, offset + length) of a file by positioned reads, `readSome(at, want, position)` reading up to
 * `want` bytes at file `position` into the caller's buffer at `at` and saying how many it read: a read may return
 * fewer bytes than asked, so it goes on until all are there, or the file ends (changed while it was read).
 */
export async function readFully(
  offset: number,
  length: number,
  readSome: (at: number, want: number, position: number) => Promise<number>,
): Promise<void> {
  for (let done = 0; done < length; ) {
    const n = await readSome(done, length - done, offset + done);
    if (!n)
      throw new Error(
        `the file ended at byte ${offset + done}, before byte ${offset + length} (was it changed while read?)`,
      );
    done += n;
  }
}

/** A file already in memory (tests, and hosts that could only read it whole). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    length: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/**
 * A page's File or Blob, as far as it is used here (structurally: the model layer names no DOM type). Pages hand one
 * to their engine worker, which it reaches without a copy, and the import slices it there.
 */
export interface BlobLike {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export function blobSource(blob: BlobLike): ByteSource {
  return {
    length: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** A picked checkpoint, in whichever form its host can give it. */
export type CheckpointFile = Uint8Array | BlobLike | ByteSource;

function isByteSource(f: BlobLike | ByteSource): f is ByteSource {
  return typeof (f as Partial<ByteSource>).read === 'function';
}

export function byteSourceOf(file: CheckpointFile): ByteSource {
  if (file instanceof Uint8Array) return bytesSource(file);
  return isByteSource(file) ? file : blobSource(file);
}
