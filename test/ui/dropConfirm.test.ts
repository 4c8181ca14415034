/** Work is not dropped unasked: a new image (opened or generated), another model or an endpoint engine first ask, and "keep" keeps it. */
import { EditController } from '../../plugin/ui/editController';
import { FakeControllerHost, FakePort, fakeEngine } from './fakeHost';

async function dragged() {
  const port = new FakePort(fakeEngine(1));
  const edit = new EditController(new FakeControllerHost(), port);
  await edit.init();
  await edit.updateSettings({ seed: 3 });
  await edit.generate();
  edit.points.set([{ handle: { x: 2, y: 8 }, target: { x: 6, y: 8 } }]);
  await edit.run();
  expect(edit.history).toHaveLength(1);
  return { edit, port };
}

/** Lets the controller reach its question. */
const settle = () => new Promise((r) => setTimeout(r, 0));

test('opening another image after a drag asks; "keep my edit" keeps image, history and Undo; "open it" opens', async () => {
  const { edit } = await dragged();
  const kept = edit.current;
  const opening = edit.useHostSource();
  await settle();
  expect(edit.confirmation?.message).toBe(
    'Opening photo.png (16 x 16) starts afresh: the edited image and its 1 earlier result will be gone, and Undo cannot bring them back. Use Apply first to keep the edit.',
  );
  edit.answer(false);
  await opening;
  expect(edit.current).toBe(kept);
  expect(edit.history).toHaveLength(1);
  expect(edit.confirmation).toBeNull();

  const again = edit.useHostSource();
  await settle();
  edit.answer(true);
  await again;
  expect(edit.current?.label).toBe('photo.png (16 x 16)');
  expect(edit.history).toHaveLength(0);
});

test('Generate after a drag asks before the edit is replaced; kept, nothing changes; yes, a new image', async () => {
  const { edit } = await dragged();
  const kept = edit.current;
  const generating = edit.generate();
  await settle();
  expect(edit.confirmation).toEqual({
    message:
      'A new image starts afresh: the edited image and its 1 earlier result will be gone, and Undo cannot bring them back. Use Apply first to keep the edit.',
    yes: 'Generate',
  });
  edit.answer(false);
  await generating;
  expect(edit.current).toBe(kept);
  expect(edit.history).toHaveLength(1);

  const again = edit.generate();
  await settle();
  edit.answer(true);
  await again;
  expect(edit.current).not.toBe(kept);
  expect(edit.history).toHaveLength(0);
});

test('choosing an endpoint engine after a drag asks; kept, the engine setting stays as it was', async () => {
  const { edit, port } = await dragged();
  const kept = edit.current;
  const switching = edit.updateSettings({ backend: 'remote', remoteUrl: 'http://gpu.example:8765' });
  await settle();
  expect(edit.confirmation?.yes).toBe('Switch engine');
  edit.answer(false);
  await switching;
  expect(edit.settings.backend).toBe('wasm');
  expect(port.stored.backend ?? 'wasm').toBe('wasm');
  expect(edit.current).toBe(kept);
  // a setting that keeps the edit asks nothing
  await edit.updateSettings({ lr: 0.004 });
  expect(edit.confirmation).toBeNull();
});

test('nothing to lose: no question (a generated image not dragged yet; an edit just applied)', async () => {
  const { edit: applied } = await dragged();
  await applied.apply();
  await applied.useHostSource();
  expect(applied.confirmation).toBeNull();
  expect(applied.current?.label).toBe('photo.png (16 x 16)');

  const edit = new EditController(new FakeControllerHost(), new FakePort(fakeEngine(1)));
  await edit.init();
  await edit.generate();
  await edit.useHostSource();
  expect(edit.confirmation).toBeNull();
  expect(edit.current?.label).toBe('photo.png (16 x 16)');
});
