/** Images far from the model's size are taken with a note saying what the fit does to them. */
import { EditController } from '../../plugin/ui/editController';
import { sourceSizeNote } from '../../plugin/ui/sourceSizeNote';
import { FakeControllerHost, FakePort, fakeEngine, RES } from './fakeHost';

test("tiny, huge and long images get a note; one near the model's size gets none", () => {
  expect(sourceSizeNote(1, 1, 512)).toBe(
    'Note: it is only 1 x 1 px and the model works at 512 px, so it was scaled up and the result will be soft.',
  );
  expect(sourceSizeNote(6000, 4000, 512)).toBe(
    'Note: it is 6000 x 4000 px and the model works at 512 px, so detail finer than 8 px is not in the edit; only its centred 4000 x 4000 px square is edited.',
  );
  expect(sourceSizeNote(900, 300, 512)).toBe('Note: only its centred 300 x 300 px square is edited.');
  expect(sourceSizeNote(512, 512, 512)).toBeUndefined();
  expect(sourceSizeNote(400, 440, 512)).toBeUndefined();
  expect(sourceSizeNote(1500, 1500, 512)).toBeUndefined();
});

test('the status line after reading an image carries the note', async () => {
  const port = new FakePort(fakeEngine(1));
  const edit = new EditController(new FakeControllerHost(), port);
  await edit.init();
  port.readSource = async () => ({
    image: { width: RES, height: RES, data: new Uint8ClampedArray(RES * RES * 4).fill(90) },
    label: 'dot.png (1 x 1)',
    size: { width: 1, height: 1 },
  });
  await edit.useHostSource();
  expect(edit.error).toBeNull();
  expect(edit.status).toMatch(
    new RegExp(
      `^dot\\.png \\(1 x 1\\): inverted in \\d+ steps, .* PSNR\\. Note: it is only 1 x 1 px and the model works at ${RES} px, so it was scaled up`,
    ),
  );
});

test("a portrait model's note names its centred 1:2 box, and a 1:2 picture gets none", () => {
  expect(sourceSizeNote(200, 256, 128, 64)).toBe('Note: only its centred 128 x 256 px box is edited.');
  expect(sourceSizeNote(200, 400, 128, 64)).toBeUndefined();
  expect(sourceSizeNote(20, 40, 128, 64)).toMatch(/only 20 x 40 px and the model works at 64 x 128 px/);
});
