import { fieldNumber, MAX_SEED, seedFromField } from '../../plugin/ui/fieldValues';

test('an empty or unreadable number field is not a number (so the settings check names it), never 0', () => {
  expect(fieldNumber('')).toBeNaN();
  expect(fieldNumber('  ')).toBeNaN();
  expect(fieldNumber('', true)).toBeNaN();
  expect(fieldNumber('0.002')).toBe(0.002);
  expect(fieldNumber('0')).toBe(0);
});

test('an empty seed field draws a random seed from the whole uint32 range; typed seeds are kept', () => {
  expect(seedFromField('', false, () => 0)).toBe(0);
  expect(seedFromField('', false, () => 0.5)).toBe(2 ** 31);
  expect(seedFromField('', false, () => 0.9999999999999999)).toBe(MAX_SEED);
  const drawn = new Set(Array.from({ length: 20 }, () => seedFromField('')));
  expect(drawn.size).toBeGreaterThan(15);
  for (const s of drawn) expect(Number.isInteger(s) && s >= 0 && s <= MAX_SEED).toBe(true);
  expect(seedFromField('42')).toBe(42);
  // text the number field could not read is refused by the settings check, not taken as "random"
  expect(seedFromField('', true)).toBeNaN();
});
