/** The first image on an engine (graphs and sessions built: seconds on a CPU) shows its stages and the seconds passing. */
import { EditController } from '../../plugin/ui/editController';
import { FakeControllerHost, FakePort, fakeEngine } from './fakeHost';

test('the first Generate shows stages 1-3 with a seconds count; the next one shows none', async () => {
  const engine = fakeEngine(1);
  const generate = engine.generate.bind(engine);
  // the first call builds the graphs: slow enough for the seconds to count
  let calls = 0;
  engine.generate = async (seed: number, psi: number) => {
    if (calls++ === 0) await new Promise((r) => setTimeout(r, 2200));
    return generate(seed, psi);
  };
  const seen: string[] = [];
  const host = new FakeControllerHost();
  const edit = new EditController(host, new FakePort(engine));
  host.requestUpdate = () => {
    if (edit.progress) seen.push(`${edit.progress.step}/${edit.progress.max} ${edit.progress.label}`);
  };
  await edit.init();
  await edit.generate();
  expect(edit.error).toBeNull();
  expect(seen).toContain('0/3 First image: starting the engine (1 of 3)… 0 s');
  expect(seen).toContain('1/3 First image: preparing the model (once per engine) (2 of 3)… 0 s');
  expect(seen).toContain('1/3 First image: preparing the model (once per engine) (2 of 3)… 2 s');
  expect(seen.some((l) => l.startsWith('2/3 First image: drawing it (3 of 3)'))).toBe(true);
  expect(edit.progress).toBeNull();
  seen.length = 0;
  await edit.generate();
  expect(seen).toEqual([]);
});
