/**
 * The bomb corpus: crafted inputs, each a few kilobytes to a few megabytes, made at test time from a recipe. Each
 * once made a reader run for minutes, exhaust memory or overflow the stack (issue 14); each must now be refused
 * quickly with a clear error.
 */
import { constants, deflateRawSync } from 'zlib';
import { normalizeModelConfig } from '../../../plugin/model/validateConfig';
import { expectedWeights } from '../../../plugin/model/weightNames';
import { ihdr, pngChunk, pngFile, PNG_SIGNATURE } from '../../helpers/pngFile';
import { PV, dict, floatStorage, persistentModule, pickle, snapshot, tensor } from './pickleWriter';

/** A small valid generator config, as init kwargs. */
export const SMALL_KWARGS = {
  z_dim: 8,
  w_dim: 8,
  c_dim: 0,
  img_resolution: 64,
  img_channels: 3,
  mapping_kwargs: { num_layers: 2 },
  synthesis_kwargs: { channel_base: 256, channel_max: 8, conv_clamp: 256, architecture: 'skip' },
};

/** A plain JSON object as a pickled dict. */
export function jsonToPv(v: unknown): PV {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(jsonToPv);
  return dict(Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, jsonToPv(x)])));
}

/** SMALL_KWARGS plus one crafted entry. */
function smallKwargsWith(key: string, value: PV): PV {
  return { dict: [...Object.entries(SMALL_KWARGS).map(([k, x]): [PV, PV] => [k, jsonToPv(x)]), [key, value]] };
}

export type Leaf = (name: string, shape: number[]) => PV;

/** The official module tree (mapping.fc0.weight -> module mapping, module fc0, parameter weight) for `kwargs`. */
export function generator(kwargs: PV, shapes: Map<string, number[]>, leaf: Leaf): PV {
  interface Node {
    params: [string, PV][];
    children: Map<string, Node>;
  }
  const root: Node = { params: [], children: new Map() };
  for (const [name, shape] of shapes) {
    const parts = name.split('.');
    let n = root;
    for (const p of parts.slice(0, -1)) {
      if (!n.children.has(p)) n.children.set(p, { params: [], children: new Map() });
      n = n.children.get(p) as Node;
    }
    n.params.push([parts[parts.length - 1], leaf(name, shape)]);
  }
  const build = (n: Node, className: string, kw?: PV): PV =>
    persistentModule(className, {
      kwargs: kw,
      params: n.params,
      modules: [...n.children].map(([k, c]) => [k, build(c, 'Module')]),
    });
  return build(root, 'Generator', kwargs);
}

export function shapesOf(kwargs: object): Map<string, number[]> {
  return expectedWeights(normalizeModelConfig(kwargs));
}

/** A valid checkpoint of SMALL_KWARGS with real tensors: proves the writer makes files the importer reads. */
export function validCheckpoint(): Uint8Array {
  const shapes = shapesOf(SMALL_KWARGS);
  return snapshot(
    generator(jsonToPv(SMALL_KWARGS), shapes, (_n, shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return tensor(floatStorage(new Float32Array(n).map((_, i) => (i % 13) / 13)), shape);
    }),
  );
}

/** LONG4 declaring a 256 KiB integer (decoding it was quadratic in BigInt). */
export function long4Bomb(): Uint8Array {
  const n = 256 * 1024;
  const out = new Uint8Array(2 + 5 + n + 1);
  out.set([0x80, 0x02, 0x8b, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0], 0);
  out.fill(0x7f, 7, 7 + n);
  out[out.length - 1] = 0x2e;
  return out;
}

/**
 * A 1024 px generator with the official widths whose every tensor is a stride-0 view of one float: a few
 * kilobytes that would expand to 120 MB of weights (and a [2^28] view, 1 GB, in the broadcast variant).
 */
export function strideZeroBomb(): Uint8Array {
  const kwargs = {
    ...SMALL_KWARGS,
    z_dim: 512,
    w_dim: 512,
    img_resolution: 1024,
    mapping_kwargs: { num_layers: 8 },
    synthesis_kwargs: { channel_base: 32768, channel_max: 512, conv_clamp: 256 },
  };
  const one = { put: 1, value: floatStorage(new Float32Array([0.5])) };
  return snapshot(
    generator(jsonToPv(kwargs), shapesOf(kwargs), (_n, shape) =>
      tensor(
        { get: 1 },
        shape,
        shape.map(() => 0),
      ),
    ),
    { storage: one },
  );
}

/** One stride-0 tensor of 2^28 elements (1 GiB as float32) where a [w_dim] vector belongs. */
export function broadcastBomb(): Uint8Array {
  const shapes = shapesOf(SMALL_KWARGS);
  return snapshot(
    generator(jsonToPv(SMALL_KWARGS), shapes, (name, shape) => {
      if (name === 'mapping.w_avg') return tensor(floatStorage(new Float32Array([1])), [2 ** 28], [0]);
      return tensor(floatStorage(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);
    }),
  );
}

/** A module graph 30 levels deep where each module lists the next one twice: 2^30 paths from 11 KB. */
export function moduleDagBomb(): Uint8Array {
  const level = (k: number): PV => {
    if (k === 30) return persistentModule('Leaf', { params: [['w', tensor(floatStorage(new Float32Array(4)), [4])]] });
    return persistentModule('Module', {
      modules: [
        ['a', { put: k + 1, value: level(k + 1) }],
        ['b', { get: k + 1 }],
      ],
    });
  };
  return snapshot(
    persistentModule('Generator', {
      kwargs: jsonToPv(SMALL_KWARGS),
      modules: [
        ['mapping', { put: 1, value: level(1) }],
        ['synthesis', { get: 1 }],
      ],
    }),
  );
}

/** init_kwargs holding a list of ten references to a list of ten references ... nine deep: 10^9 strings. */
export function billionLaughsBomb(): Uint8Array {
  let v: PV = { put: 0, value: 'lol' };
  for (let k = 1; k <= 9; k++) v = { put: k, value: [v, ...Array.from({ length: 9 }, (): PV => ({ get: k - 1 }))] };
  return snapshot(persistentModule('Generator', { kwargs: smallKwargsWith('laughs', v) }));
}

/** SMALL_KWARGS with 3 million mapping layers (the weight names alone took 30-85 s and gigabytes). */
export const HUGE_LAYERS_KWARGS = { ...SMALL_KWARGS, mapping_kwargs: { num_layers: 3_000_000 } };

export function hugeLayersCheckpoint(): Uint8Array {
  return snapshot(persistentModule('Generator', { kwargs: jsonToPv(HUGE_LAYERS_KWARGS) }));
}

/** A million nested one-element tuples (TUPLE1 after TUPLE1) as an init kwarg: a recursive reader overflows. */
export function deepTupleBomb(): Uint8Array {
  const nested = new Uint8Array(1 + 1_000_000).fill(0x85);
  nested[0] = 0x4e; // None, then wrapped a million times
  return snapshot(persistentModule('Generator', { kwargs: smallKwargsWith('deep', { raw: nested }) }));
}

/** A million MARKs: a machine that keeps a stack per MARK runs out of memory. */
export function deepMarkBomb(): Uint8Array {
  return pickle({ raw: new Uint8Array(1_000_000).fill(0x28) });
}

/** A list of three million Nones appended at once (APPENDS with a three-million-item spread overflowed). */
export function longListBomb(): Uint8Array {
  const items = new Uint8Array(2 + 3_000_000 + 1).fill(0x4e);
  items[0] = 0x5d; // EMPTY_LIST
  items[1] = 0x28; // MARK
  items[items.length - 1] = 0x65; // APPENDS
  return pickle({ raw: items });
}

/**
 * _rebuild_from_type_v2 whose func is _rebuild_from_type_v2, 200 000 levels deep (4 bytes a level: the global from
 * the memo, None, TUPLE3): a reader that follows each level with a call overflows the stack.
 */
export function rebuildChainBomb(): Uint8Array {
  const depth = 200_000;
  const global = [0x63, ...new TextEncoder().encode('torch._utils\n_rebuild_from_type_v2\n')];
  const out: number[] = [0x80, 0x02, ...global, 0x71, 0x00, 0x71, 0x01]; // the function, memoised twice (as fn and as G)
  for (let i = 0; i < depth; i++) out.push(0x68, 0x01, 0x4e); // G, None ...
  out.push(0x29); // () innermost
  for (let i = 0; i < depth; i++) out.push(0x87); // (G, None, inner)
  // the stack is now: fn, (G, None, nested): call fn with those arguments
  out.push(0x52, 0x2e);
  return Uint8Array.from(out);
}

/** list() called 10 000 times on one memoised list of 100 000 items: 10^9 copied items from 170 KB. */
export function copyBomb(): Uint8Array {
  const out: number[] = [0x80, 0x02, 0x28];
  for (let i = 0; i < 100_000; i++) out.push(0x4e);
  out.push(0x6c, 0x71, 0x00, 0x30); // LIST, memo 0, POP
  out.push(0x63, ...new TextEncoder().encode('builtins\nlist\n'), 0x71, 0x01, 0x30); // the global, memo 1, POP
  for (let i = 0; i < 10_000; i++) out.push(0x68, 0x01, 0x68, 0x00, 0x85, 0x52, 0x30); // list(memo 0), POP
  out.push(0x4e, 0x2e);
  return Uint8Array.from(out);
}

/** Text that clears the screen and prints a fake success line. */
export const ESCAPES = '\x1b[2J\x1b[H\x1b[32mimported OK\x1b[0m\r\n\x9b2J';

/** A snapshot without G_ema whose keys carry terminal escape codes (they are listed in the error). */
export function escapeKeysCheckpoint(): Uint8Array {
  return pickle(dict({ [ESCAPES]: 1, G: null }));
}

/** A refused Python global whose name carries terminal escape codes. */
export function escapeGlobalCheckpoint(): Uint8Array {
  return pickle({ call: ['os', `system${ESCAPES.replace(/\n/g, '')}`], args: ['true'] });
}

/** A model.json with 3 million mapping layers. */
export function hugeLayersModelJson(): string {
  return JSON.stringify(HUGE_LAYERS_KWARGS);
}

/** A 20000x20000 RGB PNG whose first 1.5 MB of zero rows compress to about 1.5 KB (the decoder would want 1.2 GB). */
export function pngBomb(): Uint8Array {
  return pngFile(20000, 20000, new Uint8Array(1_500_000));
}

/**
 * A zlib stream of `mb` megabytes of zeros, made without holding them: one flushed megabyte of deflate blocks
 * repeated (each starts afresh), a final empty block, and the Adler-32 of n zeros ((n mod 65521) << 16 | 1).
 */
function zerosZlib(mb: number): Uint8Array {
  const piece = deflateRawSync(new Uint8Array(2 ** 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((mb * 2 ** 20) % 65521) * 65536 + 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array.from({ length: mb }, () => piece),
    Buffer.from([0x03, 0x00]),
    adler,
  ]);
}

/** A PNG whose header says 64x64 (12 KB of scanlines) but whose data inflates to 256 MB. */
export function pngLyingBomb(interlaced: boolean): Uint8Array {
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(64, 64, 8, 2, interlaced ? 1 : 0),
    pngChunk('IDAT', zerosZlib(256)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A JPEG frame header declaring 60000x60000 (3.6 gigapixels). */
export function jpegBomb(): Uint8Array {
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, 0xea, 0x60, 0xea, 0x60, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.from([0xff, 0xd8, ...sof, 0xff, 0xd9]);
}

/**
 * One inline legacy torch stream of 60 KB of opcodes (under the streamed reader's 64 KB deferral, so it is read as
 * bytes), memoised once and handed to torch.storage._load_from_bytes 150 000 times from 1.1 MB: every call
 * re-parsed the whole stream, 9 GB of parsing charged to no budget.
 */
export function nestedStreamBomb(): Uint8Array {
  const calls = 150_000;
  const stream = floatStorage(new Float32Array(4), new Array<PV>(60_000).fill(null)) as {
    call: [string, string];
    args: Uint8Array[];
  };
  const head = pickle({ raw: new Uint8Array(0) });
  const global = [0x63, ...new TextEncoder().encode('torch.storage\n_load_from_bytes\n'), 0x71, 0x00, 0x30]; // memo 0, POP
  const bytes = stream.args[0];
  const len = [bytes.length & 0xff, (bytes.length >>> 8) & 0xff, (bytes.length >>> 16) & 0xff, 0];
  const parts: Uint8Array[] = [
    head.subarray(0, 2),
    Uint8Array.from([...global, 0x42, ...len]),
    bytes,
    Uint8Array.from([0x71, 0x01, 0x30]),
  ];
  // per call: the function, the bytes, TUPLE1, REDUCE, POP
  parts.push(new Uint8Array(calls * 7).map((_, i) => [0x68, 0x00, 0x68, 0x01, 0x85, 0x52, 0x30][i % 7]));
  parts.push(pickle(dict({ G: null })).subarray(2));
  return Buffer.concat(parts);
}

/**
 * numpy.dtype of a list of ten references to a list of ten references ... seven deep, around a 1 KB string: 60 KB
 * that String() expanded to gigabytes ("Invalid string length", exit 1).
 */
export function memoReferenceBomb(): Uint8Array {
  let v: PV = { put: 0, value: 'x'.repeat(1000) };
  for (let k = 1; k <= 7; k++) v = { put: k, value: [v, ...Array.from({ length: 9 }, (): PV => ({ get: k - 1 }))] };
  return pickle({ call: ['numpy', 'dtype'], args: [v] });
}

/** numpy.dtype of a list nested a million deep (a million EMPTY_LISTs, then APPENDs): String() overflowed the stack. */
export function deepListDtypeBomb(): Uint8Array {
  const depth = 1_000_000;
  const global = [0x63, ...new TextEncoder().encode('numpy\ndtype\n')];
  const out = new Uint8Array(2 + global.length + depth + (depth - 1) + 3);
  out.set([0x80, 0x02, ...global]);
  let at = 2 + global.length;
  out.fill(0x5d, at, (at += depth)); // EMPTY_LIST
  out.fill(0x61, at, (at += depth - 1)); // APPEND each into the one below
  out.set([0x85, 0x52, 0x2e], at); // TUPLE1, REDUCE, STOP
  return out;
}

/** A model.json whose z_dim is a list nested a million deep (the error message's JSON.stringify overflowed). */
export function deepModelJson(): string {
  const depth = 1_000_000;
  return JSON.stringify({ ...SMALL_KWARGS, z_dim: 0 }).replace(
    '"z_dim":0',
    `"z_dim":${'['.repeat(depth)}${']'.repeat(depth)}`,
  );
}

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];
const be16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];

/** A frame header (SOF0, or SOF2 progressive) of `components` components sampled 1x1. */
function sof(width: number, height: number, components: number, marker = 0xc0): number[] {
  const comps = Array.from({ length: components }, (_, i) => [i + 1, 0x11, 0]).flat();
  return [0xff, marker, ...be16(8 + 3 * components), 8, ...be16(height), ...be16(width), components, ...comps];
}

/** A quantisation table of ones and two Huffman tables of one 1-bit code each (DC: category 0; AC: end of block). */
const TABLES = [
  ...[0xff, 0xdb, ...be16(67), 0, ...Array(64).fill(1)],
  ...[0xff, 0xc4, ...be16(38), 0x00, 1, ...Array(15).fill(0), 0x00, 0x10, 1, ...Array(15).fill(0), 0x00],
];

/** A scan header over component 1 (spectral selection ss..se, for progressive scans). */
function sos(ss = 0, se = 63): number[] {
  return [0xff, 0xda, ...be16(8), 1, 1, 0x00, ss, se, 0];
}

/** Three 7000x7000 RGB frame headers in 130 bytes: the decoder allocated every frame's blocks (3.9 GB). */
export function jpegThreeFramesBomb(): Uint8Array {
  const app0 = [0xff, 0xe0, ...be16(16), ...new TextEncoder().encode('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  return Uint8Array.from([
    ...SOI,
    ...app0,
    ...sof(7000, 7000, 3),
    ...sof(7000, 7000, 3),
    ...sof(7000, 7000, 3),
    ...sos(),
    ...Array(30).fill(0),
    ...EOI,
  ]);
}

/** One 1250x1250 frame of 255 components (4.0 GB of blocks from 848 bytes). */
export function jpegManyComponentsBomb(): Uint8Array {
  return Uint8Array.from([...SOI, ...sof(1250, 1250, 255), ...sos(), ...Array(50).fill(0), ...EOI]);
}

/** A 7000x7000 grey frame and no scan: the decoder made a black image from 1.65 GB and exited 0. */
export function jpegNoDataBomb(): Uint8Array {
  return Uint8Array.from([...SOI, ...TABLES, ...sof(7000, 7000, 1), ...EOI]);
}

/**
 * A 256x256 progressive frame with 4,000 scans, each a pass over every block (a 1-bit code per block: 128 bytes of
 * zeros): 4 million block decodes from 560 KB; a larger frame took 35 CPU-s.
 */
export function jpegManyScansBomb(): Uint8Array {
  const scans = Array.from({ length: 4000 }, (_, i) => [
    ...sos(i === 0 ? 0 : 1, i === 0 ? 0 : 63),
    ...Array(128).fill(0),
  ]).flat();
  return Uint8Array.from([...SOI, ...TABLES, ...sof(256, 256, 1, 0xc2), ...scans, ...EOI]);
}
