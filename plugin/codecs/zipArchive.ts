/**
 * A zip archive writer (PKWARE APPNOTE: local headers, central directory, end record; no zip64), shared by the web
 * page's frame download and `npm run package`'s .ccx. Compression is the caller's: an entry given `deflated`
 * (raw DEFLATE of `bytes`, e.g. from Node's zlib.deflateRawSync) is stored with method 8, any other uncompressed.
 * Each entry carries an MS-DOS date and time (local time, as unzip shows it); without `modified` it is the format's
 * first day, 1980-01-01 00:00, so packages built from the same files are byte-identical.
 */
import { crc32 } from './crc32';
import { encodeUtf8 } from './utf8';

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
  deflated?: Uint8Array;
  modified?: Date;
}

/** MS-DOS time and date words: seconds / 2, minutes, hours; day, month, years since 1980 (1980..2107). */
function dosDateTime(d: Date | undefined): { time: number; date: number } {
  const y = d?.getFullYear() ?? 1980;
  if (!d || Number.isNaN(y) || y < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (y > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((y - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const STORED = 0;
const DEFLATED = 8;

export function zipArchive(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = encodeUtf8(e.name);
    const data = e.deflated ?? e.bytes;
    const method = e.deflated ? DEFLATED : STORED;
    const crc = crc32(e.bytes);
    const { time, date } = dosDateTime(e.modified);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed: 2.0
    lv.setUint16(8, method, true);
    lv.setUint16(10, time, true);
    lv.setUint16(12, date, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, e.bytes.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true); // made by
    cv.setUint16(6, 20, true); // version needed
    cv.setUint16(10, method, true);
    cv.setUint16(12, time, true);
    cv.setUint16(14, date, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, e.bytes.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let o = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}
