import { readFully } from '../../plugin/model/byteSource';

const file = Uint8Array.from({ length: 20 }, (_, i) => i);

test('positioned reads that return fewer bytes than asked are repeated until the range is full', async () => {
  const out = new Uint8Array(12);
  const calls: number[] = [];
  await readFully(5, 12, async (at, want, position) => {
    calls.push(position);
    const n = Math.min(want, 5);
    out.set(file.subarray(position, position + n), at);
    return n;
  });
  expect(Array.from(out)).toEqual(Array.from(file.subarray(5, 17)));
  expect(calls).toEqual([5, 10, 15]);
});

test('a file that ends before the range does says where, rather than returning zeros', async () => {
  const short = async (_at: number, want: number, position: number) => Math.max(0, Math.min(want, 8 - position));
  await expect(readFully(4, 10, short)).rejects.toThrow(
    'the file ended at byte 8, before byte 14 (was it changed while read?)',
  );
});
