import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { readNpy } from '../../plugin/model/npy';
import { memoryIo } from '../cli/memoryIo';
import { FIXTURES } from '../helpers/fixtures';

const MODEL = join(FIXTURES, 'packages', 'tiny64');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-invert-'));
  const photo = new Uint8Array(80 * 60 * 3).map((_, i) => (i * 37) % 256);
  writeFileSync(join(dir, 'photo.png'), encodePng({ width: 80, height: 60, channels: 3, data: photo }));
  writeFileSync(join(dir, 'empty.png'), new Uint8Array(0));
  writeFileSync(join(dir, 'text.png'), 'this is not a picture\n');
  writeFileSync(join(dir, 'one.png'), encodePng({ width: 1, height: 1, channels: 3, data: new Uint8Array([1, 2, 3]) }));
  const truncated = readFileSync(join(dir, 'photo.png')).subarray(0, 60);
  writeFileSync(join(dir, 'truncated.png'), truncated);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function invert(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return run('--model', MODEL, ...argv);
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['invert', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

test('inverts a PNG of another size: latent, reconstruction and a report with psnr, seconds and steps', async () => {
  const r = await invert(
    '--image',
    join(dir, 'photo.png'),
    '--out-latent',
    join(dir, 'w.npy'),
    '--out-image',
    join(dir, 'recon.png'),
    '--steps',
    '4',
    '--time-limit',
    '0',
    '--report',
    join(dir, 'r.json'),
    '--json',
  );
  expect(r.err).not.toMatch(/error/);
  expect(r.code).toBe(0);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Record<string, unknown>;
  expect(report).toMatchObject({
    command: 'invert',
    steps: 4,
    cancelled: false,
    width: 80,
    height: 60,
    crop: { x: 10, y: 0, size: 60 },
  });
  expect(typeof report.psnr).toBe('number');
  expect(typeof report.seconds).toBe('number');
  expect(JSON.parse(r.out)).toEqual(report);
  expect(readNpy(new Uint8Array(readFileSync(join(dir, 'w.npy')))).shape).toEqual([1, 10, 32]);
  const recon = decodePng(new Uint8Array(readFileSync(join(dir, 'recon.png'))));
  expect([recon.width, recon.height, recon.channels]).toEqual([64, 64, 3]);
});

describe('bad images: one clear line, exit code 2, before the model loads', () => {
  const cases: [string, RegExp][] = [
    ['missing.png', /cannot read image .*missing\.png: no such file/],
    ['empty.png', /cannot read image .*empty\.png: the file is empty/],
    ['text.png', /cannot read image .*text\.png: not a PNG or JPEG file/],
    ['truncated.png', /cannot read image .*truncated\.png: invalid PNG: file is truncated/],
    ['one.png', /cannot use image .*one\.png: the image is 1x1 pixels; it needs at least 2x2/],
  ];
  test.each(cases)('%s', async (file, message) => {
    // a model folder that does not exist: the image must be refused first
    const r = await run(
      '--image',
      join(dir, file),
      '--out-latent',
      join(dir, 'x.npy'),
      '--model',
      join(dir, 'no-such-model'),
    );
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

test('--bench inverts a generated image under each time limit with both schedules, side by side', async () => {
  // the second limit for the official schedule only: a long reference run beside both schedules' short ones
  const r = await invert('--bench', '1', '--limits', '0.5,official:1', '--json');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out) as {
    limits: (number | string)[];
    runs: { schedule: string; limit: number; psnr: number; seconds: number; firstBestSeconds: number | null }[];
  };
  expect(report.limits).toEqual([0.5, 'official:1']);
  expect(report.runs.map((x) => `${x.limit} ${x.schedule}`)).toEqual(['0.5 official', '0.5 fast', '1 official']);
  for (const run of report.runs) {
    expect(run.psnr).toBeGreaterThan(5);
    expect(run.firstBestSeconds).not.toBeNull();
  }
  const table = await invert('--bench', '1', '--limits', '0.5', '--schedule', 'fast');
  expect(table.out).toMatch(/seed\tschedule\tdB@0\.5s \(took s\)/);
  expect(table.out).toMatch(/\n0\tfast\t\d+\.\d\d \(\d+\.\d\)/);
  expect(table.out).not.toMatch(/official/);
});

test('usage mistakes', async () => {
  expect((await invert('--bench', '1', '--schedule', 'quick')).err).toMatch(
    /--schedule must be official or fast, got 'quick'/,
  );
  expect((await invert('--bench', '1', '--limits', '10,x')).err).toMatch(/--limits must be seconds above 0/);
  expect((await invert('--bench', '1', '--limits', '10,quick:60')).err).toMatch(
    /--limits quick:60: the schedule must be official or fast/,
  );
  expect((await invert('--bench', '1', '--limits', 'official:60', '--schedule', 'fast')).err).toMatch(
    /--limits official:60 names a schedule that --schedule fast leaves out/,
  );
  expect((await invert('--bench', '1', '--time-limit', '10')).err).toMatch(
    /--bench runs each schedule under every one of --limits/,
  );
  expect(
    (await invert('--limits', '10', '--image', join(dir, 'photo.png'), '--out-latent', join(dir, 'x.npy'))).err,
  ).toMatch(/--limits goes with --bench/);
  expect((await invert('--out-latent', join(dir, 'x.npy'))).err).toMatch(/--image in\.png is required/);
  expect((await invert('--image', join(dir, 'photo.png'))).err).toMatch(/--out-latent w\.npy is required/);
  const both = await invert('--bench', '2', '--image', join(dir, 'photo.png'));
  expect(both.err).toMatch(/--bench .* takes no --image/);
  expect(both.code).toBe(2);
  expect(
    (await invert('--image', join(dir, 'photo.png'), '--out-latent', join(dir, 'x.npy'), '--steps', '0')).err,
  ).toMatch(/--steps must be a whole number from 1/);
});
