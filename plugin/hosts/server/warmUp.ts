import type { ServedModel } from './servedModel';

/**
 * Builds every graph a request will use (mapping, synthesis, the drag step's forward and backward halves, the
 * reference features a resumed drag recomputes) before the replica reports ready, so no user waits for a compile.
 */
export async function warmUp(m: ServedModel): Promise<void> {
  const engine = m.engine;
  const ws = await engine.generate(0, m.info.defaults.psi);
  await engine.render(ws);
  const s = await engine.openDrag(ws, { maxSteps: 2, stopDistance: 0 });
  const x = Math.floor(m.shape.width / 2);
  const y = Math.floor(m.shape.resolution / 2);
  s.setPoints([{ handle: { x, y }, target: { x: x + 1, y } }]);
  await s.run({ steps: 1 });
  // as a request does: a session resumed from a state recomputes its tracking references from the anchor
  await (await engine.resumeDrag(s.snapshot())).run({ steps: 1 });
}
