import { drawSeed, fieldNumber, MAX_SEED, seedFromField } from '../../plugin/ui/fieldValues';

const field = (value: string, badInput = false) => ({ value, validity: { badInput } });

test('an empty or unreadable number field is not a number (so the settings check names it), never 0', () => {
  expect(fieldNumber(field(''))).toBeNaN();
  expect(fieldNumber(field('  '))).toBeNaN();
  expect(fieldNumber(field('', true))).toBeNaN();
  expect(fieldNumber(field('0.002'))).toBe(0.002);
  expect(fieldNumber(field('0'))).toBe(0);
  // an input without validity state is read by its text alone
  expect(fieldNumber({ value: '3' })).toBe(3);
  expect(fieldNumber({ value: '' })).toBeNaN();
});

test('an empty seed field means a random seed, drawn from the whole uint32 range; typed seeds are kept', () => {
  expect(seedFromField(field(''))).toBeNull();
  expect(seedFromField(field(' '))).toBeNull();
  expect(drawSeed(() => 0)).toBe(0);
  expect(drawSeed(() => 0.5)).toBe(2 ** 31);
  expect(drawSeed(() => 0.9999999999999999)).toBe(MAX_SEED);
  const drawn = new Set(Array.from({ length: 20 }, () => drawSeed()));
  expect(drawn.size).toBeGreaterThan(15);
  for (const s of drawn) expect(Number.isInteger(s) && s >= 0 && s <= MAX_SEED).toBe(true);
  expect(seedFromField(field('42'))).toBe(42);
  // text the number field could not read is refused by the settings check, not taken as "random"
  expect(seedFromField(field('', true))).toBeNaN();
});
