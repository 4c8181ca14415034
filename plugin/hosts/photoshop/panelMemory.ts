/**
 * Photoshop warns a plugin that passes 600 MB (AdobeDocs uxp-photoshop, ps-reference/media/imaging.md: "Plugin memory
 * usage increased to: 600MB. Plugin exceeds memory limit"), and the in-panel engine runs on the plugin's only JS
 * thread, so a model too large for it would freeze the panel for minutes before failing. Such a model is refused
 * before anything is built, with the way to the local engine, which has no such ceiling.
 */
import { BackendError } from '../../core/errors';
import type { CatalogEntry } from '../../model/catalog/catalogTypes';
import { ffhqShapeConfig } from '../../model/randomModel';
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

/**
 * Said before a catalog model is downloaded into the panel: its estimated peak at FFHQ's shape for its resolution
 * (the catalog does not give the channel counts), when that passes the warning. An estimate, so the download is not
 * refused: the model's own shape decides when it is opened.
 */
export function panelCaution(e: CatalogEntry): string | null {
  if (e.width === null) return null;
  const mb = Math.round(estimateWasmPeakBytes(ffhqShapeConfig(e.width)) / 1e6);
  if (mb * 1e6 <= UXP_MEMORY_WARNING_BYTES) return null;
  return (
    `Likely too large for the panel's own engine: about ${mb} MB at FFHQ's shape, over the 600 MB Photoshop allows a plugin. ` +
    `It runs in the local engine: draggan models pull ${e.id}, then draggan serve --model ${e.id}`
  );
}
