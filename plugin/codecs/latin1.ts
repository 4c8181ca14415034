/** Latin-1 (each byte one character), for headers that are bytes rather than text (pickle lines, .npy v1/v2). */
export function decodeLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
