import { ortNodeCpu, ortNodeCuda } from '../../runtime/ortNode';
import { ortWebProvider } from '../../runtime/ortWeb';
import { NoBackendError, resolveRuntime } from '../../runtime/resolve';
import type { BackendName, BackendProvider, Runtime } from '../../runtime/runtime';
import { UserError } from './userError';

/** The backends a Node host offers, as `--backend` spells them. */
export const NODE_BACKENDS = ['cpu', 'cuda', 'wasm', 'wasm2'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/** The backend a `--backend` value names, or a UserError listing the choices. */
export function checkBackend(name: string): NodeBackend {
  const known: readonly string[] = NODE_BACKENDS;
  if (!known.includes(name)) throw new UserError(`unknown backend '${name}' (choose one of: ${NODE_BACKENDS.join(', ')})`);
  return name as NodeBackend;
}

/** Which providers to try, in order: `cuda` falls back to the CPU (with a note) rather than failing. */
function plan(backend: NodeBackend): { providers: BackendProvider[]; wanted: BackendName[] } {
  switch (backend) {
    case 'cpu':
      return { providers: [ortNodeCpu], wanted: ['cpu'] };
    case 'cuda':
      return { providers: [ortNodeCuda, ortNodeCpu], wanted: ['cuda', 'cpu'] };
    case 'wasm':
      // one thread: the same configuration as the UXP panel, so results here predict results there
      return { providers: [ortWebProvider('wasm', 10, { threads: 1 })], wanted: ['wasm'] };
    case 'wasm2':
      // two threads: what a cross-origin-isolated web page can have
      return { providers: [ortWebProvider('wasm', 10, { threads: 2 })], wanted: ['wasm'] };
  }
}

/** Starts the runtime for a `--backend` value; `skipped` lists the backends that were tried first and failed. */
export async function startNodeRuntime(backend: string): Promise<{ runtime: Runtime; skipped: { backend: BackendName; error: string }[] }> {
  const { providers, wanted } = plan(checkBackend(backend));
  try {
    return await resolveRuntime(providers, wanted);
  } catch (e) {
    if (e instanceof NoBackendError) throw new UserError(e.message);
    throw e;
  }
}
