/**
 * `npm run fuzz`: the hostile-input corpus (test/model/bombs/recipes.ts: crafted checkpoints, model folders, images,
 * special files), plus seeded random byte mutations of valid files, each run through the built CLI as a user would,
 * under a 10 s limit, its peak memory measured by the process itself. Prints per class: tried, refused (exit 2 with
 * a message), accepted (exit 0), crashed (any other exit), hung (killed at the limit), over 500 MB; then every
 * failure. Exits 1 when anything crashed, hung or went over 500 MB. Usage: npm run fuzz [-- --mutations 20 --seed 1]
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { encode as encodeJpeg } from 'jpeg-js';
import { tmpdir } from 'os';
import { join } from 'path';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { BUNDLE, ensureBuilt } from '../helpers/ensureBuilt';
import * as bombs from '../model/bombs/recipes';
import { PEAK_RSS_PRELOAD, peakRssMb } from '../helpers/peakRss';

const ROOT = join(__dirname, '../..');
const MODEL = join(ROOT, 'test/fixtures/packages/tiny64');
const LIMIT_MS = 10_000;
const RSS_LIMIT_MB = 500;

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MUTATIONS = arg('mutations', 10);
const SEED = arg('seed', 1);

interface Case {
  kind: string;
  name: string;
  /** The command line, given the case's folder. */
  argv(dir: string): string[];
  /** Files the case needs, written into its folder first. */
  files?: Record<string, Uint8Array | string>;
}

type Outcome = 'refused' | 'accepted' | 'crashed' | 'hung';

const pkl = (name: string, make: () => Uint8Array): Case => ({
  kind: 'checkpoint (import)',
  name,
  files: { 'in.pkl': make() },
  argv: (d) => ['import', join(d, 'in.pkl'), '--out', join(d, 'out')],
});
const image = (name: string, ext: string, make: () => Uint8Array): Case => ({
  kind: 'image (invert --image)',
  name,
  files: { [`in.${ext}`]: make() },
  argv: (d) => [
    'invert',
    '--model',
    MODEL,
    '--image',
    join(d, `in.${ext}`),
    '--out-latent',
    join(d, 'w.npy'),
    '--steps',
    '1',
  ],
});
const modelJson = (name: string, json: string): Case => ({
  kind: 'model folder (generate)',
  name,
  files: { 'model/model.json': json, 'model/weights.safetensors': new Uint8Array(16) },
  argv: (d) => ['generate', '--model', join(d, 'model'), '--seed', '0', '--out', join(d, 'g.png')],
});

/** mulberry32: the mutations reproduce from --seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy with a few bytes overwritten, a run repeated or the end cut off. */
function mutate(bytes: Uint8Array, rnd: () => number): Uint8Array {
  const out = bytes.slice();
  const how = Math.floor(rnd() * 3);
  if (how === 0) for (let i = 0; i < 1 + rnd() * 8; i++) out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
  if (how === 1) {
    const at = Math.floor(rnd() * out.length);
    const run = out.subarray(at, at + 1 + Math.floor(rnd() * 64));
    return Buffer.concat([
      out.subarray(0, at),
      ...Array.from({ length: 2 + Math.floor(rnd() * 50) }, () => run),
      out.subarray(at),
    ]);
  }
  if (how === 2) return out.subarray(0, Math.floor(rnd() * out.length));
  return out;
}

function corpus(): Case[] {
  const cases: Case[] = [
    pkl('LONG4 of 256 KiB', bombs.long4Bomb),
    pkl('stride-0 views', bombs.strideZeroBomb),
    pkl('broadcast view', bombs.broadcastBomb),
    pkl('module DAG', bombs.moduleDagBomb),
    pkl('billion laughs', bombs.billionLaughsBomb),
    pkl('num_layers 3e6', bombs.hugeLayersCheckpoint),
    pkl('deep tuples', bombs.deepTupleBomb),
    pkl('deep MARKs', bombs.deepMarkBomb),
    pkl('long list', bombs.longListBomb),
    pkl('rebuild chain', bombs.rebuildChainBomb),
    pkl('list() copies', bombs.copyBomb),
    pkl('escape codes in keys', bombs.escapeKeysCheckpoint),
    pkl('nested torch stream', bombs.nestedStreamBomb),
    pkl('memo references in numpy.dtype', bombs.memoReferenceBomb),
    pkl('10^6 nested lists in numpy.dtype', bombs.deepListDtypeBomb),
    modelJson('num_layers 3e6', bombs.hugeLayersModelJson()),
    modelJson('1M-deep model.json', bombs.deepModelJson()),
    image('PNG 20000x20000', 'png', bombs.pngBomb),
    image('PNG lying 256 MB', 'png', () => bombs.pngLyingBomb(false)),
    image('PNG lying 256 MB, interlaced', 'png', () => bombs.pngLyingBomb(true)),
    image('JPEG 60000x60000', 'jpg', bombs.jpegBomb),
    image('JPEG three frames', 'jpg', bombs.jpegThreeFramesBomb),
    image('JPEG 255 components', 'jpg', bombs.jpegManyComponentsBomb),
    image('JPEG frame without data', 'jpg', bombs.jpegNoDataBomb),
    image('JPEG 4,000 scans', 'jpg', bombs.jpegManyScansBomb),
    {
      kind: 'special file',
      name: '--image /dev/zero',
      argv: (d) => ['invert', '--model', MODEL, '--image', '/dev/zero', '--out-latent', join(d, 'w.npy')],
    },
    {
      kind: 'special file',
      name: '--latent /dev/zero',
      argv: (d) => ['generate', '--model', MODEL, '--latent', '/dev/zero', '--out', join(d, 'g.png')],
    },
    {
      kind: 'special file',
      name: '--out /dev/null',
      argv: () => ['generate', '--model', MODEL, '--seed', '0', '--out', '/dev/null'],
    },
  ];
  const rnd = random(SEED);
  const valid = {
    checkpoint: bombs.validCheckpoint(),
    png: encodePng({
      width: 48,
      height: 40,
      channels: 3,
      data: new Uint8Array(48 * 40 * 3).map((_, i) => (i * 29) % 256),
    }),
    jpeg: new Uint8Array(
      encodeJpeg({ width: 48, height: 40, data: new Uint8Array(48 * 40 * 4).map((_, i) => (i * 29) % 256) }, 85).data,
    ),
  };
  for (let i = 0; i < MUTATIONS; i++) {
    cases.push({ ...pkl(`mutation ${i}`, () => mutate(valid.checkpoint, rnd)), kind: 'mutated checkpoint' });
    cases.push({ ...image(`mutation ${i}`, 'png', () => mutate(valid.png, rnd)), kind: 'mutated PNG' });
    cases.push({ ...image(`mutation ${i}`, 'jpg', () => mutate(valid.jpeg, rnd)), kind: 'mutated JPEG' });
  }
  return cases;
}

function run(
  c: Case,
  dir: string,
  preload: string,
): { outcome: Outcome; seconds: number; rssMb: number; line: string } {
  for (const [name, data] of Object.entries(c.files ?? {})) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, BUNDLE, ...c.argv(dir)], {
    encoding: 'utf8',
    timeout: LIMIT_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, DRAGGAN_DEBUG: '' },
  });
  const seconds = (performance.now() - t0) / 1000;
  const rssMb = peakRssMb(r.stderr ?? '');
  const line =
    (r.stderr ?? '')
      .split('\n')
      .filter((l) => l.startsWith('draggan'))
      .pop() ?? '';
  const outcome: Outcome =
    r.error || r.signal ? 'hung' : r.status === 2 && line !== '' ? 'refused' : r.status === 0 ? 'accepted' : 'crashed';
  return { outcome, seconds, rssMb, line: line || (r.stderr ?? '').trim().split('\n').pop() || `exit ${r.status}` };
}

async function main(): Promise<void> {
  await ensureBuilt('node');
  const work = mkdtempSync(join(tmpdir(), 'draggan-fuzz-'));
  const preload = join(work, 'maxrss.js');
  writeFileSync(preload, PEAK_RSS_PRELOAD);
  const table = new Map<
    string,
    { tried: number; refused: number; accepted: number; crashed: number; hung: number; over: number }
  >();
  const failures: string[] = [];
  try {
    for (const [i, c] of corpus().entries()) {
      const dir = join(work, String(i));
      mkdirSync(dir);
      const r = run(c, dir, preload);
      const row = table.get(c.kind) ?? { tried: 0, refused: 0, accepted: 0, crashed: 0, hung: 0, over: 0 };
      row.tried++;
      row[r.outcome]++;
      if (r.rssMb > RSS_LIMIT_MB) row.over++;
      table.set(c.kind, row);
      if (r.outcome === 'crashed' || r.outcome === 'hung' || r.rssMb > RSS_LIMIT_MB)
        failures.push(
          `${c.kind}: ${c.name}: ${r.outcome}, ${r.seconds.toFixed(1)} s, ${r.rssMb.toFixed(0)} MB: ${r.line.slice(0, 200)}`,
        );
      process.stderr.write(`${c.kind}: ${c.name}: ${r.outcome}, ${r.seconds.toFixed(1)} s, ${r.rssMb.toFixed(0)} MB\n`);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const cols = ['tried', 'refused', 'accepted', 'crashed', 'hung', `>${RSS_LIMIT_MB} MB`];
  const rows = [...table].map(([kind, r]) =>
    [kind, r.tried, r.refused, r.accepted, r.crashed, r.hung, r.over].map(String),
  );
  const total = cols.map((_, j) => String(rows.reduce((s, r) => s + Number(r[j + 1]), 0)));
  console.log(`${'input class'.padEnd(30)}${cols.map((c) => c.padStart(10)).join('')}`);
  for (const r of [...rows, ['all', ...total]])
    console.log(
      `${r[0].padEnd(30)}${r
        .slice(1)
        .map((v) => v.padStart(10))
        .join('')}`,
    );
  if (failures.length > 0) {
    console.log(`\nfailures (limit ${LIMIT_MS / 1000} s, ${RSS_LIMIT_MB} MB):\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

void main();
