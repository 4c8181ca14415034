import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Point } from '../../plugin/core/types';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { BUILD_TIMEOUT_MS, ensureBuilt, runBundle } from '../helpers/ensureBuilt';
import { ASTRONAUT, MARKS } from '../faces/photoFixture';
import { memoryIo } from './memoryIo';

/**
 * `draggan faces` as a user runs it: the built bundle in a real Node process, on onnxruntime-node (cpu) and on
 * onnxruntime-web's wasm (what the Photoshop panel runs), whose answers must agree; user errors in-process.
 */
interface FacesJson {
  command: string;
  width: number;
  height: number;
  faces: { box: { x: number; y: number; width: number; height: number }; confidence: number; landmarks: Point[] }[];
}

const run = runBundle;

let dir: string;
beforeAll(async () => {
  await ensureBuilt('node');
  dir = mkdtempSync(join(tmpdir(), 'draggan-faces-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mean = (ps: Point[]): Point => ({
  x: ps.reduce((s, p) => s + p.x, 0) / ps.length,
  y: ps.reduce((s, p) => s + p.y, 0) / ps.length,
});

test('faces --json on the photo: one face, eyes and mouth corners at the hand-marked places, on cpu and wasm alike', () => {
  const results = (['cpu', 'wasm'] as const).map((backend) => {
    const r = run('faces', '--image', ASTRONAUT, '--json', '--backend', backend);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as FacesJson;
  });
  for (const out of results) {
    expect(out).toMatchObject({ command: 'faces', width: 512, height: 512 });
    expect(out.faces).toHaveLength(1);
    const lm = out.faces[0].landmarks;
    expect(lm).toHaveLength(68);
    const iod = Math.hypot(MARKS.rightEye.x - MARKS.leftEye.x, MARKS.rightEye.y - MARKS.leftEye.y);
    const found = [mean(lm.slice(36, 42)), mean(lm.slice(42, 48)), lm[48], lm[54]];
    [MARKS.leftEye, MARKS.rightEye, MARKS.mouthLeft, MARKS.mouthRight].forEach((m, i) => {
      expect(Math.hypot(found[i].x - m.x, found[i].y - m.y) / iod).toBeLessThan(0.1);
    });
  }
  const [cpu, wasm] = results.map((o) => o.faces[0]);
  const drift = Math.max(
    ...cpu.landmarks.map((p, i) => Math.hypot(p.x - wasm.landmarks[i].x, p.y - wasm.landmarks[i].y)),
  );
  console.log(`faces: cpu vs wasm landmarks differ by at most ${drift.toFixed(3)} px`);
  expect(drift).toBeLessThan(0.1);
  expect(Math.abs(cpu.confidence - wasm.confidence)).toBeLessThan(1e-3);
});

test('faces without --json lists each face and its landmark groups', () => {
  const r = run('faces', '--image', ASTRONAUT);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/\(512x512\): 1 face in/);
  expect(r.out).toMatch(/face 1: confidence 0\.\d{3}, box x [\d.]+ y [\d.]+ width [\d.]+ height [\d.]+/);
  for (const group of ['jaw (0-16):', 'brows (17-26):', 'nose (27-35):', 'eyes (36-47):', 'mouth (48-67):'])
    expect(r.out).toContain(group);
});

test('a picture with no face: zero faces, exit 0', async () => {
  const file = join(dir, 'grey.png');
  writeFileSync(
    file,
    encodePng({ width: 200, height: 150, channels: 3, data: new Uint8Array(200 * 150 * 3).fill(90) }),
  );
  const io = memoryIo();
  expect(await runCli(['faces', '--image', file, '--json'], io)).toBe(0);
  expect((JSON.parse(io.out()) as FacesJson).faces).toEqual([]);
});

describe('user errors: one line, exit 2', () => {
  const fails = async (argv: string[], message: RegExp): Promise<void> => {
    const io = memoryIo();
    expect(await runCli(['faces', ...argv], io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at /);
  };
  test('no --image', () => fails([], /--image photo\.jpg is required/));
  test('a missing file', () => fails(['--image', join(dir, 'nope.jpg')], /nope\.jpg/));
  test('not an image', async () => {
    writeFileSync(join(dir, 'text.jpg'), 'hello');
    await fails(['--image', join(dir, 'text.jpg')], /cannot read image/);
  });
  test('bad options', async () => {
    await fails(['--image', ASTRONAUT, '--min-confidence', '1.5'], /--min-confidence must be between 0 and 1/);
    await fails(['--image', ASTRONAUT, '--detector-size', '100'], /multiple of 32/);
  });
});
