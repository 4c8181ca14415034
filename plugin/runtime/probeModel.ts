import { GraphBuilder } from '../graph/builder';
import { toOnnx } from '../graph/onnx';

/** y = x + 1 on one float: enough to prove a backend can load and run a model. */
export function probeModel(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', [1]);
  return toOnnx(b.build('probe', { y: b.add(x, b.scalar(1)) }));
}
