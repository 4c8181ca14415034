import type { DragHyperParameters } from '../../plugin/core/dragSettings';
import type { HandleTarget } from '../../plugin/core/types';
import type { HostTensor } from '../../plugin/graph/tensor';
import { startDragServer, type DragServer, type DragServerOptions } from '../../plugin/hosts/server/dragServer';
import type { LogEntry } from '../../plugin/hosts/server/logger';
import { servedModel } from '../../plugin/hosts/server/servedModel';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import { fixturePackage, reference, row } from '../helpers/fixtures';

export const pkg = fixturePackage('tiny128');
export const w0: HostTensor = row(reference('tiny128').tensors.get('drag_fast_ws')!, 0, [1, 12, 64]);
export const hp: DragHyperParameters = {
  lr: 0.1,
  r1: 3,
  r2: 12,
  lambda: 20,
  featureIdx: 5,
  optimisedRows: 6,
  mode: 'w+',
  maxSteps: 8,
  stopDistance: 0,
};
export const pairs: HandleTarget[] = [
  { handle: { x: 50, y: 40 }, target: { x: 64, y: 52 } },
  { handle: { x: 80, y: 90 }, target: { x: 96, y: 78 } },
];
/** Flexible region: the left 100 columns. */
export const mask = {
  width: 128,
  height: 128,
  data: new Float32Array(128 * 128).map((_, i) => (i % 128 < 100 ? 1 : 0)),
};

let runtime: Promise<Runtime> | undefined;

export interface TestServer extends DragServer {
  logs: LogEntry[];
  release(): Promise<void>;
}

/** An in-process server on a free loopback port with its own generator for tiny128 (a replica of its own). */
export async function startTestServer(o: Partial<DragServerOptions> = {}): Promise<TestServer> {
  const rt = await (runtime ??= ortNodeCpu.create());
  const model = servedModel('tiny128', pkg, rt);
  const logs: LogEntry[] = [];
  const s = await startDragServer({
    models: [model],
    host: '127.0.0.1',
    port: 0,
    log: (e) => logs.push(e),
    drainMs: 2000,
    ...o,
  });
  await s.ready;
  return Object.assign(s, { logs, release: () => model.engine.release() });
}

/** Ends a server the hard way: every connection dropped at once, as when a replica's process dies. */
export async function crash(s: TestServer): Promise<void> {
  s.server.closeAllConnections();
  await new Promise<void>((r) => s.server.close(() => r()));
}
