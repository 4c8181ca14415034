/** The pure-TypeScript UTF-8 codec UXP needs (it has no TextDecoder/TextEncoder) gives what the globals give. */
import { decodeUtf8Pure, encodeUtf8Pure, InvalidUtf8Error } from '../../plugin/codecs/utf8';
import { rng } from '../helpers/random';

const TEXTS = [
  '',
  'plain ascii',
  'G_ema synthesis.b4.const',
  'Grüße, 日本語, emoji 😀 and 𝄞',
  '\u0000\u007f\u0080\u07ff\u0800\uffff',
  'x'.repeat(20000) + 'é',
];

describe('UTF-8 without the Encoding API', () => {
  test('encodes as TextEncoder does, lone surrogates included', () => {
    for (const s of [...TEXTS, 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d'])
      expect(encodeUtf8Pure(s)).toEqual(new TextEncoder().encode(s));
  });

  test('decodes valid text back', () => {
    for (const s of TEXTS) expect(decodeUtf8Pure(new TextEncoder().encode(s), { fatal: true })).toBe(s);
  });

  test('malformed bytes: replacement characters exactly where TextDecoder puts them, or an error when fatal', () => {
    const rnd = rng(7);
    const cases = [
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98],
      [0xe2, 0x82, 0x41],
      [0xff],
      [0x80, 0x41],
    ];
    for (let i = 0; i < 300; i++)
      cases.push(Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => Math.floor(rnd() * 256)));
    for (const c of cases) {
      const b = new Uint8Array(c);
      expect(decodeUtf8Pure(b)).toBe(new TextDecoder().decode(b));
      let fatalThrows = false;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        fatalThrows = true;
      }
      if (fatalThrows) expect(() => decodeUtf8Pure(b, { fatal: true })).toThrow(InvalidUtf8Error);
    }
  });
});
