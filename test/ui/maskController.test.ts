import { MaskController } from '../../plugin/ui/maskController';
import { FakeControllerHost } from './fakeHost';

describe('mask brush', () => {
  test('a stroke paints a continuous band; erase removes; no paint means no mask', () => {
    const m = new MaskController(new FakeControllerHost(), 32);
    expect(m.forSession()).toBeNull();
    m.brush = 4;
    m.begin({ x: 4, y: 16 });
    m.continue({ x: 28, y: 16 });
    m.end();
    for (let x = 4; x <= 28; x++) expect(m.data[16 * 32 + x]).toBe(1);
    expect(m.data[2 * 32 + 16]).toBe(0);
    m.erase = true;
    m.begin({ x: 16, y: 16 });
    m.end();
    expect(m.data[16 * 32 + 16]).toBe(0);
    expect(m.forSession()?.width).toBe(32);
    expect(m.overlayUrl()).toMatch(/^data:image\/png;base64,/);
    m.clear();
    expect(m.isEmpty).toBe(true);
  });

  test("a portrait model's mask is its width x height: a stroke in the lower half lands there, clipped at the width", () => {
    const m = new MaskController(new FakeControllerHost(), 32);
    m.resize(16, 32);
    m.brush = 4;
    m.begin({ x: 2, y: 28 });
    m.continue({ x: 30, y: 28 });
    m.end();
    const mask = m.forSession()!;
    expect([mask.width, mask.height, mask.data.length]).toEqual([16, 32, 16 * 32]);
    for (let x = 2; x < 16; x++) expect(mask.data[28 * 16 + x]).toBe(1);
    expect(mask.data[14 * 16 + 8]).toBe(0);
  });
});
