/**
 * The "Get models…" section: every catalog model with what it draws, its size, its licence (with a link) and
 * whether it may be used commercially, and whether it opens here (if not, why and what to do) — all before any
 * download; then Download with a progress bar and Cancel, and Remove for installed ones.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CatalogRow, ModelCatalogController } from '../modelCatalogController';

const mb = (n: number) => `${Math.round(n / 1e5) / 10} MB`;

function size(row: CatalogRow): string {
  const e = row.entry;
  const px = e.width === null || e.height === null ? 'size unknown' : `${e.width} x ${e.height} px`;
  return `${px}${e.content ? ` (picture ${e.content.width} x ${e.content.height} inside)` : ''}; ${e.bytes === null ? 'file size not published' : mb(e.bytes)}`;
}

function rowTemplate(c: ModelCatalogController, row: CatalogRow): TemplateResult {
  const e = row.entry;
  const d = c.download;
  const mine = d?.id === e.id;
  const l = e.licence;
  const action = row.installed
    ? html`<button data-testid="catalog-remove-${e.id}" ?disabled=${d !== null} @click=${() => c.remove(e.id)}>Remove</button><span class="installed">installed</span>`
    : row.opens.ok
      ? mine
        ? html`<button data-testid="catalog-cancel" ?disabled=${d.importing} @click=${() => c.cancel()}>Cancel</button>`
        : html`<button data-testid="catalog-get-${e.id}" ?disabled=${d !== null} @click=${() => c.get(e.id)}>Download</button>`
      : nothing;
  const pct = mine && d.total ? Math.min(100, (100 * d.done) / d.total) : 0;
  return html`<li class="model" data-testid="catalog-${e.id}">
    <div class="title">${e.title}</div>
    <div>Draws ${e.domain}; ${size(row)}</div>
    <div>Licence: <a href=${l.url} target="_blank" rel="noopener">${l.name}</a>; commercial use: <b data-testid="commercial-${e.id}">${l.commercial ? 'yes' : 'no'}</b>${l.note ? html` <span class="note">(${l.note})</span>` : nothing}</div>
    ${row.opens.ok ? (row.opens.caution ? html`<div class="cannot" data-testid="caution-${e.id}">${row.opens.caution}</div>` : nothing) : html`<div class="cannot" data-testid="cannot-${e.id}">Does not open here: ${row.opens.why}. Instead: ${row.opens.instead}.</div>`}
    <div class="row">${action}</div>
    ${c.error && c.errorId === e.id ? html`<div class="error" role="alert" data-testid="catalog-error">${c.error}</div>` : nothing}
    ${
      mine
        ? html`<div class="progress" data-testid="catalog-progress" role="progressbar" aria-label="Downloading ${e.title}" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(pct)}><div style="width: ${pct}%"></div></div>
          <div class="status" data-testid="catalog-bytes">${d.importing ? 'importing…' : `${mb(d.done)}${d.total ? ` of ${mb(d.total)}` : ''}`}</div>`
        : nothing
    }
  </li>`;
}

export function catalogTemplate(c: ModelCatalogController): TemplateResult {
  if (!c.open) return html``;
  return html`<section class="catalog" data-testid="catalog" aria-label="Get models">
    <div class="row"><h3>Get models</h3><button data-testid="catalog-close" @click=${() => c.hide()}>Close</button></div>
    <div class="status" data-testid="catalog-status" role="status" aria-live="polite">${c.status}</div>
    <ul>${c.rows.map((r) => rowTemplate(c, r))}</ul>
  </section>`;
}
