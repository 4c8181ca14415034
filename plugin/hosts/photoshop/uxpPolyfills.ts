/**
 * Stand-ins for the globals the panel's libraries call that UXP's reference does not list, each installed only where
 * the host lacks it (a Photoshop that has the real one keeps it). Sources: AdobeDocs/uxp-photoshop, src/pages/:
 * - `Element.prototype.toggleAttribute`: uxp-api/reference-js/global-members/html-dom/element.md lists get/set/
 *   remove/hasAttribute but not toggleAttribute; Lit 3 calls it for every boolean attribute binding (`?disabled=`).
 * - the `URL` constructor: global-members/index.md lists no URL class (only `URL.createObjectURL` appears, in
 *   image-blob.md); onnxruntime-web's glue resolves file names with `new URL(name, base)`, and the remote endpoint
 *   client parses the user's URL with it.
 * - `performance`: not listed; onnxruntime-web's wasm glue reads `performance.timeOrigin + performance.now()` for
 *   its clock (undefined there is NaN, then "NaN cannot be converted to a BigInt").
 * - `Atomics`: an ECMAScript built-in, but not listed either; onnxruntime-web's glue reads `Atomics.waitAsync` as it
 *   starts (a ReferenceError without it) and stores through `Atomics` only for worker threads, which the panel never
 *   starts (one thread: numThreads 1). On one thread an atomic operation is the plain one, so the stand-in is exact.
 * The harness (test/e2e/uxp/uxpGlobals.ts) removes the first three, and `Atomics` in a run of its own
 * (test/e2e/uxp/wasmLimits.ts), so the panel is tested on these stand-ins.
 */

interface UrlStatics {
  createObjectURL?: (blob: Blob) => string;
  revokeObjectURL?: (url: string) => void;
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*:)(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/i;

/** RFC 3986 5.2.4: the path with its '.' and '..' segments removed. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  segments.forEach((s, i) => {
    const last = i === segments.length - 1;
    if (s === '..') {
      if (out.length > 1) out.pop();
      if (last) out.push('');
    } else if (s === '.') {
      if (last) out.push('');
    } else out.push(s);
  });
  return out.join('/');
}

/** An absolute URL's parts, resolving `input` against `base` (RFC 3986 5.2.2) when it is relative. */
export function resolveUrl(
  input: string,
  base?: string,
): { protocol: string; host: string; pathname: string; search: string; hash: string } {
  const own = URL_PARTS.exec(input);
  if (own)
    return {
      protocol: own[1].toLowerCase(),
      host: own[2] ?? '',
      pathname: removeDotSegments(own[3] || (own[2] !== undefined ? '/' : '')),
      search: own[4] ?? '',
      hash: own[5] ?? '',
    };
  if (base === undefined) throw new TypeError(`Invalid URL: ${input}`);
  const b = resolveUrl(base);
  const ref = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(input)!;
  const [, path, search, hash = ''] = ref;
  if (input.startsWith('//')) return resolveUrl(`${b.protocol}${input}`);
  if (path === '') return { ...b, search: search ?? b.search, hash };
  const merged = path.startsWith('/') ? path : `${b.pathname.slice(0, b.pathname.lastIndexOf('/') + 1)}${path}`;
  return { protocol: b.protocol, host: b.host, pathname: removeDotSegments(merged), search: search ?? '', hash };
}

/** The parts of URL a stand-in needs: what onnxruntime-web and the endpoint client read. */
export class UrlStandIn {
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;

  constructor(input: string | { href: string }, base?: string | { href: string }) {
    const p = resolveUrl(
      typeof input === 'string' ? input : input.href,
      base === undefined ? undefined : typeof base === 'string' ? base : base.href,
    );
    this.protocol = p.protocol;
    this.host = p.host;
    const colon = p.host.lastIndexOf(':');
    const bracket = p.host.lastIndexOf(']');
    this.hostname = colon > bracket ? p.host.slice(0, colon) : p.host;
    this.port = colon > bracket ? p.host.slice(colon + 1) : '';
    this.pathname = p.pathname;
    this.search = p.search;
    this.hash = p.hash;
  }

  get origin(): string {
    return this.host ? `${this.protocol}//${this.host}` : 'null';
  }

  get href(): string {
    return `${this.protocol}${this.host || this.protocol === 'file:' ? `//${this.host}` : ''}${this.pathname}${this.search}${this.hash}`;
  }

  toString(): string {
    return this.href;
  }

  toJSON(): string {
    return this.href;
  }
}

function hasUrlConstructor(g: { URL?: unknown }): boolean {
  try {
    return typeof g.URL === 'function' && new (g.URL as typeof URL)('a', 'http://h/').href === 'http://h/a';
  } catch {
    return false;
  }
}

type IntArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Atomics for a program with one thread: each operation is the plain read-modify-write, returning the old value. */
function singleThreadAtomics(): Partial<typeof Atomics> {
  const rmw =
    (f: (old: number | bigint, v: number | bigint) => number | bigint) =>
    (a: IntArray, i: number, v: number | bigint) => {
      const old = a[i];
      (a as unknown as (number | bigint)[])[i] = f(old, v);
      return old;
    };
  const num = (f: (x: number, y: number) => number) => (x: number | bigint, y: number | bigint) =>
    typeof x === 'bigint' ? BigInt(f(Number(x), Number(y))) : f(x, Number(y));
  return {
    load: ((a: IntArray, i: number) => a[i]) as typeof Atomics.load,
    store: ((a: IntArray, i: number, v: number | bigint) =>
      ((a as unknown as (number | bigint)[])[i] = v)) as typeof Atomics.store,
    add: rmw((o, v) => (typeof o === 'bigint' ? o + BigInt(v) : o + Number(v))) as typeof Atomics.add,
    sub: rmw((o, v) => (typeof o === 'bigint' ? o - BigInt(v) : o - Number(v))) as typeof Atomics.sub,
    and: rmw(num((x, y) => x & y)) as typeof Atomics.and,
    or: rmw(num((x, y) => x | y)) as typeof Atomics.or,
    xor: rmw(num((x, y) => x ^ y)) as typeof Atomics.xor,
    exchange: rmw((_, v) => v) as typeof Atomics.exchange,
    compareExchange: ((a: IntArray, i: number, expected: number | bigint, v: number | bigint) => {
      const old = a[i];
      if (old === (typeof old === 'bigint' ? BigInt(expected) : Number(expected)))
        (a as unknown as (number | bigint)[])[i] = v;
      return old;
    }) as typeof Atomics.compareExchange,
    // no other thread can wake a waiter, and none is ever waited for
    notify: (() => 0) as typeof Atomics.notify,
    isLockFree: ((n: number) => n === 1 || n === 2 || n === 4) as typeof Atomics.isLockFree,
  };
}

/** Installs the stand-ins the host lacks; returns the names installed (the panel reports none of this to users). */
export function installUxpPolyfills(
  g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>,
): string[] {
  const installed: string[] = [];
  const ElementClass = g.Element as { prototype: Element } | undefined;
  if (ElementClass && typeof ElementClass.prototype.toggleAttribute !== 'function') {
    ElementClass.prototype.toggleAttribute = function toggleAttribute(
      this: Element,
      name: string,
      force?: boolean,
    ): boolean {
      const on = force === undefined ? !this.hasAttribute(name) : force;
      if (on) {
        if (!this.hasAttribute(name)) this.setAttribute(name, '');
      } else this.removeAttribute(name);
      return on;
    };
    installed.push('Element.prototype.toggleAttribute');
  }
  if (!hasUrlConstructor(g)) {
    // keep the statics UXP does have (URL.createObjectURL for ImageBlob)
    const statics = (g.URL ?? {}) as UrlStatics;
    const Stand = class URL extends UrlStandIn {};
    for (const k of ['createObjectURL', 'revokeObjectURL'] as const)
      if (typeof statics[k] === 'function') Object.assign(Stand, { [k]: statics[k].bind(statics) });
    g.URL = Stand;
    installed.push('URL');
  }
  const perf = g.performance as { now?: () => number; timeOrigin?: number } | undefined;
  if (!perf || typeof perf.now !== 'function' || typeof perf.timeOrigin !== 'number') {
    const origin = Date.now();
    const now = perf && typeof perf.now === 'function' ? perf.now.bind(perf) : () => Date.now() - origin;
    const stand = { now, timeOrigin: Date.now() - now() };
    if (perf) {
      try {
        Object.defineProperty(perf, 'timeOrigin', { value: stand.timeOrigin, configurable: true });
        Object.defineProperty(perf, 'now', { value: now, configurable: true });
      } catch {
        g.performance = stand;
      }
    } else g.performance = stand;
    installed.push('performance');
  }
  if (typeof g.Atomics !== 'object' || g.Atomics === null) {
    g.Atomics = singleThreadAtomics();
    installed.push('Atomics');
  }
  return installed;
}
