/**
 * A server's EngineReport read from its untrusted /readyz answer, and said in a few words for a settings line
 * ("CPU, 8 threads", "CUDA"). Servers older than the field answer without it: then there is nothing to say.
 */
import type { EngineReport } from './protocol';

const DEVICE = /^[a-z0-9-]{1,16}$/;

export function readEngineReport(body: unknown): EngineReport | undefined {
  const e = (body as { engine?: unknown } | null)?.engine;
  if (typeof e !== 'object' || e === null) return undefined;
  const { device, threads, description } = e as Record<string, unknown>;
  if (typeof device !== 'string' || !DEVICE.test(device)) return undefined;
  const report: EngineReport = {
    device,
    description: typeof description === 'string' ? description.slice(0, 200) : '',
  };
  if (typeof threads === 'number' && Number.isSafeInteger(threads) && threads > 0 && threads <= 4096)
    report.threads = threads;
  return report;
}

export function engineSummary(e: EngineReport): string {
  const device = e.device.toUpperCase();
  return e.threads === undefined ? device : `${device}, ${e.threads} thread${e.threads === 1 ? '' : 's'}`;
}
