/** NDJSON lines from a streamed body whose chunks split lines and multi-byte characters anywhere. */
import { ndjsonLines } from '../../plugin/remote/ndjson';

function streamed(chunks: Uint8Array[]): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(ch);
        c.close();
      },
    }),
  );
}

describe('ndjsonLines', () => {
  test('lines split inside a character or a line come out whole, the last one without a newline too', async () => {
    const text = '{"a":"é日😀"}\n\n{"b":2}\n{"c":"ü"}';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines: string[] = [];
      for await (const l of ndjsonLines(streamed([bytes.slice(0, cut), bytes.slice(cut)]))) lines.push(l);
      expect(lines).toEqual(['{"a":"é日😀"}', '{"b":2}', '{"c":"ü"}']);
    }
  });
});
