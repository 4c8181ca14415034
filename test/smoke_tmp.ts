import { GraphBuilder } from '../plugin/graph/builder';
import { toOnnx } from '../plugin/graph/onnx';
import { ortNodeCpu } from '../plugin/runtime/ortNode';
import { ortWebProvider } from '../plugin/runtime/ortWeb';
(async () => {
  const b = new GraphBuilder();
  const x = b.input('x', [1, 2, 5, 5]);
  const w = b.constant([3, 2, 3, 3], Float32Array.from({ length: 54 }, (_, i) => i / 10));
  let y = b.conv(x, w, { pads: [1, 1, 1, 1] });
  y = b.leakyRelu(b.reduceSum(y, [1], true), 0.2);
  y = b.clip(b.pad(y, [0,0,1,1,0,0,0,-1]), -3, 3);
  const m = toOnnx(b.build('t', { y }));
  for (const p of [ortNodeCpu, ortWebProvider('wasm', 10)]) {
    const rt = await p.create();
    const s = await rt.createSession(m);
    const r = await s.run({ x: { shape: [1, 2, 5, 5], data: Float32Array.from({ length: 50 }, (_, i) => Math.sin(i)) } });
    console.log(rt.description, r.y.shape, Array.from(r.y.data.slice(0, 8)).map(v=>v.toFixed(3)).join(' '));
  }
})().catch((e) => { console.error(e); process.exit(1); });
