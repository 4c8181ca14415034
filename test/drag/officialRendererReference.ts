/**
 * A drag reference a recipe made with the official DragGAN renderer (models/recipes: make_stylegan3_reference.py,
 * make_human_reference.py): its checkpoint's generator, sessions on the reference's latents with the recipe's
 * settings, and how far our tracked handle strays from the official one. Call inside a describe (or at the top of a
 * test file): it registers the generator's set-up and release.
 */
import { DragSession } from '../../plugin/drag/dragSession';
import type { HandleTarget } from '../../plugin/core/types';
import type { DragHyperParameters } from '../../plugin/core/dragSettings';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { reference, row, type StyleGan3ReferenceMeta } from '../helpers/fixtures';
import { fixture } from '../model/fixtures';

type Trajectory = StyleGan3ReferenceMeta['drag'];

export function officialRendererReference(name: string, numWs: number) {
  const ref = reference<StyleGan3ReferenceMeta>(name);
  const meta = ref.meta;
  const pkg = importCheckpoint(fixture('checkpoints', `${name}.pkl`));
  const wDim = pkg.config.w_dim;
  let gen: Generator;
  beforeAll(async () => {
    gen = new Generator(pkg, await ortNodeCpu.create());
  });
  afterAll(() => gen.release());

  const pairs: HandleTarget[] = meta.handles.map(([hy, hx], i) => ({
    handle: { x: hx, y: hy },
    target: { x: meta.targets[i][1], y: meta.targets[i][0] },
  }));
  return {
    ref,
    meta,
    wDim,
    /** A session on the first latent of the reference's `wsKey`, with the recipe's settings and points. */
    session(wsKey: string, lr: number): DragSession {
      const hp: DragHyperParameters = {
        lr,
        r1: meta.r1,
        r2: meta.r2,
        lambda: 20,
        featureIdx: meta.feature_idx,
        optimisedRows: 6,
        mode: 'w+',
        maxSteps: 10,
        stopDistance: 0,
      };
      const ws = row(ref.tensors.get(wsKey)!, 0, [1, numWs, wDim]).data;
      const s = new DragSession(gen, { shape: [1, numWs, wDim], data: ws }, hp);
      s.setPoints(pairs);
      return s;
    },
  };
}

/** The largest distance, in px along either axis, of our tracked handle ([y, x] per step) from the official one. */
export function offTrajectory(tracked: readonly [number, number][], want: Trajectory): number {
  return Math.max(
    ...tracked.map(([y, x], k) =>
      Math.max(Math.abs(y - want.tracked_points[k][0][0]), Math.abs(x - want.tracked_points[k][0][1])),
    ),
  );
}

/** How far the official handle travels from its start (the largest |dy| + |dx| over the steps). */
export function officialTravel(want: Trajectory): number {
  const [y0, x0] = want.tracked_points[0][0];
  return Math.max(...want.tracked_points.map(([[y, x]]) => Math.abs(y - y0) + Math.abs(x - x0)));
}
