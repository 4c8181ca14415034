/** The settings section: engine (in-panel wasm, WebGPU, remote URL + token) and the drag's hyper-parameters. */
import { html, nothing, type TemplateResult } from 'lit';
import type { EditController } from '../editController';
import { fieldNumber } from '../fieldValues';
import { panelSettings, type PanelBackend, type Settings } from '../settings';

/**
 * UXP cannot read a password field's value on macOS (uxp-api/known-issues.md); Adobe's workaround is a text field
 * while it has the focus and a password field otherwise, so the token is typed in a field that can be read.
 */
function revealWhileEditing(e: FocusEvent): void {
  (e.target as HTMLInputElement).type = e.type === 'focus' ? 'text' : 'password';
}

/** "Local engine (CPU, 8 threads)" when it runs and says on what; older servers do not say. */
function localEngineLabel(edit: EditController): string {
  if (!edit.localServerUrl) return 'Local engine (npm run serve): not running';
  return `Local engine (${edit.localServerEngine ?? 'npm run serve'})`;
}

export function settingsTemplate(edit: EditController): TemplateResult {
  const s = edit.settings;
  const values = s as unknown as Record<string, unknown>;
  const num = (key: string, label: string, step: string, title: string) =>
    html`<label title=${title}>${label}<input type="number" step=${step} data-testid="setting-${key}" .value=${String(values[key])}
      @change=${(e: Event) => edit.updateSettings({ [key]: fieldNumber(e.target as HTMLInputElement) } as Partial<Settings>)} /></label>`;
  // the drag settings are the table's (plugin/core/dragSettings.ts): numbers first, then the choices
  const drag = panelSettings();
  const numbers = drag.map(([key, d]) =>
    d.kind === 'number' && d.panel ? num(key, d.panel.label, d.panel.step ?? 'any', d.help) : nothing,
  );
  const choices = drag.map(([key, d]) =>
    d.kind === 'choice' && d.panel
      ? html`<label title=${d.help}>${d.panel.label}
          <select data-testid="setting-${key}" @change=${(e: Event) => edit.updateSettings({ [key]: d.values.find((v) => v === (e.target as HTMLSelectElement).value) ?? d.default } as Partial<Settings>)}>
            ${d.values.map((v, i) => html`<option value=${v} ?selected=${values[key] === v}>${d.labels[i]}</option>`)}
          </select>
        </label>`
      : nothing,
  );
  return html`<div class="settings" data-testid="settings">
    <label>Engine
      <select data-testid="setting-backend" .value=${s.backend} @change=${(e: Event) => edit.updateSettings({ backend: (e.target as HTMLSelectElement).value as PanelBackend })}>
        <option value="wasm" ?selected=${s.backend === 'wasm'}>In-panel (wasm)</option>
        ${edit.localBackends.includes('webgpu') ? html`<option value="webgpu" ?selected=${s.backend === 'webgpu'}>WebGPU</option>` : nothing}
        ${
          edit.port.findLocalServer
            ? html`<option value="local-server" ?selected=${s.backend === 'local-server'}>${localEngineLabel(edit)}</option>`
            : nothing
        }
        <option value="remote" ?selected=${s.backend === 'remote'}>Remote GPU endpoint</option>
      </select>
    </label>
    ${
      edit.engineInfo
        ? html`<div class="engine" data-testid="engine-info" title="What is running now">Running: ${edit.engineInfo.description}${edit.engineInfo.notes.map((n) => html`<div class="note" data-testid="engine-note">${n}</div>`)}</div>`
        : nothing
    }
    ${
      s.backend === 'remote'
        ? html`<label>Endpoint URL<input type="text" data-testid="setting-remoteUrl" placeholder="https://draggan.example.com" .value=${s.remoteUrl}
            @change=${(e: Event) => edit.updateSettings({ remoteUrl: (e.target as HTMLInputElement).value.trim() })} /></label>
          <label>Token<input type="password" data-testid="setting-remoteToken" .value=${s.remoteToken}
            @focus=${revealWhileEditing} @blur=${revealWhileEditing}
            @change=${(e: Event) => edit.updateSettings({ remoteToken: (e.target as HTMLInputElement).value })} /></label>
          ${
            edit.port.secureTokenStorage
              ? nothing
              : html`<label title="Without it the token is kept for this tab only: a page's storage is plain text on this computer"><input type="checkbox" data-testid="setting-rememberToken" .checked=${s.rememberToken}
                @change=${(e: Event) => edit.updateSettings({ rememberToken: (e.target as HTMLInputElement).checked })} /> Remember the token on this computer</label>`
          }`
        : nothing
    }
    <div class="grid">
      ${numbers}
      ${num('invertSteps', 'Inversion steps', '50', 'Optimisation steps when a photo is brought into the model (more: closer fit, slower)')}
      ${num('previewEvery', 'Preview every', '1', 'Steps between live previews (a preview costs about one step)')}
      ${choices}
    </div>
  </div>`;
}
