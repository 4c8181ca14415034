/** An empty seed field: a new seed at each Generate, each said where the user can read it back. */
import { EditController } from '../../plugin/ui/editController';
import { FakeControllerHost, FakePort, fakeEngine } from './fakeHost';

test('an empty seed draws a new seed at each Generate, named in the status line and the history; a typed seed is kept', async () => {
  const edit = new EditController(new FakeControllerHost(), new FakePort(fakeEngine(1)));
  await edit.init();
  await edit.setSeed(null);
  const seeds: string[] = [];
  for (let i = 0; i < 3; i++) {
    await edit.generate();
    expect(edit.error).toBeNull();
    const seed = /^Seed (\d+), computed on/.exec(edit.status)?.[1];
    expect(seed).toBeDefined();
    expect(edit.current?.label).toMatch(new RegExp(`^seed ${seed},`));
    seeds.push(seed!);
  }
  expect(new Set(seeds).size).toBe(3);
  // the stored seed is untouched by the draws: typing one back makes that image again
  await edit.setSeed(5);
  await edit.generate();
  await edit.generate();
  expect(edit.status).toMatch(/^Seed 5, computed on/);
  expect(edit.randomSeed).toBe(false);
});
