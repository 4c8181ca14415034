/** A message about something the user has to change goes away once it is changed, at the next render. */
import { EditController } from '../../plugin/ui/editController';
import { FakeControllerHost, FakePort, fakeEngine } from './fakeHost';

async function ready(stepDelay = 1) {
  const edit = new EditController(new FakeControllerHost(), new FakePort(fakeEngine(stepDelay)));
  await edit.init();
  return edit;
}

test('"place a handle" goes once a pair is placed; "bad field" once the field is fixed; real failures stay', async () => {
  const edit = await ready();
  await edit.generate();
  await edit.run();
  expect(edit.error).toMatch(/^Place at least one handle/);
  edit.hostUpdated();
  expect(edit.error).toMatch(/^Place at least one handle/);
  edit.points.press({ x: 2, y: 8 }, 1);
  edit.hostUpdated();
  // a handle alone is not yet a pair
  expect(edit.error).toMatch(/^Place at least one handle/);
  edit.points.press({ x: 8, y: 8 }, 1);
  edit.hostUpdated();
  expect(edit.error).toBeNull();

  await edit.updateSettings({ psi: NaN });
  await edit.generate();
  expect(edit.error).toMatch(/psi must be a number/);
  await edit.updateSettings({ psi: 0.5 });
  edit.hostUpdated();
  expect(edit.error).toBeNull();

  // a failure of the engine is not a field to fix: it stays until the next action
  const failing = new FakePort(fakeEngine(1));
  failing.engine.generate = () => Promise.reject(new Error('boom'));
  const broken = new EditController(new FakeControllerHost(), failing);
  await broken.init();
  await broken.generate();
  broken.hostUpdated();
  expect(broken.error).toMatch(/internal error.*boom/);
});

test('a file refused while a drag runs is said until the drag ends, then the message goes', async () => {
  const edit = await ready(20);
  await edit.generate();
  edit.points.set([{ handle: { x: 0, y: 0 }, target: { x: 15, y: 15 } }]);
  const run = edit.run();
  await new Promise((r) => setTimeout(r, 60));
  edit.refuseWhileBusy('The dropped file a.png');
  edit.hostUpdated();
  expect(edit.error).toMatch(/was not opened/);
  edit.stop();
  await run;
  edit.hostUpdated();
  expect(edit.error).toBeNull();
});
