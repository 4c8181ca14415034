/**
 * A drag reference a recipe made with the official DragGAN renderer (models/recipes: make_stylegan3_reference.py,
 * make_human_reference.py): its checkpoint's generator, sessions on the reference's latents with the recipe's
 * settings, the first step checked against PyTorch autograd, our tracked handle, and how far it strays from the
 * official one. Call inside a describe (or at the top of a
 * test file): it registers the generator's set-up and release.
 */
import { DragSession } from '../../plugin/drag/dragSession';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { reference, relError, row, type StyleGan3ReferenceMeta } from '../helpers/fixtures';
import { officialPairs, officialSettings } from '../helpers/officialDragSetup';
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

  const pairs = officialPairs(meta);
  /** A session on the first latent of the reference's `wsKey`, with the recipe's settings and points. */
  function session(wsKey: string, lr: number): DragSession {
    const hp = officialSettings({ lr, r1: meta.r1, r2: meta.r2, featureIdx: meta.feature_idx });
    const ws = row(ref.tensor(wsKey), 0, [1, numWs, wDim]).data;
    const s = new DragSession(gen, { shape: [1, numWs, wDim], data: ws }, hp);
    s.setPoints(pairs);
    return s;
  }
  return {
    meta,
    session,
    /** Expects the first step's motion-supervision loss and its gradient to match PyTorch autograd's. */
    async expectFirstStepMatches(): Promise<void> {
      const e = await session('drag_ws', meta.lr).evaluate();
      expect(e!.loss).toBeCloseTo(meta.drag.loss[0], 5);
      expect(relError(e!.grad!, ref.tensor('grad_ws').data.slice(0, 6 * wDim))).toBeLessThan(1e-3);
    },
    /** Our 10 steps of the reference's `key` run: the handle ([y, x]) and the path each step took. */
    async track(key: 'drag' | 'drag_fast'): Promise<{ tracked: [number, number][]; paths: Set<string | undefined> }> {
      const tracked: [number, number][] = [];
      const paths = new Set<string | undefined>();
      await session(`${key}_ws`, meta[key].lr ?? meta.lr).run({
        onStep: (r) => {
          paths.add(r.path);
          tracked.push([r.points[0].y, r.points[0].x]);
        },
      });
      return { tracked, paths };
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
