/** The face bar: the faces found in the picture read (pick one, or the square), then the presets for the face edited. */
import { html, nothing, type TemplateResult } from 'lit';
import { PRESETS, presetDescription } from '../../faces/presets';
import type { EditController } from '../editController';

export function faceTemplate(edit: EditController): TemplateResult | typeof nothing {
  const busy = edit.busy !== null;
  const pick = edit.faces.pick;
  if (pick) {
    const n = pick.found.length;
    if (n === 0)
      return html`<div class="row" data-testid="face-pick">
        <span data-testid="face-count">Face search stopped</span>
        <button class="primary" data-testid="use-square" ?disabled=${busy} @click=${() => edit.faces.useSquare()} title="Invert the selection, or the picture's centred square, as it is">Use the square</button>
      </div>`;
    return html`<div class="row" data-testid="face-pick">
      <span data-testid="face-count">Face ${pick.index + 1} of ${n}</span>
      <button class="primary" data-testid="invert-face" ?disabled=${busy} @click=${() => edit.faces.invert()} title="Invert this face, cut out as the model's training faces were">Invert this face</button>
      ${n > 1 ? html`<button data-testid="next-face" ?disabled=${busy} @click=${() => edit.faces.next()}>Next face</button>` : nothing}
      <button data-testid="use-square" ?disabled=${busy} @click=${() => edit.faces.useSquare()} title="Invert the selection, or the picture's centred square, as it is">Use the square</button>
    </div>`;
  }
  if (!edit.faces.face || !edit.current) return nothing;
  return html`<div class="row" data-testid="presets" role="group" aria-label="Suggested points">
    ${PRESETS.map((name) => html`<button data-testid="preset-${name}" ?disabled=${busy} title=${presetDescription(name)} @click=${() => edit.faces.addPreset(name)}>${name.replace(/-/g, ' ')}</button>`)}
  </div>`;
}
