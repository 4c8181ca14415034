import { createProgress } from '../../plugin/hosts/node/progress';

function sink(isTTY: boolean) {
  let text = '';
  return { stream: { write: (s: string) => (text += s), isTTY, columns: 60 }, text: () => text };
}

describe('progress', () => {
  test('not a terminal: plain lines, only on a new note or another tenth', () => {
    const s = sink(false);
    const p = createProgress(s.stream, 'drag', 100);
    for (let i = 0; i <= 100; i++) p.update(i, i < 50 ? 'optimising' : 'tracking');
    p.finish();
    const lines = s.text().trim().split('\n');
    expect(s.text()).not.toMatch(/[\r\x1b]/);
    expect(lines.length).toBe(12); // 0, 10, ..., 100 (the note change at 50 falls on a tenth), then "done"
    expect(lines[0]).toBe('drag: 0/100 optimising');
    expect(lines.at(-1)).toBe('drag: done');
  });

  test('a terminal: one redrawn line, throttled, within the width', () => {
    const s = sink(true);
    let t = 0;
    const p = createProgress(s.stream, 'drag', 10, () => t);
    p.update(0, 'x');
    p.update(1, 'x'); // too soon: not drawn
    t += 200;
    p.update(5, 'x');
    p.finish('done');
    const draws = s.text().split('\r').filter(Boolean);
    expect(draws.length).toBe(3);
    expect(draws[1]).toMatch(/^drag \[#+-+\]  50% 5\/10 x\x1b\[K$/);
    for (const d of draws) expect(d.replace('\x1b[K', '').replace('\n', '').length).toBeLessThan(60);
    expect(s.text().endsWith('\n')).toBe(true);
  });
});
