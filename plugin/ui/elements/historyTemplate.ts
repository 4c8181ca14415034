/** The strip of earlier results: click one to go back to it. */
import { html, nothing, type TemplateResult } from 'lit';
import type { EditController } from '../editController';

export function historyTemplate(edit: EditController): TemplateResult | typeof nothing {
  if (edit.history.length === 0) return nothing;
  // a portrait model's thumbnails keep its aspect: as tall as a square one, narrower
  const thumb = edit.width === edit.resolution ? '' : `width: ${Math.round((48 * edit.width) / edit.resolution)}px;`;
  return html`<div class="history" data-testid="history">
    ${edit.history.map(
      // a button, so a keyboard reaches it and a screen reader names it
      (h, i) =>
        html`<button class="thumb" style=${thumb} data-testid="history-${i}" title="Go back to ${h.label}" aria-label="Go back to ${h.label}" @click=${() => edit.restore(i)}><img src=${h.url} alt="" /></button>`,
    )}
  </div>`;
}
