/**
 * Fake of UXP's `require('fs')` (uxp-api/reference-js/modules/fs/fs.md) over the files the fake picker hands out,
 * by native path: open resolves to a descriptor, read(fd, ArrayBuffer, offset, length, position) fills the buffer
 * from `position` and resolves to { bytesRead, buffer }, close frees the descriptor. Whether UXP lets fs open a
 * picked file under localFileSystem: "request" is not documented: `fsControl.refuseOpen` plays the answer "no".
 */
export const nativeFiles = new Map<string, Uint8Array>();
/** Files found by native path beyond those picked (the data folder's: test/fakes/uxp.ts). */
export const nativeFallback: { find?: (path: string) => Uint8Array | undefined } = {};
const fileAt = (path: string) => nativeFiles.get(path) ?? nativeFallback.find?.(path);
export const fsControl = {
  refuseOpen: false,
  reads: [] as { position: number; length: number }[],
  open: new Map<number, string>(),
};
let nextFd = 3;

export async function open(path: string, flag = 'r'): Promise<number> {
  if (fsControl.refuseOpen) throw new Error(`Permission denied: ${path}`);
  if (flag !== 'r') throw new Error('the fake opens files for reading only');
  if (!fileAt(path)) throw new Error(`no such file: ${path}`);
  fsControl.open.set(nextFd, path);
  return nextFd++;
}

export async function read(
  fd: number,
  buffer: ArrayBuffer,
  offset: number,
  length: number,
  position: number,
): Promise<{ bytesRead: number; buffer: ArrayBuffer }> {
  const path = fsControl.open.get(fd);
  if (path === undefined) throw new Error('invalid file descriptor');
  if (
    !(buffer instanceof ArrayBuffer) ||
    offset < 0 ||
    length < 0 ||
    offset + length > buffer.byteLength ||
    position < 0
  )
    throw new Error('invalid parameter');
  const data = (fileAt(path) as Uint8Array).subarray(position, position + length);
  new Uint8Array(buffer, offset, data.length).set(data);
  fsControl.reads.push({ position, length: data.length });
  return { bytesRead: data.length, buffer };
}

export async function close(fd: number): Promise<number> {
  if (!fsControl.open.delete(fd)) throw new Error('invalid file descriptor');
  return 0;
}

export default { open, read, close };

/** What plugin/hosts/photoshop/uxpFs.ts exports, UXP's fs: Jest maps that module here. */
export const uxpFs = { open, read, close };
