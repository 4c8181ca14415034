import { PointsController } from '../../plugin/ui/pointsController';
import { FakeControllerHost } from './fakeHost';

const make = () => new PointsController(new FakeControllerHost(), () => ({ width: 64, height: 64 }));

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

describe('points by keyboard (the preview focused)', () => {
  const keys = (p: PointsController, ...ks: string[]) => ks.forEach((k) => p.previewKey(k));

  test('the first arrow shows the cursor at the centre; arrows move it 1 px, 10 with Shift, inside the image', () => {
    const p = make();
    expect(p.cursor).toBeNull();
    expect(p.previewKey('ArrowRight')).toBe(true);
    expect(p.cursor).toEqual({ x: 32, y: 32 });
    keys(p, 'ArrowRight', 'ArrowDown', 'ArrowDown');
    expect(p.cursor).toEqual({ x: 33, y: 34 });
    p.previewKey('ArrowLeft', true);
    expect(p.cursor).toEqual({ x: 23, y: 34 });
    for (let i = 0; i < 5; i++) p.previewKey('ArrowUp', true);
    expect(p.cursor).toEqual({ x: 23, y: 0 });
  });

  test('Enter places a handle at the cursor, then its target; Space does the same', () => {
    const p = make();
    keys(p, 'ArrowUp', 'Enter');
    expect(p.pending).toEqual({ x: 32, y: 32 });
    p.previewKey('ArrowRight', true);
    p.previewKey(' ');
    expect(p.pairs).toEqual([{ handle: { x: 32, y: 32 }, target: { x: 42, y: 32 } }]);
    expect(p.selected).toBe(0);
  });

  test('[ and ] step through the markers and select their pair; Enter picks one up, arrows carry it, Enter drops it', () => {
    const p = make();
    p.set([
      { handle: { x: 1, y: 1 }, target: { x: 9, y: 1 } },
      { handle: { x: 20, y: 20 }, target: { x: 30, y: 20 } },
    ]);
    keys(p, ']', ']', ']');
    expect(p.cursor).toEqual({ x: 20, y: 20 });
    expect(p.selected).toBe(1);
    p.previewKey('[');
    expect(p.cursor).toEqual({ x: 9, y: 1 });
    expect(p.selected).toBe(0);
    keys(p, ']', ']');
    expect(p.cursor).toEqual({ x: 30, y: 20 });
    p.previewKey('Enter');
    expect(p.grabbed).toEqual({ pair: 1, role: 'target' });
    keys(p, 'ArrowDown', 'ArrowDown');
    expect(p.pairs[1].target).toEqual({ x: 30, y: 22 });
    // stepping away is refused while a marker is held
    expect(p.previewKey(']')).toBe(false);
    p.previewKey('Enter');
    expect(p.grabbed).toBeNull();
    p.previewKey('ArrowDown');
    expect(p.pairs[1].target).toEqual({ x: 30, y: 22 });
    expect(p.pending).toBeNull();
  });

  test('Esc puts a held marker back where it was; Delete removes the selected pair and lets go', () => {
    const p = make();
    p.set([{ handle: { x: 1, y: 1 }, target: { x: 9, y: 1 } }]);
    keys(p, ']', 'Enter', 'ArrowRight', 'ArrowRight');
    expect(p.pairs[0].handle).toEqual({ x: 3, y: 1 });
    expect(p.previewKey('Escape')).toBe(true);
    expect(p.pairs[0].handle).toEqual({ x: 1, y: 1 });
    expect(p.cursor).toEqual({ x: 1, y: 1 });
    expect(p.grabbed).toBeNull();
    keys(p, 'Enter', 'ArrowRight');
    expect(p.previewKey('Delete')).toBe(true);
    expect(p.pairs).toEqual([]);
    expect(p.grabbed).toBeNull();
    // with the pair gone, arrows move only the cursor and Enter starts a new pair
    keys(p, 'ArrowRight', 'Enter');
    expect(p.pending).toEqual({ x: 3, y: 1 });
    expect(p.previewKey(']')).toBe(false);
  });

  test('while a drag runs the keys move the cursor and change no point', () => {
    const p = make();
    p.set([{ handle: { x: 1, y: 1 }, target: { x: 9, y: 1 } }]);
    p.locked = true;
    keys(p, ']', 'Enter', 'ArrowRight', 'Enter', 'Delete');
    expect(p.pairs).toEqual([{ handle: { x: 1, y: 1 }, target: { x: 9, y: 1 } }]);
    expect(p.cursor).toEqual({ x: 2, y: 1 });
    expect(p.pending).toBeNull();
  });
});
