import type { HostTensor } from '../../plugin/graph/tensor';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';
import type { FeatureBox } from '../../plugin/stylegan2/featureWindows';
import { Generator } from '../../plugin/stylegan2/generator';
import { fixturePackage, reference, relError } from '../helpers/fixtures';
import { randn } from '../helpers/random';

/**
 * Building ahead (Generator.prepareFeatureStep, what Engine.prepareDrag runs while the user places points): the step
 * that follows builds no session of its own and computes exactly what an unprepared one does.
 */
const pkg = fixturePackage('tiny128');
const ws = reference('tiny128').tensors.get('ws')!;
const [n, wd, k] = [12, 64, 6];
const wsOpt: HostTensor = { shape: [1, k, wd], data: ws.data.slice(0, k * wd) };
const wsRest: HostTensor = { shape: [1, n - k, wd], data: ws.data.slice(k * wd) };
const box = (i: number, at: number): FeatureBox => ({ y0: at + 5 * i, y1: at + 5 * i + 6, x0: 8, x1: 14 });

async function countingRuntime(): Promise<{ rt: Runtime; built: string[] }> {
  const rt = await ortNodeCpu.create();
  const built: string[] = [];
  return {
    built,
    rt: {
      ...rt,
      createSession: async (model, options) => (built.push(String(options?.label)), rt.createSession(model, options)),
    },
  };
}

test.each([
  ['window', 'on' as const, 2],
  ['whole map', 'off' as const, 1],
])(
  'on the %s path, a prepared step builds nothing and gives the unprepared features and gradient',
  async (_path, policy, count) => {
    const { rt, built } = await countingRuntime();
    const prepared = new Generator(pkg, rt);
    const plain = new Generator(pkg, await ortNodeCpu.create());
    prepared.windowPolicy = plain.windowPolicy = policy;
    try {
      // prepared for boxes elsewhere: only their number and size matter
      await prepared.prepareFeatureStep(k, 3, { size: 6, boxes: Array.from({ length: count }, (_, i) => box(i, 30)) });
      const afterPrepare = built.length;
      expect(afterPrepare).toBe(2);
      const request = { size: 6, boxes: Array.from({ length: count }, (_, i) => box(i, 0)) };
      const a = await prepared.featureStep(wsOpt, wsRest, 3, request);
      const b = await plain.featureStep(wsOpt, wsRest, 3, request);
      const cot: HostTensor = { shape: a.feat.shape, data: randn(a.feat.data.length, 7) };
      const [ga, gb] = [await a.gradient(cot), await b.gradient(cot)];
      a.dispose();
      b.dispose();
      expect(built.length).toBe(afterPrepare);
      expect(a.path).toBe(policy === 'on' ? 'window' : 'whole');
      expect(relError(a.feat.data, b.feat.data)).toBe(0);
      expect(relError(ga.data, gb.data)).toBe(0);
    } finally {
      await prepared.release();
      await plain.release();
    }
  },
);
