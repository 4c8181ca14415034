/**
 * `draggan video --video`'s decoder (Node has no WebCodecs: mp4box + tinyh264): the project's own MP4 of the turning
 * clip comes back as exactly its frames, in order, within the codec's error; files it cannot read are refused with
 * what they are and what to do.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Image8 } from '../../plugin/codecs/image8';
import { UserFixableError } from '../../plugin/core/errors';
import type { RgbImage } from '../../plugin/invert/rgbImage';
import { readVideoClip } from '../../plugin/hosts/cli/readClip';
import { turningClipMp4 } from '../helpers/turningClip';

const FRAMES = 8;
const dir = mkdtempSync(join(tmpdir(), 'draggan-mp4-'));
let made: { frames: Image8[]; mp4: Buffer };
beforeAll(async () => {
  made = await turningClipMp4(FRAMES);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Mean absolute difference over the colour channels. */
function meanDiff(a: RgbImage, b: Image8): number {
  let d = 0;
  for (let i = 0; i < b.data.length; i++) if (i % 4 !== 3) d += Math.abs(Number(a.data[i]) - b.data[i]);
  return d / ((b.data.length / 4) * 3);
}

const write = (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

test('the project MP4 of the turning clip: every frame, in order, within the codec error', async () => {
  const seen: number[] = [];
  const frames = await readVideoClip(write('turning.mp4', made.mp4), (done) => seen.push(done));
  expect(frames).toHaveLength(FRAMES);
  expect(seen[seen.length - 1]).toBe(FRAMES);
  const { width, height } = made.frames[0];
  expect(frames.every((f) => f.width === width && f.height === height && f.channels === 4)).toBe(true);
  // each decoded frame is nearest to its own source (the clip moves: neighbours differ far more than the codec's error)
  const diffs = frames.map((f) => made.frames.map((s) => meanDiff(f, s)));
  expect(diffs.map((d) => d.indexOf(Math.min(...d)))).toEqual([...Array(FRAMES).keys()]);
  // quantiser 18, 4:2:0 chroma and the colour matrix's rounding both ways: measured 2.4 to 2.5 levels of 255
  for (const [i, d] of diffs.entries()) expect(d[i]).toBeLessThan(4);
});

describe('files the CLI cannot decode: what they are and what to do', () => {
  const refusal = async (path: string) => {
    const e = await readVideoClip(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserFixableError);
    return (e as Error).message;
  };

  test('a High-profile H.264 MP4 (most cameras and phones)', async () => {
    const high = Buffer.from(made.mp4);
    // the avcC box's profile byte (box type, then configurationVersion, then AVCProfileIndication)
    const at = high.indexOf('avcC') + 5;
    expect(high[at]).toBe(66);
    high[at] = 100;
    expect(await refusal(write('phone.mp4', high))).toMatch(
      /phone\.mp4 is H\.264 High profile; the CLI decodes Baseline only .*ffmpeg -i '.*phone\.mp4' frames\/%04d\.png.* --frames frames/,
    );
  });

  test('a WebM, and a text file named .mp4', async () => {
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(60)]);
    expect(await refusal(write('clip.webm', webm))).toMatch(/clip\.webm is a WebM \(Matroska\) file.*--frames/);
    expect(await refusal(write('notes.mp4', 'these are notes, not a video\n'))).toMatch(
      /notes\.mp4 is not an MP4 with a video track \(damaged, or another format\).*ffmpeg -i/,
    );
  });
});
