/**
 * "Apply as animation": a drag's frames as a Photoshop frame animation in a new document, one layer per frame, in
 * one history step; the source document is not touched. No Adobe page describes the timeline's descriptors: they
 * are the ones a published UXP plugin plays (rrlyman/FaceTags, tagGif.js; docs/photoshop.md, finding 26).
 */
import { action, app, constants, core } from 'photoshop';
import type { ActionDescriptor } from 'photoshop/dom/CoreModules';
import type { Image8 } from '../../codecs/image8';
import { VIDEO_FPS } from '../../engine/frameTimeline';
import { EditCancelledError } from './photoshopErrors';
import { putPixelsAt } from './writeEdit';

export interface WrittenAnimation {
  documentId: number;
  documentName: string;
  frames: number;
}

const quiet = { _options: { dialogOptions: 'dontDisplay' } };

/**
 * Timeline > Create Frame Animation, Make Frames From Layers, select every frame, and one delay for all of them
 * (seconds). Played one at a time so a failure names its step.
 */
const TIMELINE_STEPS: readonly { what: string; descriptor: ActionDescriptor }[] = [
  { what: 'create the frame animation', descriptor: { _obj: 'makeFrameAnimation', ...quiet } },
  { what: 'make frames from the layers', descriptor: { _obj: 'animationFramesFromLayers', ...quiet } },
  { what: 'select the frames', descriptor: { _obj: 'animationSelectAll', ...quiet } },
  {
    what: 'set the frame delay',
    descriptor: {
      _obj: 'set',
      _target: [{ _ref: 'animationFrameClass', _enum: 'ordinal', _value: 'targetEnum' }],
      to: { _obj: 'animationFrameClass', animationFrameDelay: 1 / VIDEO_FPS },
      ...quiet,
    },
  },
];

/** batchPlay reports a failed command as a result descriptor `{_obj: 'error', message, result}`, not by throwing. */
async function play(what: string, descriptor: ActionDescriptor): Promise<void> {
  const [r] = (await action.batchPlay([descriptor], {})) as { _obj?: string; message?: string; result?: number }[];
  if (r?._obj === 'error')
    throw new Error(`Photoshop could not ${what}: ${r.message || 'no message'} (error ${r.result ?? 'unknown'})`);
}

/** Frames made one at a time as they are written (a clip's frames at the source document's size are large). */
export interface AnimationFrames {
  count: number;
  width: number;
  height: number;
  frame(i: number): Promise<Image8>;
}

/**
 * `frames` (already in playing order, all one size) become the layers of a new document named `${name} animation`,
 * the first frame at the bottom, as Make Frames From Layers takes them.
 */
export async function writeAnimation(
  given: readonly Image8[] | AnimationFrames,
  name: string,
): Promise<WrittenAnimation> {
  const frames: AnimationFrames =
    'frame' in given
      ? given
      : { count: given.length, width: given[0]?.width, height: given[0]?.height, frame: async (i) => given[i] };
  if (frames.count === 0) throw new Error('no frames to animate');
  const { width, height } = frames;
  const documentName = `${name} animation`;
  return core.executeAsModal(
    async (ctx) => {
      const step = (value: number) => {
        if (ctx.isCancelled) throw new EditCancelledError();
        ctx.reportProgress({ value, commandName: documentName });
      };
      try {
        const doc = await app.createDocument({
          name: documentName,
          width,
          height,
          resolution: 72,
          mode: constants.NewDocumentMode.RGB,
          // a transparent document's one layer is a plain pixel layer (no Background to show under every frame)
          fill: constants.DocumentFill.TRANSPARENT,
        });
        if (!doc) throw new Error('Photoshop did not create the animation document');
        // closed by Photoshop if this scope fails or is cancelled, so nothing half-made is left open
        await ctx.hostControl.registerAutoCloseDocument(doc.id);
        const suspension = await ctx.hostControl.suspendHistory({ documentID: doc.id, name: documentName });
        const first = doc.layers[0];
        if (!first || doc.layers.length !== 1) throw new Error('the new document does not hold exactly one layer');
        for (let i = 0; i < frames.count; i++) {
          step((0.8 * i) / frames.count);
          const layer = i === 0 ? first : await doc.createPixelLayer({ name: `Frame ${i + 1}` });
          if (!layer) throw new Error(`Photoshop did not create the layer for frame ${i + 1}`);
          if (i === 0) layer.name = 'Frame 1';
          await putPixelsAt(doc, layer, await frames.frame(i), { left: 0, top: 0 });
        }
        for (const [i, s] of TIMELINE_STEPS.entries()) {
          step(0.8 + (0.2 * i) / TIMELINE_STEPS.length);
          await play(s.what, s.descriptor);
        }
        step(1);
        await ctx.hostControl.resumeHistory(suspension, true);
        await ctx.hostControl.unregisterAutoCloseDocument(doc.id);
        return { documentId: doc.id, documentName, frames: frames.count };
      } catch (e) {
        // a cancel shows first as whichever Photoshop call it interrupted: say what happened, not that call's error
        throw ctx.isCancelled ? new EditCancelledError() : e;
      }
    },
    { commandName: documentName },
  );
}
