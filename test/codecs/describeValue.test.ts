import { describeValue } from '../../plugin/codecs/describeValue';

describe('describeValue', () => {
  it('shows small values as JSON-like text', () => {
    expect(describeValue([1, 'a', null, { k: [true] }])).toBe('[1, "a", null, {"k": [true]}]');
    expect(describeValue(new Uint8Array(12))).toBe('bytes(12)');
    expect(describeValue(12n)).toBe('12');
  });

  it('cuts a million-deep nesting without walking it', () => {
    let v: unknown[] = [];
    const root = v;
    for (let i = 0; i < 1_000_000; i++) {
      const next: unknown[] = [];
      v.push(next);
      v = next;
    }
    expect(describeValue(root)).toBe(`${'['.repeat(60)}…`);
  });

  it('cuts a shared-reference bomb (10^30 strings) quickly', () => {
    let v: unknown = 'x'.repeat(1000);
    for (let k = 0; k < 30; k++) v = Array.from({ length: 10 }, () => v);
    const t0 = performance.now();
    const s = describeValue(v, 40);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(s).toMatch(/^\[{30}"x+…$/);
    expect(s.length).toBe(41);
  });

  it('escapes control characters and uses a caller view', () => {
    expect(describeValue('\x9b2J\x1b')).toBe('"\\x9b2J\\u001b"');
    expect(
      describeValue({ kind: 't', items: [1, 2] }, 60, (o) => ({
        open: '(',
        close: ')',
        items: (o as { items: number[] }).items,
      })),
    ).toBe('(1, 2)');
  });
});
