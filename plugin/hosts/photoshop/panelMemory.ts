/**
 * Photoshop warns a plugin that passes 600 MB (AdobeDocs uxp-photoshop, ps-reference/media/imaging.md: "Plugin memory
 * usage increased to: 600MB. Plugin exceeds memory limit"), and the in-panel engine runs on the plugin's only JS
 * thread, so a model too large for it would freeze the panel for minutes before failing. Such a model is refused
 * before anything is built, with the way to the local engine, which has no such ceiling.
 */
import { BackendError } from '../../engine/core/errors';
import type { ModelConfig } from '../../stylegan2/config';
import { estimateWasmPeakBytes } from '../../stylegan2/wasmMemory';
import { START_LOCAL_ENGINE } from '../../ui/localEngineHelp';

export const UXP_MEMORY_WARNING_BYTES = 600e6;

/** Throws what to do when the model's estimated peak on the in-panel engine passes Photoshop's warning. */
export function requirePanelMemory(cfg: ModelConfig): void {
  const peak = estimateWasmPeakBytes(cfg);
  if (peak <= UXP_MEMORY_WARNING_BYTES) return;
  const mb = Math.round(peak / 1e6);
  throw new BackendError(
    `"${cfg.name}" (${cfg.img_resolution} px) needs about ${mb} MB in the panel's own engine, more than the 600 MB Photoshop allows a plugin: ` +
      `it needs the local engine: ${START_LOCAL_ENGINE} (or a remote endpoint, or a smaller model).`,
    [{ backend: 'wasm', error: `estimated peak ${mb} MB > 600 MB` }],
  );
}
