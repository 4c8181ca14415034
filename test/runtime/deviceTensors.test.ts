import { GraphBuilder } from '../../plugin/graph/builder';
import { toOnnx } from '../../plugin/graph/onnx';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import type { Runtime } from '../../plugin/runtime/runtime';

/** Outputs kept where they were computed (GPU buffers on WebGPU; host memory here) and fed to another session. */
let rt: Runtime;
beforeAll(async () => {
  rt = await ortNodeCpu.create();
});

function twoOutputs(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', [3]);
  const y = b.mul(x, b.scalar(2));
  return toOnnx(b.build('first', { y, z: b.add(y, b.scalar(1)) }));
}

function triple(): Uint8Array {
  const b = new GraphBuilder();
  return toOnnx(b.build('second', { w: b.mul(b.input('y', [3]), b.scalar(3)) }));
}

const x = { shape: [3], data: new Float32Array([1, 2, 3]) };

test('runKeeping leaves the named outputs on the device; fed to another session they give the same numbers', async () => {
  const first = await rt.createSession(twoOutputs(), { deviceOutputs: ['y'] });
  const second = await rt.createSession(triple());
  const { host, device } = await first.runKeeping({ x });
  expect(Object.keys(host)).toEqual(['z']);
  expect(Array.from(host.z.data)).toEqual([3, 5, 7]);
  expect(device.y).toMatchObject({ kind: 'device', shape: [3], location: 'cpu' });
  expect(Array.from((await second.run({ y: device.y })).w.data)).toEqual([6, 12, 18]);
  device.y.dispose();
  device.y.dispose();
  await expect(second.run({ y: device.y })).rejects.toThrow(/fed after it was disposed/);
  // run() brings every output to the host, kept or not
  expect(Array.from((await first.run({ x })).y.data)).toEqual([2, 4, 6]);
  await Promise.all([first.release(), second.release()]);
});
