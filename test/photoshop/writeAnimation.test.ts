/** "Apply as animation" against the fake `photoshop` module, which takes only FaceTags' timeline descriptors. */
import type { Image8 } from '../../plugin/codecs/image8';
import { frameTimeline } from '../../plugin/engine/frameTimeline';
import { EditCancelledError } from '../../plugin/hosts/photoshop/photoshopErrors';
import { PhotoshopPort } from '../../plugin/hosts/photoshop/photoshopPort';
import { readPluginBytes, readPluginText } from '../../plugin/hosts/photoshop/uxpFiles';
import { writeAnimation } from '../../plugin/hosts/photoshop/writeAnimation';
import type { EditResult } from '../../plugin/ui/hostPort';
import { action, app, core, live, resetPhotoshop, testControl, type FakeDocument } from '../fakes/photoshop';

const SIDE = 16;

/** Frame i: a flat grey of 10 * (i + 1), so each layer's pixels say which frame it holds. */
const frame = (i: number): Image8 => {
  const data = new Uint8ClampedArray(SIDE * SIDE * 4);
  for (let p = 0; p < SIDE * SIDE; p++) data.set([10 * (i + 1), 10 * (i + 1), 10 * (i + 1), 255], p * 4);
  return { width: SIDE, height: SIDE, data };
};

function sourceDoc(): { doc: FakeDocument; layers: string[]; history: string[] } {
  const doc = resetPhotoshop(64, 48);
  doc.addLayer('Portrait').fillRect({ left: 0, top: 0, right: 64, bottom: 48 }, [200, 100, 50]);
  return { doc, layers: doc.layers.map((l) => l.name), history: [...doc.history] };
}

const created = (source: FakeDocument) => app.documents.filter((d) => d !== source);

describe('Apply as animation', () => {
  test('a new document of the frames, one layer per frame bottom first, one history step; the source is untouched', async () => {
    const { doc, layers, history } = sourceDoc();
    const frames = [0, 1, 2, 3].map(frame);
    const r = await writeAnimation(frames, 'Portrait');
    const [anim] = created(doc);
    expect(r).toEqual({ documentId: anim.id, documentName: 'Portrait animation', frames: 4 });
    expect(anim.name).toBe('Portrait animation');
    expect([anim.width, anim.height]).toEqual([SIDE, SIDE]);
    expect(app.activeDocument).toBe(anim);
    // top first in the layers list: frame 1 is the bottom layer
    expect(anim.layers.map((l) => l.name)).toEqual(['Frame 4', 'Frame 3', 'Frame 2', 'Frame 1']);
    expect(anim.layers.map((l) => l.pixels![0])).toEqual([40, 30, 20, 10]);
    // each frame shows its own layer only, 1/10 s each
    const bottomUp = [...anim.layers].reverse();
    expect(anim.animation!.frames).toEqual(bottomUp.map((l) => ({ visible: [l.id], delay: 0.1 })));
    expect(anim.history).toEqual(['New', 'Portrait animation']);
    expect(doc.layers.map((l) => l.name)).toEqual(layers);
    expect(doc.history).toEqual(history);
    expect(action.played.every((d) => (d._options as { dialogOptions: string }).dialogOptions === 'dontDisplay')).toBe(
      true,
    );
    expect(live.size).toBe(0);
  });

  test("the panel's action plays the drag's frames on the panel's timeline (Ease, Loop), named after the layer read", async () => {
    const { doc } = sourceDoc();
    const port = new PhotoshopPort({ text: readPluginText, bytes: readPluginBytes });
    await port.readSource(SIDE);
    const frames = [0, 1, 2, 3, 4].map(frame);
    const result: EditResult = {
      image: frames[4],
      latent: { shape: [1, 1], data: new Float32Array(1) },
      pairs: [],
      tracked: [],
      frames,
      timeline: { ease: true, loop: true },
    };
    const animation = port.extraActions.find((a) => a.id === 'animation')!;
    await animation.run(result);
    await animation.run({ ...result, timeline: { ease: false, loop: false } });
    await animation.run({ ...result, timeline: { ease: false, loop: true } });
    const [eased, plain, looped] = created(doc);
    expect(eased.name).toBe('Portrait animation');
    const shown = (anim: typeof eased) => [...anim.layers].reverse().map((l) => l.pixels![0] / 10 - 1);
    expect(shown(eased)).toEqual(frameTimeline(5, { ease: true, loop: true }));
    expect(eased.animation!.frames).toHaveLength(shown(eased).length);
    expect(shown(plain)).toEqual([0, 1, 2, 3, 4]);
    expect(shown(looped)).toEqual([0, 1, 2, 3, 4, 3, 2, 1]);
    expect(looped.animation!.frames).toHaveLength(8);
    await expect(port.applyAnimation({ ...result, frames: [] })).rejects.toThrow(/no frames yet/);
  });

  test('a timeline command Photoshop refuses fails with its step named, and the half-made document is closed', async () => {
    const { doc, history } = sourceDoc();
    const play = action.batchPlay;
    const spy = jest.spyOn(action, 'batchPlay').mockImplementation(async (ds, o) =>
      ds[0]._obj === 'animationFramesFromLayers'
        ? [
            {
              _obj: 'error',
              message: 'The command "Make Frames From Layers" is not currently available.',
              result: -25920,
            },
          ]
        : play(ds, o),
    );
    try {
      await expect(writeAnimation([frame(0), frame(1)], 'Portrait')).rejects.toThrow(
        /could not make frames from the layers: The command "Make Frames From Layers" is not currently available/,
      );
    } finally {
      spy.mockRestore();
    }
    expect(created(doc)).toEqual([]);
    expect(app.activeDocument).toBe(doc);
    expect(doc.history).toEqual(history);
    expect(live.size).toBe(0);
  });

  test('a cancel in Photoshop leaves no document behind and says nothing was changed', async () => {
    const { doc } = sourceDoc();
    testControl.cancelAfterReports = 2;
    await expect(writeAnimation([0, 1, 2].map(frame), 'Portrait')).rejects.toThrow(EditCancelledError);
    expect(app.documents).toEqual([doc]);
    expect(live.size).toBe(0);
  });
});

describe('the fake takes the timeline commands strictly', () => {
  const modal = <T>(fn: () => Promise<T>) => core.executeAsModal(fn, { commandName: 'test' });
  const quiet = { _options: { dialogOptions: 'dontDisplay' } };

  test('unknown commands, commands that may show a dialog and a timeline out of order come back as errors', async () => {
    resetPhotoshop(8, 8).addLayer('A');
    await expect(action.batchPlay([{ _obj: 'makeFrameAnimation', ...quiet }])).rejects.toThrow(/modal/);
    const results = await modal(async () => [
      ...(await action.batchPlay([{ _obj: 'convertTimeline', ...quiet }])),
      ...(await action.batchPlay([{ _obj: 'makeFrameAnimation' }])),
      ...(await action.batchPlay([{ _obj: 'animationFramesFromLayers', ...quiet }])),
      ...(await action.batchPlay([
        { _obj: 'makeFrameAnimation', ...quiet },
        { _obj: 'makeFrameAnimation', ...quiet },
        { _obj: 'animationSelectAll', ...quiet },
      ])),
    ]);
    expect(results.map((r) => ('_obj' in r ? r._obj : 'ok'))).toEqual(['error', 'error', 'error', 'ok', 'error']);
  });

  test('a Background layer is taken to stay visible in every frame (undocumented: the worse case)', async () => {
    const doc = resetPhotoshop(8, 8);
    const bg = doc.addLayer('Background', true);
    const a = doc.addLayer('A');
    await modal(() =>
      action.batchPlay([
        { _obj: 'makeFrameAnimation', ...quiet },
        { _obj: 'animationFramesFromLayers', ...quiet },
      ]),
    );
    expect(doc.animation!.frames.map((f) => f.visible)).toEqual([[bg.id], [bg.id, a.id]]);
  });
});
