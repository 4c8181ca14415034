import { ffhqShapeConfig, randomWeights } from '../../plugin/model/randomModel';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { blockResolutions, channelsAt, numWs } from '../../plugin/stylegan2/config';
import { Generator } from '../../plugin/stylegan2/generator';

/** Any resolution from 64 to 1024 and any channel_base / channel_max build and run (narrow channels keep it quick). */
test.each([64, 256, 1024])('%i px', async (res) => {
  const cfg = { ...ffhqShapeConfig(res), w_dim: 16, z_dim: 16 };
  cfg.synthesis_kwargs = { ...cfg.synthesis_kwargs, channel_base: 16 * res, channel_max: 8 };
  cfg.mapping_kwargs = { ...cfg.mapping_kwargs, num_layers: 2 };
  const gen = new Generator({ config: cfg, weights: randomWeights(cfg, 3) }, await ortNodeCpu.create());
  try {
    const ws = await gen.mapping({ shape: [1, 16], data: new Float32Array(16).fill(0.5) }, 0.7);
    expect(ws.shape).toEqual([1, numWs(cfg), 16]);
    expect(numWs(cfg)).toBe(2 * Math.log2(res) - 2);
    const out = await gen.synthesize(ws, { features: true });
    expect(out.img.shape).toEqual([1, 3, res, res]);
    expect(out.features.map((f) => f.shape)).toEqual(blockResolutions(cfg).map((r) => [1, channelsAt(cfg, r), r, r]));
    expect(out.img.data.every(Number.isFinite)).toBe(true);
  } finally {
    await gen.release();
  }
});
