import { readSafetensorsWithMetadata } from '../../plugin/model/safetensors';
import { fixture, fixtureText } from './fixtures';

interface ReferenceInfo {
  tensors: Record<string, number[]>;
  handles: number[][];
  targets: number[][];
  steps: number;
  drag: { tracked_points: number[][][]; loss: number[] };
}

describe.each(['tiny128', 'tiny64'])('reference %s', (name) => {
  it('holds the tensors its JSON lists, with consistent drag records', () => {
    const info = JSON.parse(fixtureText('reference', `${name}.json`)) as ReferenceInfo;
    const { tensors, metadata } = readSafetensorsWithMetadata(fixture('reference', `${name}.safetensors`));
    expect(metadata.checkpoint).toBe(`${name}.pkl`);
    for (const [k, shape] of Object.entries(info.tensors)) expect(tensors.get(k)?.shape).toEqual(shape);
    expect(info.drag.tracked_points).toHaveLength(info.steps);
    expect(info.drag.tracked_points[0]).toEqual(info.handles);
    expect(Array.from(tensors.get('drag_loss')?.data ?? [])).toEqual(Array.from(Float32Array.from(info.drag.loss)));
    // Step 0 runs at the mapped w: rows >= 6 are never optimised.
    const ws0 = tensors.get('drag_ws')?.data.subarray(0, tensors.get('w')?.data.length);
    expect(ws0).toEqual(tensors.get('w')?.data);
  });
});
