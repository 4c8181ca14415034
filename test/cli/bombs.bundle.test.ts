/**
 * The bomb corpus through the built CLI, as a user meets it: each file ends in exit 2 with one clear line, in under
 * 10 s and under 500 MB peak RSS (the whole process, measured by the process itself at exit).
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as bombs from '../model/bombs/recipes';
import { BUILD_TIMEOUT_MS, BUNDLE, ensureBuilt } from '../helpers/ensureBuilt';
import { ROOT } from './referenceImage';
import { PEAK_RSS_PRELOAD, peakRssMb, withoutPeakRss } from '../helpers/peakRss';

const MODEL = join(ROOT, 'test/fixtures/packages/tiny64');
let dir: string;
let preload: string;
const measured: string[] = [];

beforeAll(async () => {
  await ensureBuilt('node');
  dir = mkdtempSync(join(tmpdir(), 'draggan-bombs-'));
  preload = join(dir, 'maxrss.js');
  writeFileSync(preload, PEAK_RSS_PRELOAD);
}, 180000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (process.env.DRAGGAN_BOMB_REPORT) console.log(measured.join('\n'));
}, BUILD_TIMEOUT_MS);

function cli(name: string, ...argv: string[]): { code: number | null; err: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, BUNDLE, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, DRAGGAN_DEBUG: '' },
  });
  const seconds = (performance.now() - t0) / 1000;
  const rss = peakRssMb(r.stderr);
  measured.push(`draggan ${argv[0]} ${name}: exit ${r.status}, ${seconds.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB`);
  expect(seconds).toBeLessThan(10);
  expect(rss).toBeLessThan(500);
  return { code: r.status, err: withoutPeakRss(r.stderr) };
}

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

test.each([
  ['LONG4', bombs.long4Bomb, /safety limit of the reader: a 262144-byte integer/],
  ['billion laughs', bombs.billionLaughsBomb, /settings hold more than 100000 values/],
  ['module DAG', bombs.moduleDagBomb, /appears twice in the module tree/],
  ['deep tuples', bombs.deepTupleBomb, /nested more than 16 deep/],
  ['num_layers 3e6', bombs.hugeLayersCheckpoint, /num_layers must be an integer from 1 to 32, got 3000000/],
  ['stride-0 1024 px', bombs.strideZeroBomb, /stride-0 or overlapping views/],
  ['long list', bombs.longListBomb, /items on the pickle stack/],
  ['deep MARKs', bombs.deepMarkBomb, /MARKs nested more than 4096 deep/],
  ['rebuild chain', bombs.rebuildChainBomb, /rebuilds through itself/],
  ['copies', bombs.copyBomb, /copies more items than a \d+-byte file can justify/],
  ['1.1 MB nested torch stream', bombs.nestedStreamBomb, /no G_ema \(keys: G\)/],
  ['60 KB memo-reference', bombs.memoReferenceBomb, /numpy\.dtype of \[{7}"xxxx+…/],
  ['10^6 nested lists in numpy.dtype', bombs.deepListDtypeBomb, /numpy\.dtype of \[\[\[\[+…, not a type code/],
] as const)('import refuses the %s bomb: exit 2, one clear line', (name, make, message) => {
  const r = cli(name, 'import', file(`${name}.pkl`, make()), '--out', join(dir, 'out'));
  expect(r.err).toMatch(message);
  expect(r.err).toMatch(/^draggan import: cannot import /m);
  expect(r.code).toBe(2);
});

test('escape codes from a checkpoint never reach the terminal', () => {
  for (const make of [bombs.escapeKeysCheckpoint, bombs.escapeGlobalCheckpoint]) {
    const r = cli('escape codes', 'import', file('escapes.pkl', make()), '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\\x1b\[2J/);
    expect(r.err).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    // progress lines, then the one error line: the file's CR/LF did not add lines of its own
    expect(
      r.err
        .trim()
        .split('\n')
        .filter((l) => !/^import: \d\/3 /.test(l)),
    ).toHaveLength(1);
  }
});

test('a model.json with num_layers 3e6: generate refuses it', () => {
  const model = join(dir, 'huge-model');
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'model.json'), bombs.hugeLayersModelJson());
  writeFileSync(join(model, 'weights.safetensors'), new Uint8Array(16));
  const r = cli('num_layers 3e6 model.json', 'generate', '--model', model, '--seed', '0', '--out', join(dir, 'g.png'));
  expect(r.err).toMatch(/num_layers must be an integer from 1 to 32/);
  expect(r.code).toBe(2);
});

test('a model.json nested a million deep: generate refuses it', () => {
  const model = join(dir, 'deep-model');
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'model.json'), bombs.deepModelJson());
  writeFileSync(join(model, 'weights.safetensors'), new Uint8Array(16));
  const r = cli('1M-deep model.json', 'generate', '--model', model, '--seed', '0', '--out', join(dir, 'g.png'));
  expect(r.err).toMatch(/z_dim .*\[\[\[\[+…/);
  expect(r.err).not.toMatch(/call stack/);
  expect(r.code).toBe(2);
});

test.each([
  ['three 7000x7000 frames', bombs.jpegThreeFramesBomb, /more than one frame header/],
  ['255 components', bombs.jpegManyComponentsBomb, /255 colour components; JPEGs have 1, 3 or 4/],
  ['a frame with no data', bombs.jpegNoDataBomb, /it has no image data/],
  ['4,000 scans', bombs.jpegManyScansBomb, /more than 100 scans/],
] as const)('invert refuses a JPEG with %s: exit 2, the damaged-image message', (name, make, message) => {
  const r = cli(
    `JPEG ${name}`,
    'invert',
    '--model',
    MODEL,
    '--image',
    file('bomb.jpg', make()),
    '--out-latent',
    join(dir, 'w.npy'),
  );
  expect(r.err).toMatch(/cannot read image .*bomb\.jpg: invalid JPEG: this image is damaged or unsupported \(/);
  expect(r.err).toMatch(message);
  expect(r.code).toBe(2);
});

test('invert --image with a PNG declaring 20000x20000, drag --mask with a JPEG declaring 60000x60000', () => {
  const inv = cli(
    'PNG 20000x20000',
    'invert',
    '--model',
    MODEL,
    '--image',
    file('bomb.png', bombs.pngBomb()),
    '--out-latent',
    join(dir, 'w.npy'),
  );
  expect(inv.err).toMatch(
    /cannot read image .*bomb\.png: invalid PNG: the image is 20000x20000 \(400\.0 megapixels\), over the decoder's limit of 50\.0 megapixels/,
  );
  expect(inv.code).toBe(2);
  const drag = cli(
    'JPEG 60000x60000',
    'drag',
    '--model',
    MODEL,
    '--seed',
    '0',
    '--point',
    '10,10:20,20',
    '--mask',
    file('bomb.jpg', bombs.jpegBomb()),
    '--out',
    join(dir, 'd.png'),
  );
  expect(drag.err).toMatch(/cannot read mask .*bomb\.jpg: invalid JPEG: the image is 60000x60000/);
  expect(drag.code).toBe(2);
});
