/**
 * A clip in the panel: the key frame is inverted once for the points, and the clip drag reuses that inversion
 * instead of running it again, as long as the key frame and the engine (its model) are the same.
 */
import type { Image8 } from '../../plugin/codecs/image8';
import type { InversionOptions } from '../../plugin/engine/engine';
import type { RgbImage } from '../../plugin/invert/rgbImage';
import { ClipController } from '../../plugin/ui/clipController';
import { EditController } from '../../plugin/ui/editController';
import { FakeControllerHost, FakePort, RES, fakeEngine } from './fakeHost';

/** A frame whose grey level names it (the fake engine inverts it to that level). */
const frame = (level: number): Image8 => ({
  width: RES,
  height: RES,
  data: new Uint8ClampedArray(RES * RES * 4).fill(level),
});

/** A panel with a clip of `frames`; `stopFirst`: the first inversion ends as Stop would end it (a partial fit). */
async function ready(frames: number, stopFirst = false) {
  const backend = fakeEngine();
  const inversions: { level: number; warm: boolean }[] = [];
  const invert = backend.invert.bind(backend);
  let calls = 0;
  backend.invert = (image: RgbImage, o?: InversionOptions) => {
    inversions.push({ level: image.data[0], warm: o?.startLatent !== undefined });
    const stopped = stopFirst && ++calls === 1;
    return invert(image, o).then((r) => (stopped ? { ...r, cancelled: true } : r));
  };
  const port = new FakePort(backend);
  const applied: Image8[][] = [];
  Object.assign(port, {
    readClip: async () => ({ frames: Array.from({ length: frames }, (_, i) => frame(10 * (i + 1))), label: 'clip' }),
    applyClip: async (images: Image8[]) => void applied.push(images),
  });
  const host = new FakeControllerHost();
  const edit = new EditController(host, port);
  await edit.init();
  const clip = new ClipController(host, edit);
  return { edit, clip, inversions, applied };
}

const pair = (edit: EditController) => {
  edit.points.press({ x: 2, y: 8 }, 1);
  edit.points.press({ x: 6, y: 8 }, 1);
};

describe('the clip drag and the key frame inverted for the points', () => {
  test('the key frame is inverted once: the clip drag inverts only the other frames, warm from their neighbours', async () => {
    const { edit, clip, inversions } = await ready(4);
    await clip.open();
    expect(inversions).toEqual([{ level: 10, warm: false }]);
    pair(edit);
    await clip.run();
    expect(edit.error).toBeNull();
    expect(clip.result?.frames).toBe(4);
    expect(inversions).toEqual([
      { level: 10, warm: false },
      { level: 20, warm: true },
      { level: 30, warm: true },
      { level: 40, warm: true },
    ]);
  });

  test('another key frame: inverted once for its points; the others run outward from it, none of them cold', async () => {
    const { edit, clip, inversions } = await ready(4);
    await clip.open();
    await clip.chooseKey(3);
    pair(edit);
    inversions.length = 0;
    await clip.run();
    expect(edit.error).toBeNull();
    expect(inversions).toEqual([
      { level: 40, warm: true },
      { level: 20, warm: true },
      { level: 10, warm: true },
    ]);
  });

  test('a key frame inversion that was stopped is not reused: the clip drag inverts it in full', async () => {
    const { edit, clip, inversions } = await ready(2, true);
    await clip.open();
    pair(edit);
    inversions.length = 0;
    await clip.run();
    expect(inversions).toEqual([
      { level: 10, warm: false },
      { level: 20, warm: true },
    ]);
  });
});
