import { GraphBuilder } from '../../plugin/graph/builder';
import { toOnnx } from '../../plugin/graph/onnx';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';

/**
 * Renders keep their run memory (an arena, no memory pattern: runtime.ts reuseRunMemory) to spare the page faults of
 * fresh tensors every run. The kept memory holds the last run's values: a render must not see them, so every run of
 * such a session equals a plain session's, bit for bit, whatever ran before it.
 */
test('a session that reuses its run memory renders exactly what a plain session renders, run after run', async () => {
  const c = 16;
  const n = 64;
  const ramp = (k: number, f: (i: number) => number) => Float32Array.from({ length: k }, (_, i) => f(i));
  const b = new GraphBuilder();
  const x = b.input('x', [1, c, n, n]);
  const w = b.constant(
    [c, c, 3, 3],
    ramp(c * c * 9, (i) => ((i % 11) - 5) / 40),
  );
  // two layers, so the intermediate tensor lives in the reused memory
  const conv = (v: typeof x) => b.leakyRelu(b.conv(v, w, { pads: [1, 1, 1, 1] }), 0.2);
  const graph = b.build('render', { y: conv(conv(x)) });
  const rt = await ortNodeCpu.create();
  const plain = await rt.createSession(toOnnx(graph));
  const reusing = await rt.createSession(toOnnx(graph), { reuseRunMemory: true });
  const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const kept: { got: Float32Array; copy: Buffer }[] = [];
  for (const phase of [0, 1.3, 2.9]) {
    const feeds = { x: { shape: [1, c, n, n], data: ramp(c * n * n, (i) => Math.sin(i * 0.01 + phase)) } };
    const expected = (await plain.run(feeds)).y.data;
    const got = (await reusing.run(feeds)).y.data;
    expect(bytes(got)).toEqual(bytes(expected));
    kept.push({ got, copy: Buffer.from(bytes(got)) });
  }
  // an earlier run's output is the caller's: later runs do not write over it
  for (const k of kept) expect(bytes(k.got)).toEqual(k.copy);
  await Promise.all([plain.release(), reusing.release()]);
});
