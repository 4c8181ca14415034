import { PointsController } from '../../plugin/ui/pointsController';
import { FakeControllerHost } from './fakeHost';

const make = () => new PointsController(new FakeControllerHost(), () => 64);

describe('placing points', () => {
  test('first click is a handle, the second its target; Esc drops a half-placed pair', () => {
    const p = make();
    p.press({ x: 10.4, y: 20.6 }, 2);
    expect(p.pending).toEqual({ x: 10, y: 21 });
    expect(p.pairs).toHaveLength(0);
    p.press({ x: 30, y: 20 }, 2);
    expect(p.pairs).toEqual([{ handle: { x: 10, y: 21 }, target: { x: 30, y: 20 } }]);
    expect(p.pending).toBeNull();
    p.press({ x: 50, y: 50 }, 2);
    expect(p.key('Escape')).toBe(true);
    expect(p.pending).toBeNull();
    expect(p.pairs).toHaveLength(1);
  });

  test('pressing on a marker drags it instead of placing a point; points stay inside the image', () => {
    const p = make();
    p.press({ x: 10, y: 10 }, 2);
    p.press({ x: 30, y: 10 }, 2);
    p.press({ x: 30.5, y: 11 }, 2);
    expect(p.isDragging).toBe(true);
    p.move({ x: 100, y: -5 });
    p.release();
    expect(p.pairs[0].target).toEqual({ x: 63, y: 0 });
    expect(p.pending).toBeNull();
  });

  test('Delete removes the selected pair; clicks do nothing while a drag runs', () => {
    const p = make();
    p.press({ x: 10, y: 10 }, 2);
    p.press({ x: 30, y: 10 }, 2);
    expect(p.selected).toBe(0);
    expect(p.key('Delete')).toBe(true);
    expect(p.pairs).toHaveLength(0);
    p.locked = true;
    p.press({ x: 5, y: 5 }, 2);
    expect(p.pending).toBeNull();
  });

  test('after a drag the handles continue from their tracked positions', () => {
    const p = make();
    p.set([{ handle: { x: 1, y: 1 }, target: { x: 9, y: 1 } }]);
    p.showTracked([{ x: 4.2, y: 1 }]);
    p.advanceHandles([{ x: 4.2, y: 1 }]);
    expect(p.pairs[0]).toEqual({ handle: { x: 4, y: 1 }, target: { x: 9, y: 1 } });
    expect(p.tracked).toBeNull();
  });
});
