import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { deflateRawSync, inflateRawSync } from 'zlib';
import { zipArchive } from '../../plugin/codecs/zipArchive';

const hello = new TextEncoder().encode('hello');
const big = new Uint8Array(5000).map((_, i) => (i * 7) % 13);

/** Reads an archive back the way unzip does: end record -> central directory -> local headers -> data. */
function readZip(zip: Uint8Array): { name: string; method: number; crc: number; bytes: Uint8Array }[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(v.getUint32(end, true)).toBe(0x06054b50);
  const count = v.getUint16(end + 10, true);
  let p = v.getUint32(end + 16, true);
  expect(p + v.getUint32(end + 12, true)).toBe(end);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(v.getUint32(p, true)).toBe(0x02014b50);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    const size = v.getUint32(p + 20, true);
    const nameLen = v.getUint16(p + 28, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    const at = v.getUint32(p + 42, true);
    expect(v.getUint32(at, true)).toBe(0x04034b50);
    expect(v.getUint16(at + 8, true)).toBe(method);
    expect(v.getUint32(at + 14, true)).toBe(crc);
    const start = at + 30 + v.getUint16(at + 26, true);
    const data = zip.subarray(start, start + size);
    out.push({ name, method, crc, bytes: method === 8 ? new Uint8Array(inflateRawSync(data)) : data });
    p += 46 + nameLen;
  }
  return out;
}

test('stored and deflated entries read back with their names, CRC-32 and bytes', () => {
  const zip = zipArchive([
    { name: 'a.txt', bytes: hello },
    { name: 'dir/b.bin', bytes: big, deflated: deflateRawSync(big) },
  ]);
  const entries = readZip(zip);
  expect(entries.map((e) => [e.name, e.method])).toEqual([
    ['a.txt', 0],
    ['dir/b.bin', 8],
  ]);
  expect(entries[0].crc).toBe(0x3610a686); // CRC-32 of "hello"
  expect(Buffer.from(entries[0].bytes).toString()).toBe('hello');
  expect(Array.from(entries[1].bytes)).toEqual(Array.from(big));
  expect(zip.length).toBeLessThan(big.length); // the deflated entry is what is stored
});

/** An entry's MS-DOS date and time from the local header and the central directory (which must agree). */
function dosStamps(zip: Uint8Array): { y: number; mo: number; d: number; h: number; mi: number; s: number }[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  let p = v.getUint32(end + 16, true);
  const out = [];
  for (let i = 0; i < v.getUint16(end + 10, true); i++) {
    const at = v.getUint32(p + 42, true);
    const time = v.getUint16(p + 12, true);
    const date = v.getUint16(p + 14, true);
    expect([v.getUint16(at + 10, true), v.getUint16(at + 12, true)]).toEqual([time, date]);
    out.push({
      y: 1980 + (date >> 9),
      mo: (date >> 5) & 15,
      d: date & 31,
      h: time >> 11,
      mi: (time >> 5) & 63,
      s: (time & 31) * 2,
    });
    p += 46 + v.getUint16(p + 28, true);
  }
  return out;
}

test('entries carry a real date: the given time (to 2 s), else 1980-01-01 00:00, never month or day 0', () => {
  const when = new Date(2026, 10, 30, 6, 15, 43);
  const zip = zipArchive([
    { name: 'a.png', bytes: hello, modified: when },
    { name: 'b.png', bytes: hello },
    { name: 'c', bytes: hello, modified: new Date(1970, 0, 1) },
  ]);
  expect(dosStamps(zip)).toEqual([
    { y: 2026, mo: 11, d: 30, h: 6, mi: 15, s: 42 },
    { y: 1980, mo: 1, d: 1, h: 0, mi: 0, s: 0 },
    { y: 1980, mo: 1, d: 1, h: 0, mi: 0, s: 0 },
  ]);
  // without dates the archive is the same bytes each time (the .ccx package is reproducible)
  expect(zipArchive([{ name: 'b.png', bytes: hello }])).toEqual(zipArchive([{ name: 'b.png', bytes: hello }]));
});

// Where Info-ZIP's unzip is installed (Debian: apt-get install unzip), it must accept the archive too.
const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
(hasUnzip ? test : test.skip)('unzip -t finds no errors and unzip -l shows real dates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zip-'));
  try {
    const file = join(dir, 'a.zip');
    writeFileSync(
      file,
      zipArchive([
        { name: 'a.txt', bytes: hello },
        { name: 'b.bin', bytes: big, deflated: deflateRawSync(big) },
      ]),
    );
    expect(execFileSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
    expect(execFileSync('unzip', ['-l', file]).toString()).toMatch(/(1980-01-01|01-01-1980) 00:00 +a\.txt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
