import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { readNpy } from '../../plugin/model/npy';
import { FIXTURES } from '../helpers/fixtures';
import { memoryIo } from './memoryIo';

/** `draggan drag` in-process on the tiny128 fixture model. */
const model = join(FIXTURES, 'packages', 'tiny128');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-drag-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `draggan drag` with these arguments, in-process. */
async function runDrag(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['drag', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

/** `draggan drag` on the tiny128 fixture package. */
function drag(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runDrag(['--model', model, ...argv]);
}

/** `draggan drag --backend remote` on the test server's tiny128. */
function remoteDrag(endpoint: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runDrag(['--backend', 'remote', '--endpoint', endpoint, '--model', 'tiny128', ...argv]);
}

interface Report {
  steps: { step: number; points: number[][]; loss: number; ms: number; path: string }[];
  targets: number[][];
  stop: string;
  totals: { steps: number; seconds: number; stepMsMedian: number; finalPoints: number[][] };
  timings: Record<string, number>;
}

test('a drag writes the image, the latent, GIF frames and a per-step report', async () => {
  const out = join(dir, 'out.png');
  const r = await drag(
    '--seed',
    '0',
    '--point',
    '50,40:64,52',
    '--point',
    '80,90:96,78',
    '--steps',
    '6',
    '--lr',
    '0.1',
    '--out',
    out,
    '--save-latent',
    join(dir, 'w.npy'),
    '--gif',
    join(dir, 'a.gif'),
    '--frame-every',
    '2',
    '--report',
    join(dir, 'r.json'),
  );
  expect(r.err).not.toMatch(/error/);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/step-cap after 6 steps/);
  const img = decodePng(new Uint8Array(readFileSync(out)));
  expect([img.width, img.height]).toEqual([128, 128]);
  expect(readNpy(new Uint8Array(readFileSync(join(dir, 'w.npy')))).shape).toEqual([1, 12, 64]);
  expect(Buffer.from(readFileSync(join(dir, 'a.gif')).subarray(0, 6)).toString()).toBe('GIF89a');
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(report.stop).toBe('step-cap');
  expect(report.targets).toEqual([
    [64, 52],
    [96, 78],
  ]);
  expect(report.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
  for (const s of report.steps) {
    expect(s.points).toHaveLength(2);
    expect(Number.isFinite(s.loss)).toBe(true);
    expect(s.ms).toBeGreaterThan(0);
    // no mask: exact windows around the handles
    expect(s.path).toBe('window');
  }
  // the handles were tracked as they moved: the report's last points are the final ones
  expect(report.totals.finalPoints).toEqual(report.steps[5].points);
  // where the time went, phase by phase: the phases of the command add up to its time, and the first step is its own
  const t = report.timings;
  expect(Object.keys(t).sort()).toEqual(
    [
      'encodeMs',
      'finalRenderMs',
      'firstStepMs',
      'loadMs',
      'presetsMs',
      'processStartMs',
      'startFrameMs',
      'startLatentMs',
      'stepMsMedian',
      'stepsMs',
    ].sort(),
  );
  for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0);
  const phases = t.loadMs + t.startLatentMs + t.presetsMs + t.startFrameMs + t.stepsMs + t.finalRenderMs + t.encodeMs;
  expect(Math.abs(phases - report.totals.seconds * 1000)).toBeLessThanOrEqual(5);
  expect(t.firstStepMs).toBe(report.steps[0].ms);
  expect(t.stepsMs).toBeGreaterThanOrEqual(report.steps.reduce((n, s) => n + s.ms, 0));
});

/** One short drag with `--frames`: the tests of the frames folder differ only in it, the steps and the output. */
function dragWithFrames(frames: string, steps: string, out: string, ...more: string[]) {
  return drag('--seed', '1', '--point', '60,60:70,60', '--steps', steps, '--frames', frames, ...more, '--out', out);
}

test('--frames naming a file: exit 2 before any work, and the file is left alone', async () => {
  const file = join(dir, 'not-a-folder');
  writeFileSync(file, 'mine');
  const r = await dragWithFrames(file, '4', join(dir, 'nf.png'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(
    /cannot make the frames folder .*not-a-folder: a file of that name is in the way; name a folder/,
  );
  expect(readFileSync(file, 'utf8')).toBe('mine');
});

test('--frames writes numbered PNG frames', async () => {
  const frames = join(dir, 'frames');
  const r = await dragWithFrames(frames, '4', join(dir, 'f.png'), '--frame-every', '2');
  expect(r.code).toBe(0);
  expect(readdirSync(frames).sort()).toEqual(['frame_0000.png', 'frame_0002.png', 'frame_0004.png']);
  // the result is the last frame (taken from the run's last preview, not rendered a second time)
  expect(readFileSync(join(dir, 'f.png')).equals(readFileSync(join(frames, 'frame_0004.png')))).toBe(true);
  // a second run replaces the folder whole: no frame of the first run is left among the new ones
  const again = await dragWithFrames(frames, '2', join(dir, 'f.png'), '--frame-every', '1');
  expect(again.code).toBe(0);
  expect(readdirSync(frames).sort()).toEqual(['frame_0000.png', 'frame_0001.png', 'frame_0002.png']);
  expect(readdirSync(dir).filter((n) => n.startsWith('.frames.'))).toEqual([]);
});

test('--frames naming a folder with other files in it: exit 2 before any work, the files left alone', async () => {
  const folder = join(dir, 'holiday');
  mkdirSync(folder);
  writeFileSync(join(folder, 'beach.jpg'), 'mine');
  const r = await dragWithFrames(folder, '4', join(dir, 'nf.png'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(
    /the frames folder .*holiday holds other files \(beach\.jpg\); it is replaced as a whole, so name a new or empty folder/,
  );
  expect(readdirSync(folder)).toEqual(['beach.jpg']);
});

describe('bad input: exit code 2 and a message that says what to fix', () => {
  const wrongMask = (): string => {
    const p = join(dir, 'mask64.png');
    writeFileSync(p, encodePng({ width: 64, height: 64, channels: 1, data: new Uint8Array(64 * 64).fill(255) }));
    return p;
  };
  const cases: [string, () => string[], RegExp][] = [
    ['a point outside the image', () => ['--point', '130,5:5,5'], /handle 1 \(130, 5\) is outside the image/],
    ['a malformed point', () => ['--point', '5;5->6,6'], /is not X,Y:TX,TY/],
    ['no points', () => [], /at least one --point/],
    [
      'a mask of the wrong size',
      () => ['--point', '5,5:9,9', '--mask', wrongMask()],
      /mask is 64x64 but the model's image is 128x128/,
    ],
    ['a missing mask file', () => ['--point', '5,5:9,9', '--mask', join(dir, 'nope.png')], /nope\.png/],
    [
      'a negative learning rate',
      () => ['--point', '5,5:9,9', '--lr', '-1'],
      /--lr must be a number above 0 and at most 1, got '-1'/,
    ],
    [
      'a feature block the model does not have',
      () => ['--point', '5,5:9,9', '--feature-idx', '9'],
      /feature_idx must be 0\.\.5 for this model, got 9/,
    ],
    [
      'an unknown method',
      () => ['--point', '5,5:9,9', '--method', 'freedrag'],
      /--method must be draggan or robust, got 'freedrag'/,
    ],
    ['two methods', () => ['--point', '5,5:9,9', '--method', 'draggan,robust'], /--method takes one method here/],
  ];
  test.each(cases)('%s', async (_n, args, message) => {
    const r = await drag('--seed', '0', '--out', join(dir, 'x.png'), ...args());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  });
});

test('--image inverts a photo first, then drags it', async () => {
  const photo = join(dir, 'photo.png');
  const rgb = new Uint8Array(90 * 70 * 3).map((_, i) => (i * 37) % 251);
  writeFileSync(photo, encodePng({ width: 90, height: 70, channels: 3, data: rgb }));
  const r = await drag(
    '--image',
    photo,
    '--invert-steps',
    '6',
    '--point',
    '60,60:66,60',
    '--steps',
    '2',
    '--out',
    join(dir, 'photo-out.png'),
    '--report',
    join(dir, 'photo.json'),
  );
  expect(r.err).not.toMatch(/error/);
  expect(r.code).toBe(0);
  const report = JSON.parse(readFileSync(join(dir, 'photo.json'), 'utf8')) as {
    source: { image: string; psnr: number };
  };
  expect(report.source.image).toBe(photo);
  expect(Number.isFinite(report.source.psnr)).toBe(true);
});

test('two sources at once is a usage error', async () => {
  const r = await drag('--seed', '0', '--latent', 'w.npy', '--point', '5,5:9,9', '--out', join(dir, 'x.png'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/give one source/);
});

test.each([['draggan'], ['robust']])(
  '--backend remote gives the same tracked points and image as the local backend (--method %s)',
  async (method) => {
    const { startTestServer } = await import('../server/harness');
    const server = await startTestServer({ warmUp: false });
    try {
      const args = ['--seed', '2', '--point', '50,40:64,52', '--steps', '4', '--lr', '0.1', '--method', method];
      const local = await drag(...args, '--out', join(dir, 'local.png'), '--report', join(dir, 'local.json'));
      const remote = await remoteDrag(
        server.url,
        ...args,
        '--out',
        join(dir, 'remote.png'),
        '--report',
        join(dir, 'remote.json'),
      );
      expect(remote.err).not.toMatch(/error/);
      expect([local.code, remote.code]).toEqual([0, 0]);
      const points = (f: string) =>
        (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Report).steps.map((s) => s.points);
      expect(points('remote.json')).toEqual(points('local.json'));
      expect(Buffer.compare(readFileSync(join(dir, 'remote.png')), readFileSync(join(dir, 'local.png')))).toBe(0);
    } finally {
      await server.shutdown();
      await server.release();
    }
  },
);

test('an unreachable endpoint is a clear error, not a crash', async () => {
  const r = await remoteDrag('http://127.0.0.1:9', '--seed', '0', '--point', '5,5:9,9', '--out', join(dir, 'x.png'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/cannot reach/);
});

test('an endpoint that goes away mid-edit: retried for --retry-seconds, then the steps reached are kept as a latent', async () => {
  const { startTestServer } = await import('../server/harness');
  const { createServer, request } = await import('http');
  const server = await startTestServer({ warmUp: false });
  // a balancer in front: it forwards until the first drag-steps request has been answered, then the backend is gone
  let dragRequests = 0;
  const proxy = createServer((req, res) => {
    if (req.url?.startsWith('/v1/drag-steps') && ++dragRequests > 1) return res.destroy();
    const up = request(new URL(req.url ?? '/', server.url), { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  try {
    const started = Date.now();
    const r = await remoteDrag(
      url,
      '--seed',
      '2',
      '--point',
      '50,40:100,90',
      '--steps',
      '40',
      '--lr',
      '0.01',
      '--retry-seconds',
      '2',
      '--out',
      join(dir, 'gone.png'),
    );
    expect(r.code).toBe(2);
    expect(Date.now() - started).toBeGreaterThan(2000);
    const latent = join(dir, 'gone.latent.npy');
    expect(r.err).toMatch(
      /cannot reach the DragGAN endpoint .*; the edit had reached step 10: its latent is saved in .*gone\.latent\.npy \(continue with --latent/,
    );
    expect(readNpy(readFileSync(latent)).shape).toEqual([1, 12, 64]);
    expect(dragRequests).toBeGreaterThan(3);
  } finally {
    await new Promise<void>((r) => proxy.close(() => r()));
    await server.shutdown();
    await server.release();
  }
});
