/**
 * The panel's and the page's Resume: a clip drag stopped in its last frame's drag keeps the frames done in a
 * MemoryClipStore, not the one cut short, and the next run drags only that one (bundled model, onnxruntime-node).
 */
import { join } from 'path';
import { dragClip, type ClipDragOptions } from '../../plugin/engine/clipDrag';
import type { Engine } from '../../plugin/engine/engine';
import { localEngine } from '../../plugin/engine/localEngine';
import { MemoryClipStore } from '../../plugin/engine/memoryClipStore';
import { loadModelDir } from '../../plugin/hosts/node/loadModelDir';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { turningClipFrames } from '../helpers/turningClip';

describe('a clip drag stopped and resumed with a MemoryClipStore', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = localEngine(loadModelDir(join(__dirname, '../../models/bundled')), await ortNodeCpu.create());
  });
  afterAll(() => engine.release());

  test("Stop in the last frame's drag keeps the key frame only; Resume drags the last frame alone", async () => {
    const frames = (await turningClipFrames(2)).map((f) => ({ ...f, channels: 4 as const }));
    const store = new MemoryClipStore();
    const drag = { key: 0, pairs: [{ handle: { x: 60, y: 60 }, target: { x: 68, y: 60 } }], hp: { maxSteps: 20 } };
    const options: ClipDragOptions = { ...drag, invertSteps: 2, warmInvertSteps: 1, store };

    expect(store.begin({ steps: 2 }, drag)).toBe(0);
    const stop = new AbortController();
    const stopped = await dragClip(engine, frames, {
      ...options,
      signal: stop.signal,
      // the key frame is dragged: Stop once the next frame's drag is under way (its tracking runs on ORT's threads)
      onProgress: (stage, done) => {
        if (stage === 'drag' && done === 1) setTimeout(() => stop.abort(), 0);
      },
    });
    expect(stopped.cancelled).toBe(true);
    // the frame cut short is still shown, but not kept
    expect(stopped.frames.map((f) => f.index)).toEqual([0, 1]);
    expect(store.dragged).toBe(1);

    expect(store.begin({ steps: 2 }, drag)).toBe(1);
    const resumed = await dragClip(engine, frames, options);
    expect(resumed.cancelled).toBe(false);
    expect(store.dragged).toBe(2);
    // the key frame's edit is the stopped run's: dragged then, not now
    expect(stopped.frames[0].dragSteps).toBeGreaterThan(0);
    expect(resumed.frames.map((f) => f.index)).toEqual([0, 1]);
    expect(resumed.frames[0].dragSteps).toBe(0);
  }, 300_000);
});
