import { BackendError } from '../core/errors';
import type { BackendName, BackendProvider, Runtime } from './runtime';

/**
 * Tries the providers by descending priority (optionally only those named) and returns the first runtime that
 * starts, along with the errors of those that did not, so a fallback never hides why the preferred one failed.
 */
export async function resolveRuntime(
  providers: readonly BackendProvider[],
  wanted?: readonly BackendName[],
): Promise<{ runtime: Runtime; skipped: { backend: BackendName; error: string }[] }> {
  const order = [...providers]
    .filter((p) => !wanted || wanted.includes(p.backend))
    .sort((a, b) => (wanted ? wanted.indexOf(a.backend) - wanted.indexOf(b.backend) : 0) || b.priority - a.priority);
  const skipped: { backend: BackendName; error: string }[] = [];
  if (order.length === 0) throw noBackend([{ backend: wanted?.[0] ?? 'cpu', error: 'not available in this host' }]);
  for (const p of order) {
    try {
      return { runtime: await p.create(), skipped };
    } catch (e) {
      skipped.push({ backend: p.backend, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw noBackend(skipped);
}

function noBackend(failures: readonly { backend: BackendName; error: string }[]): BackendError {
  const lines = failures.map((f) => `  - ${f.backend}: ${f.error}`).join('\n');
  return new BackendError(
    `no execution backend could start:\n${lines}\nTry another backend, or check that onnxruntime is installed for this platform.`,
    failures,
  );
}
