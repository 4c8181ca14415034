import { checkBackendChoice } from '../../engine/backends';
import type { Engine } from '../../engine/engine';
import { localEngine } from '../../engine/localEngine';
import { remoteEngine } from '../../engine/remoteEngine';
import { NODE_RUNTIMES, startNodeRuntime } from '../node/backends';
import { loadModelDir } from '../node/loadModelDir';

/**
 * The engine a command asks for: a model folder on this machine's runtime (`--backend cpu|cuda|wasm|wasm2`), or
 * a model an endpoint serves (`--backend remote`, `--model` = its id). Fallback notes go to `note`.
 */
export async function openCliEngine(o: {
  backend: string;
  model: string;
  endpoints?: string[];
  token?: string;
  retryForMs?: number;
  note(text: string): void;
}): Promise<Engine> {
  if (checkBackendChoice(o.backend, NODE_RUNTIMES) === 'remote')
    return remoteEngine({ endpoints: o.endpoints ?? [], token: o.token, modelId: o.model, retryForMs: o.retryForMs });
  const pkg = loadModelDir(o.model);
  const { runtime, notes } = await startNodeRuntime(o.backend);
  for (const n of notes) o.note(`note: ${n}`);
  return localEngine(pkg, runtime, { notes });
}
