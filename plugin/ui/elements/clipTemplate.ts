/**
 * The clip row (hosts that read clips): Open video/frames… (Photoshop: Clip from layers), the key frame, Drag clip,
 * and the result to play and save, or to apply where the host keeps clips.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ClipController } from '../clipController';
import type { EditController } from '../editController';

export function clipTemplate(edit: EditController, clip: ClipController): TemplateResult | typeof nothing {
  if (!edit.port.readClip) return nothing;
  const busy = edit.busy !== null;
  const c = clip.clip;
  const r = clip.result;
  return html`<div class="row" data-testid="clip">
      <button data-testid="open-clip" ?disabled=${busy || !edit.model} @click=${() => clip.open()} title=${edit.port.readClipLabel ? 'The visible pixel layers (or the selected ones), bottom first; the active layer is the key frame' : 'A video file, or picture files as its frames in name order'}>${edit.port.readClipLabel ?? 'Open video/frames…'}</button>
      ${
        c
          ? html`<label>Key frame <input type="number" data-testid="clip-key" min="1" max=${c.frames.length} step="1" ?disabled=${busy} .value=${String(clip.key + 1)} @change=${(e: Event) => clip.chooseKey(Number((e.target as HTMLInputElement).value))} /> of ${c.frames.length}</label>
            <button data-testid="run-clip" ?disabled=${busy || !edit.current} @click=${() => clip.run()} title="Every frame inverted and dragged by the key frame's points">Drag clip</button>
            ${clip.resumable ? html`<button data-testid="resume-clip" ?disabled=${busy || !edit.current} @click=${() => clip.run(true)} title="Goes on from the next frame: the frames done are kept (with the same key frame, points and settings)">Resume</button>` : nothing}`
          : nothing
      }
    </div>
    ${
      r
        ? html`<div class="row">
            ${r.video ? html`<video class="clip" data-testid="clip-video" src=${r.video.url} controls loop muted playsinline aria-label="The dragged clip, ${r.frames} of ${r.of} frames"></video>` : nothing}
            ${edit.port.saveClip && r.video ? html`<button data-testid="save-clip" ?disabled=${busy} @click=${() => clip.save()}>Download clip (.mp4)</button>` : nothing}
            ${edit.port.applyClip ? html`<button data-testid="apply-clip" ?disabled=${busy} @click=${() => clip.apply()} title="The ${r.frames} dragged frames as the layers of a new document">${edit.port.applyClipLabel ?? 'Apply clip'}</button>` : nothing}
          </div>`
        : nothing
    }`;
}
