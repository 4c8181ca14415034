/**
 * `draggan serve` on this computer, as `npm run serve` starts it (package.json): found by asking its /readyz. UXP's
 * fetch takes no AbortSignal (global-members/data-transfers/fetch.md), so a server that does not answer is given up
 * on by a timer, not by aborting the request.
 */
import { engineSummary, readEngineReport } from '../../remote/engineReport';
import { ROUTES } from '../../remote/protocol';
import type { LocalServer } from '../../ui/hostPort';

export const LOCAL_SERVER_URL = 'http://127.0.0.1:8765';
/** A server on this computer answers /readyz in milliseconds; this only bounds a port that swallows connections. */
const PROBE_MS = 1500;

/** The server, with its device and threads when it reports them (servers before that field still answer ready). */
export async function findLocalServer(url = LOCAL_SERVER_URL): Promise<LocalServer | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PROBE_MS)));
  const probe = (async () => {
    try {
      const res = await fetch(`${url}${ROUTES.readyz}`, { method: 'GET' });
      const body = (await res.json()) as { status?: unknown };
      if (!res.ok || body.status !== 'ready') return null;
      const engine = readEngineReport(body);
      return engine ? { url, engine: engineSummary(engine) } : { url };
    } catch {
      return null;
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
