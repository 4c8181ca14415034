import { DragSession } from '../../drag/dragSession';
import { zFromSeed } from '../../stylegan2/latentSeed';
import { hyperParametersOfInfo } from '../../remote/modelInfo';
import type { ServedModel } from './servedModel';

/**
 * Builds every graph a request will use (mapping, synthesis, the drag step's forward and backward halves, the
 * reference features) before the replica reports ready, so no user waits for a compile.
 */
export async function warmUp(m: ServedModel): Promise<void> {
  const gen = m.generator;
  const ws = await gen.mapping(zFromSeed(0, m.info.zDim), m.info.defaults.psi);
  await gen.synthesize(ws);
  const s = new DragSession(gen, ws, hyperParametersOfInfo(m.info, { maxSteps: 1, stopDistance: 0 }));
  const c = Math.floor(m.info.resolution / 2);
  s.setPoints([{ handle: { x: c, y: c }, target: { x: c + 1, y: c } }]);
  await s.run({ steps: 1 });
  await gen.features(s.latent(), m.info.defaults.featureIdx);
}
