/** Turns whatever went wrong into one sentence for the panel: what happened and what to do about it. */
import { DragInputError } from '../drag/types';

export function explainError(e: unknown, doing: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof DragInputError) return `${msg[0].toUpperCase()}${msg.slice(1)}.`;
  if (e instanceof Error && e.name === 'CheckpointError') return `Cannot import this checkpoint: ${msg}`;
  if (e instanceof Error && e.name === 'ModelConfigError') return `The model package is not valid: ${msg}`;
  if (/no execution backend|WebGPU is not available/i.test(msg)) return `${msg.split('\n')[0]} — choose "In-panel (wasm)" in Settings.`;
  if (/failed to fetch|networkerror|ECONNREFUSED|unreachable/i.test(msg)) return `Cannot reach the remote endpoint (${msg}). Check the URL in Settings, or switch to the in-panel backend.`;
  if (/\b401\b|\b403\b|unauthori[sz]ed|forbidden/i.test(msg)) return 'The remote endpoint refused the token. Enter the right token in Settings.';
  return `${doing} failed: ${msg}`;
}
