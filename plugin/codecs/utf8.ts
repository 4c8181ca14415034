/**
 * UTF-8 without depending on TextDecoder / TextEncoder: Photoshop's UXP has neither global (its global API list
 * names no Encoding API), so a module that made one while loading stopped the whole panel bundle. The globals are
 * used when present (they are faster on big headers) and looked up only when called, never at load.
 */

const REPLACEMENT = 0xfffd;

export class InvalidUtf8Error extends Error {
  override name = 'InvalidUtf8Error';
}

/** Decodes UTF-8. fatal: throw InvalidUtf8Error on malformed bytes (else each maximal bad subpart becomes U+FFFD). */
export function decodeUtf8(bytes: Uint8Array, opts: { fatal?: boolean } = {}): string {
  if (typeof TextDecoder === 'function') {
    try {
      return new TextDecoder('utf-8', { fatal: !!opts.fatal }).decode(bytes);
    } catch (e) {
      throw new InvalidUtf8Error((e as Error).message);
    }
  }
  return decodeUtf8Pure(bytes, opts);
}

export function encodeUtf8(s: string): Uint8Array {
  if (typeof TextEncoder === 'function') return new TextEncoder().encode(s);
  return encodeUtf8Pure(s);
}

/** The pure-TypeScript decoder (WHATWG UTF-8 decode: the same output as TextDecoder, error handling included). */
export function decodeUtf8Pure(bytes: Uint8Array, opts: { fatal?: boolean } = {}): string {
  const units: number[] = [];
  let out = '';
  const flush = () => {
    out += String.fromCharCode(...units);
    units.length = 0;
  };
  const bad = (at: number) => {
    if (opts.fatal) throw new InvalidUtf8Error(`invalid UTF-8 at byte ${at}`);
    units.push(REPLACEMENT);
  };
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    if (units.length > 8192) flush();
    const b = bytes[i];
    if (b < 0x80) {
      units.push(b);
      i++;
      continue;
    }
    let need: number,
      cp: number,
      lo = 0x80,
      hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) ((need = 1), (cp = b & 0x1f));
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // beyond U+10FFFF
    } else {
      bad(i);
      i++;
      continue;
    }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const c = j < n ? bytes[j] : -1;
      if (c < lo || c > hi) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
      lo = 0x80;
      hi = 0xbf;
    }
    if (!ok) {
      // the lead byte and the valid continuation bytes before the bad one form one replaced subpart
      bad(i);
      i = j;
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else units.push(cp);
    i = j;
  }
  flush();
  return out;
}

/** The pure-TypeScript encoder (lone surrogates become U+FFFD, as TextEncoder does). */
export function encodeUtf8Pure(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = REPLACEMENT;
    }
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) ((out[o++] = 0xc0 | (c >> 6)), (out[o++] = 0x80 | (c & 0x3f)));
    else if (c < 0x10000)
      ((out[o++] = 0xe0 | (c >> 12)), (out[o++] = 0x80 | ((c >> 6) & 0x3f)), (out[o++] = 0x80 | (c & 0x3f)));
    else
      ((out[o++] = 0xf0 | (c >> 18)),
        (out[o++] = 0x80 | ((c >> 12) & 0x3f)),
        (out[o++] = 0x80 | ((c >> 6) & 0x3f)),
        (out[o++] = 0x80 | (c & 0x3f)));
  }
  return out.slice(0, o);
}
