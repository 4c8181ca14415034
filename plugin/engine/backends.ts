/**
 * The backend table: the single owner of device selection. A backend name maps to the runtimes to try, in order;
 * a host says which runtimes it links (onnxruntime-node in Node, onnxruntime-web everywhere), and every host —
 * the CLI, the server, the pages, the panel — picks, validates and falls back through this one table.
 */
import type { BackendProvider, Runtime } from '../runtime/runtime';
import { resolveRuntime } from '../runtime/resolve';
import { BackendError } from '../core/errors';

export type RuntimeKind = 'ort-node' | 'ort-web';

export interface ProviderSpec {
  kind: RuntimeKind;
  device: 'cpu' | 'cuda' | 'wasm' | 'webgpu';
  /** Threads (wasm); the runtime's default where absent. */
  threads?: number;
}

interface BackendEntry {
  /** One line for --help and Settings. */
  readonly label: string;
  /** Tried in order; the first that starts runs, and each one skipped becomes a note saying why. */
  readonly providers: readonly ProviderSpec[];
}

export const BACKENDS = {
  cpu: { label: 'onnxruntime-node on the CPU, all cores', providers: [{ kind: 'ort-node', device: 'cpu' }] },
  cuda: {
    label: 'onnxruntime-node with CUDA (falls back to the CPU)',
    providers: [
      { kind: 'ort-node', device: 'cuda' },
      { kind: 'ort-node', device: 'cpu' },
    ],
  },
  // one thread: what the Photoshop panel and a page without cross-origin isolation have
  wasm: {
    label: 'onnxruntime-web on wasm, one thread (as in the Photoshop panel)',
    providers: [{ kind: 'ort-web', device: 'wasm', threads: 1 }],
  },
  wasm2: {
    label: 'onnxruntime-web on wasm, two threads (a cross-origin-isolated page)',
    providers: [{ kind: 'ort-web', device: 'wasm', threads: 2 }],
  },
  webgpu: {
    label: 'onnxruntime-web on WebGPU (falls back to wasm)',
    providers: [
      { kind: 'ort-web', device: 'webgpu' },
      { kind: 'ort-web', device: 'wasm', threads: 1 },
    ],
  },
  remote: { label: 'a DragGAN endpoint (draggan serve), local or remote', providers: [] },
} as const satisfies Record<string, BackendEntry>;

export type BackendChoice = keyof typeof BACKENDS;

/** The runtimes a host links: the devices each can drive here, and how to make a provider for one. */
export type ProviderFactories = Partial<
  Record<RuntimeKind, { devices: readonly ProviderSpec['device'][]; provider(spec: ProviderSpec): BackendProvider }>
>;

const linked = (factories: ProviderFactories, s: ProviderSpec) =>
  factories[s.kind]?.devices.includes(s.device) ?? false;

/** The backend names this host can run, in table order ('remote' needs no runtime, so it is always there). */
export function backendsIn(factories: ProviderFactories): BackendChoice[] {
  return (Object.keys(BACKENDS) as BackendChoice[]).filter((name) => {
    const first = BACKENDS[name].providers[0] as ProviderSpec | undefined;
    return !first || linked(factories, first);
  });
}

/** The name as a BackendChoice, or one BackendError listing the valid ones. */
export function checkBackendChoice(name: string, factories: ProviderFactories): BackendChoice {
  const valid = backendsIn(factories);
  if (!(valid as string[]).includes(name))
    throw new BackendError(`unknown backend '${name}' (choose one of: ${valid.join(', ')})`);
  return name as BackendChoice;
}

/**
 * Starts the runtime a backend names, falling back along its list. `notes` says, for each runtime skipped, what
 * failed and what runs instead, so a host can show it rather than silently run something else.
 */
export async function startRuntime(
  name: string,
  factories: ProviderFactories,
): Promise<{ runtime: Runtime; notes: string[] }> {
  const choice = checkBackendChoice(name, factories);
  if (choice === 'remote') throw new BackendError("the 'remote' backend runs on an endpoint: give its URL (and token)");
  const specs: readonly ProviderSpec[] = BACKENDS[choice].providers;
  const providers = specs.flatMap((s) => (linked(factories, s) ? [factories[s.kind]!.provider(s)] : []));
  // the table's order is the preference: priorities only break ties inside one runtime
  const ordered = providers.map((p, i) => ({ ...p, priority: providers.length - i, create: p.create.bind(p) }));
  const { runtime, skipped } = await resolveRuntime(ordered);
  const notes = skipped.map((s) => `${s.backend} could not start (${s.error}); running ${runtime.backend} instead`);
  return { runtime, notes };
}
