/** The strip of earlier results: click one to go back to it. */
import { html, nothing, type TemplateResult } from 'lit';
import type { EditController } from '../editController';

export function historyTemplate(edit: EditController): TemplateResult | typeof nothing {
  if (edit.history.length === 0) return nothing;
  return html`<div class="history" data-testid="history">
    ${edit.history.map(
      (h, i) => html`<img class="thumb" data-testid="history-${i}" src=${h.url} title="Go back to ${h.label}" alt=${h.label} @click=${() => edit.restore(i)} />`,
    )}
  </div>`;
}
