import { EditController } from '../../plugin/ui/editController';
import { FakeControllerHost, FakePort, fakeEngine } from './fakeHost';

async function ready(stepDelay = 1) {
  const backend = fakeEngine(stepDelay);
  const port = new FakePort(backend);
  const host = new FakeControllerHost();
  const edit = new EditController(host, port);
  await edit.init();
  return { edit, port, backend, host };
}

describe('the edit flow', () => {
  test('generate, place points, run to convergence; handles advance; undo and reset go back', async () => {
    const { edit, backend } = await ready();
    expect(edit.resolution).toBe(16);
    edit.updateSettings({ seed: 3 });
    await edit.generate();
    expect(edit.error).toBeNull();
    expect(edit.current?.image.data[0]).toBe(3);
    edit.points.press({ x: 2, y: 8 }, 1);
    edit.points.press({ x: 8, y: 8 }, 1);
    await edit.run();
    expect(edit.error).toBeNull();
    expect(edit.lastStop).toBe('converged');
    expect(edit.status).toMatch(/every handle reached its target/);
    expect(edit.points.pairs[0].handle.x).toBeGreaterThanOrEqual(7);
    expect(edit.history).toHaveLength(1);
    expect(edit.frames.length).toBeGreaterThan(0);
    expect(backend.sessions[0].hp.maxSteps).toBe(edit.settings.maxSteps);
    const dragged = edit.current;
    // the strip: clicking the earlier result shows it, and the dragged one joins the strip
    edit.restore(0);
    expect(edit.current?.image.data[0]).toBe(3);
    expect(edit.history.at(-1)).toBe(dragged);
    edit.restore(edit.history.length - 1);
    expect(edit.current).toBe(dragged);
    edit.undo();
    expect(edit.current?.image.data[0]).toBe(3);
    expect(edit.points.pairs[0].handle).toEqual({ x: 2, y: 8 });
    edit.reset();
    expect(edit.current).toBe(edit.origin);
  });

  test('Stop ends a run early and keeps the partial result', async () => {
    const { edit } = await ready(20);
    await edit.generate();
    edit.points.set([{ handle: { x: 0, y: 0 }, target: { x: 15, y: 15 } }]);
    const run = edit.run();
    await new Promise((r) => setTimeout(r, 120));
    expect(edit.running).toBe(true);
    expect(edit.points.locked).toBe(true);
    edit.stop();
    await run;
    expect(edit.lastStop).toBe('cancelled');
    expect(edit.status).toMatch(/Stopped after \d+ steps/);
    expect(edit.running).toBe(false);
    expect(edit.history).toHaveLength(1);
  });

  test('problems are said in place with what to do', async () => {
    const { edit } = await ready();
    await edit.run();
    expect(edit.error).toMatch(/Generate an image/);
    await edit.generate();
    await edit.run();
    expect(edit.error).toMatch(/click the image once for a handle/);
    edit.updateSettings({ backend: 'remote', remoteUrl: '' });
    await edit.generate();
    expect(edit.error).toMatch(/enter the endpoint URL/);
    edit.updateSettings({ backend: 'wasm', lr: -1 });
    await edit.generate();
    expect(edit.error).toMatch(/learning rate must be/i);
  });

  test('the mask goes to the session; host points are imported; apply hands the result to the host', async () => {
    const { edit, port, backend } = await ready();
    await edit.generate();
    await edit.importHostPoints();
    expect(edit.points.pairs).toEqual([{ handle: { x: 2, y: 2 }, target: { x: 5, y: 2 } }]);
    edit.mask.begin({ x: 4, y: 4 });
    edit.mask.end();
    await edit.run();
    expect(backend.sessions[0].mask).not.toBeNull();
    await edit.apply();
    expect(port.applied).toHaveLength(1);
    expect(port.applied[0].pairs).toHaveLength(1);
  });

  test('settings persist through the host and survive reloading', async () => {
    const { edit, port } = await ready();
    edit.updateSettings({ lr: 0.005, mode: 'w' });
    expect(port.stored.lr).toBe(0.005);
    const again = new EditController(new FakeControllerHost(), port);
    await again.init();
    expect(again.settings.lr).toBe(0.005);
    expect(again.settings.mode).toBe('w');
  });
});
