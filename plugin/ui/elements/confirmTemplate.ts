/** The question asked before the edit is dropped (EditController.confirmDrop): go on, or keep the edit. */
import { html, nothing, type TemplateResult } from 'lit';
import type { EditController } from '../editController';

export function confirmTemplate(edit: EditController): TemplateResult | typeof nothing {
  const c = edit.confirmation;
  if (!c) return nothing;
  return html`<div class="confirm" data-testid="confirm" role="alertdialog" aria-label=${c.message}>
    <div>${c.message}</div>
    <div class="row">
      <button data-testid="confirm-yes" @click=${() => edit.answer(true)}>${c.yes}</button>
      <button class="primary" data-testid="confirm-no" @click=${() => edit.answer(false)}>Keep my edit</button>
    </div>
  </div>`;
}
