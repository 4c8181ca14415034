/** <dg-panel>: the DragGAN panel. Thin: renders EditController's state and forwards input to it. */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Point } from '../../core/types';
import { ClipController } from '../clipController';
import { EditController } from '../editController';
import { fieldNumber, seedFromField } from '../fieldValues';
import type { HostPort } from '../hostPort';
import { typedInField } from '../typedInField';
import { faceTemplate } from './faceTemplate';
import { historyTemplate } from './historyTemplate';
import { panelStyles } from './panelStyles';
import { confirmTemplate } from './confirmTemplate';
import { ModelCatalogController } from '../modelCatalogController';
import { catalogTemplate } from './catalogTemplate';
import { clipTemplate } from './clipTemplate';
import { previewTemplate } from './previewTemplate';
import { settingsTemplate } from './settingsTemplate';
import { timelineTemplate } from './timelineTemplate';

export class DgPanel extends LitElement {
  static override styles = panelStyles;
  /** Set by the host before the element is connected. */
  port?: HostPort;
  private edit?: EditController;
  private catalog?: ModelCatalogController;
  private clip?: ClipController;
  private showSettings = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.edit && this.port) {
      this.edit = new EditController(this, this.port);
      const edit = this.edit;
      if (this.port.readClip) this.clip = new ClipController(this, edit);
      if (this.port.catalog)
        this.catalog = new ModelCatalogController(this, this.port.catalog, (id) => edit.modelsChanged(id));
      void this.edit.init();
    }
    // focusable, so Esc and Delete reach the points after a click on the preview
    this.tabIndex = 0;
    this.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKey);
  }

  /** Input that arrives while an action runs (a dropped file) is refused in place, not lost; true when refused. */
  refuseWhileBusy(what: string): boolean {
    return this.edit?.refuseWhileBusy(what) ?? true;
  }

  /** Reads the host's image (the page calls this for a dropped file); resolves when the read has finished. */
  async readSource(): Promise<void> {
    await this.edit?.useHostSource();
  }

  /**
   * Keys go to the points: with the preview focused all of PointsController.previewKey (arrows, Enter, [ ], Esc,
   * Delete), elsewhere in the panel only Esc and Delete, so that Enter and Space still press the focused button. A key
   * typed in one of the panel's fields (seed, learning rate, endpoint, token) is the field's: Backspace there edits
   * the text. Keys with Ctrl, Cmd or Alt are left to the host's shortcuts.
   */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (typedInField(e, this.shadowRoot) || e.ctrlKey || e.metaKey || e.altKey) return;
    const points = this.edit?.points;
    if (!points) return;
    const used = this.keyFromPreview(e) ? points.previewKey(e.key, e.shiftKey) : points.key(e.key);
    if (used) e.preventDefault();
  };

  /** Whether a key event comes from the focused preview (found as typedInField finds a field). */
  private keyFromPreview(e: KeyboardEvent): boolean {
    const origin =
      (typeof e.composedPath === 'function' ? e.composedPath()[0] : undefined) ??
      this.shadowRoot?.activeElement ??
      e.target;
    return (origin as Element | null)?.getAttribute?.('data-testid') === 'preview';
  }

  /** Pointer position in model pixels, from the preview's box inside its border (where the image lies). */
  private toModel(e: PointerEvent): Point {
    const el = e.currentTarget as HTMLElement;
    const box = el.getBoundingClientRect();
    const width = this.edit?.width ?? 1;
    const height = this.edit?.resolution ?? 1;
    return {
      x: ((e.clientX - box.left - el.clientLeft) / el.clientWidth) * width,
      y: ((e.clientY - box.top - el.clientTop) / el.clientHeight) * height,
    };
  }

  /** The preview's pointer handlers (on the element itself: see previewTemplate). */
  private readonly pointer = {
    down: (e: PointerEvent): void => {
      const edit = this.edit;
      // a face shown for picking is not the image being edited: points wait for its inversion
      if (!edit?.current || edit.faces.pick || e.button !== 0) return;
      const el = e.currentTarget as HTMLElement;
      // the preview takes the focus, so the point keys reach it after a click
      el.focus();
      const p = this.toModel(e);
      el.setPointerCapture?.(e.pointerId);
      if (edit.mask.painting) return edit.mask.begin(p);
      // grab radius: 8 screen pixels, in model pixels
      const hit = (8 / el.clientWidth) * edit.width;
      if (e.altKey) {
        const m = edit.points.hit(p, hit);
        if (m) edit.points.remove(m.pair);
        return;
      }
      edit.points.press(p, hit);
    },
    move: (e: PointerEvent): void => {
      const edit = this.edit;
      if (!edit) return;
      if (edit.mask.painting) edit.mask.continue(this.toModel(e));
      else if (edit.points.isDragging) edit.points.move(this.toModel(e));
    },
    up: (): void => {
      this.edit?.mask.end();
      this.edit?.points.release();
    },
  };

  private num(e: Event): number {
    return fieldNumber(e.target as HTMLInputElement);
  }

  override render(): TemplateResult {
    const edit = this.edit;
    if (!edit) return html`<div class="error">No host: the panel was opened without a host port.</div>`;
    const port = edit.port;
    const busy = edit.busy !== null;
    const running = edit.running;
    const s = edit.settings;
    const pts = edit.points;
    const mask = edit.mask;
    const pr = edit.progress;
    // the body scrolls; the action bar below it stays in view at the panel's minimum size (panelStyles)
    return html`<div class="body">
      <div class="row">
        <select data-testid="model" title="Model" aria-label="Model" ?disabled=${busy} @change=${(e: Event) => edit.selectModel((e.target as HTMLSelectElement).value)}>
          ${edit.models.map((m) => html`<option value=${m.id} ?selected=${m.id === edit.modelId}>${m.label}</option>`)}
        </select>
        ${port.pickCheckpoint ? html`<button data-testid="import" ?disabled=${busy} @click=${() => edit.importCheckpoint()} title="Import an official StyleGAN2 .pkl">Import .pkl…</button>` : nothing}
        ${this.catalog ? html`<button data-testid="get-models" class=${this.catalog.open ? 'on' : ''} aria-expanded=${this.catalog.open ? 'true' : 'false'} @click=${() => (this.catalog?.open ? this.catalog.hide() : this.catalog?.show())} title="The published models: licences, downloads">Get models…</button>` : nothing}
        <button class=${this.showSettings ? 'on' : ''} data-testid="toggle-settings" aria-expanded=${this.showSettings ? 'true' : 'false'} @click=${() => {
          this.showSettings = !this.showSettings;
          this.requestUpdate();
        }}>Settings</button>
      </div>
      ${this.catalog ? catalogTemplate(this.catalog) : nothing}
      ${this.showSettings ? settingsTemplate(edit) : nothing}
      <div class="row">
        <label>Seed <input type="number" class="seed" data-testid="seed" min="0" step="1" placeholder="random" title="Empty: a new random seed at each Generate (the status line says which)" .value=${live(edit.randomSeed ? '' : String(s.seed))} @change=${(e: Event) => edit.setSeed(seedFromField(e.target as HTMLInputElement))} /></label>
        <label>ψ <input type="number" data-testid="psi" aria-label="Truncation psi" title="Truncation ψ: lower is closer to the average image" min="0" max="2" step="0.05" .value=${String(s.psi)} @change=${(e: Event) => edit.updateSettings({ psi: this.num(e) })} /></label>
        <button data-testid="generate" ?disabled=${busy || !edit.model} @click=${() => edit.generate()}>Generate</button>
        ${port.readSource ? html`<button data-testid="read-source" ?disabled=${busy || !edit.model} @click=${() => edit.useHostSource()}>${port.readSourceLabel ?? 'Use host image'}</button>` : nothing}
        ${port.readPoints ? html`<button data-testid="read-points" ?disabled=${busy || !edit.current} @click=${() => edit.importHostPoints()} title="Colour samplers in pairs, or a pen path of two-point subpaths">Points from ${port.name}</button>` : nothing}
      </div>
      ${faceTemplate(edit)}
      ${previewTemplate(edit, this.pointer)}
      <div class="row">
        <button class=${mask.painting ? '' : 'on'} data-testid="mode-points" aria-pressed=${mask.painting ? 'false' : 'true'} @click=${() => {
          mask.painting = false;
          this.requestUpdate();
        }}>Points</button>
        <button class=${mask.painting ? 'on' : ''} data-testid="mode-mask" aria-pressed=${mask.painting ? 'true' : 'false'} @click=${() => {
          mask.painting = true;
          this.requestUpdate();
        }} title="Paint the region that may change">Mask</button>
        ${
          mask.painting
            ? html`<label>Brush <input type="range" min="1" max=${Math.max(8, edit.resolution / 4)} data-testid="brush" .value=${String(mask.brush)} @input=${(
                e: Event,
              ) => {
                mask.brush = this.num(e);
                this.requestUpdate();
              }} /></label>
              <label><input type="checkbox" data-testid="erase" .checked=${mask.erase} @change=${(e: Event) => {
                mask.erase = (e.target as HTMLInputElement).checked;
              }} /> Erase</label>
              <button data-testid="clear-mask" @click=${() => mask.clear()}>Clear mask</button>`
            : html`<button data-testid="delete-point" ?disabled=${pts.selected === null || running} @click=${() => pts.removeSelected()} title="Delete the selected pair (Delete key; Alt-click a marker)">Delete pair</button>
              <button data-testid="clear-points" ?disabled=${pts.pairs.length === 0 || running} @click=${() => pts.clear()}>Clear points</button>`
        }
        <label><input type="checkbox" data-testid="show-mask" .checked=${mask.visible} @change=${(e: Event) => {
          mask.visible = (e.target as HTMLInputElement).checked;
          this.requestUpdate();
        }} /> Show mask</label>
      </div>
      ${historyTemplate(edit)}
      ${
        // below the image: a narrow panel (300 x 420) keeps the image in view; clips are the rarer task
        this.clip ? clipTemplate(edit, this.clip) : nothing
      }
    </div>
    <div class="actions" data-testid="actions">
      <div class="row">
        <button class="primary" data-testid="run" ?disabled=${busy || !edit.current} @click=${() => edit.run()}>Run</button>
        <button data-testid="stop" ?disabled=${!running} @click=${() => edit.stop()}>Stop</button>
        <button data-testid="reset" ?disabled=${busy || !edit.origin || edit.current === edit.origin} @click=${() => edit.reset()}>Reset</button>
        <button data-testid="undo" ?disabled=${busy || edit.history.length === 0} title="Undo the last drag" @click=${() => edit.undo()}>Undo</button>
        <button data-testid="apply" ?disabled=${busy || !edit.current} @click=${() => edit.apply()}>${port.applyLabel}</button>
        ${(port.extraActions ?? []).map((a) => html`<button data-testid="action-${a.id}" ?disabled=${busy || !edit.current || (a.needsFrames === true && edit.frames.length === 0)} aria-label=${a.short ? a.label : nothing} title=${a.short ? a.label : nothing} @click=${() => edit.extra(a)}>${a.short ? html`<span class="wide">${a.label}</span><span class="narrow">${a.short}</span>` : a.label}</button>`)}
        ${(port.extraActions ?? []).some((a) => a.needsFrames) ? timelineTemplate(edit) : nothing}
      </div>
      ${pr ? html`<div class="progress" data-testid="progress" title=${pr.label} role="progressbar" aria-label=${pr.label} aria-valuemin="0" aria-valuemax=${Math.max(1, pr.max)} aria-valuenow=${Math.min(pr.step, Math.max(1, pr.max))}><div style="width: ${Math.min(100, (100 * pr.step) / Math.max(1, pr.max))}%"></div></div>` : nothing}
      ${confirmTemplate(edit)}
      <div class="status" data-testid="status" role="status" aria-live="polite">${pr ? pr.label : edit.busy ? `${edit.busy}…` : edit.status}</div>
      ${edit.error ? html`<div class="error" role="alert" data-testid="error">${edit.error}</div>` : nothing}
    </div>`;
  }
}

/** Registers <dg-panel> once (a UXP panel may be shown, hidden and shown again). */
export function definePanel(): void {
  if (!customElements.get('dg-panel')) customElements.define('dg-panel', DgPanel);
}

/** Creates the panel for a host and puts it in `container`. */
export function mountPanel(container: HTMLElement, port: HostPort): DgPanel {
  definePanel();
  const el = document.createElement('dg-panel') as DgPanel;
  el.port = port;
  container.appendChild(el);
  return el;
}
