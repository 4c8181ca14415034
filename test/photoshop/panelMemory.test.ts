/**
 * The in-panel engine is offered only for models it can run under Photoshop's 600 MB plugin warning; a larger one is
 * refused from its shape, before the weights or the runtime are touched, with the way to the local engine.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { BackendError } from '../../plugin/core/errors';
import { requirePanelMemory } from '../../plugin/hosts/photoshop/panelMemory';
import { PhotoshopPort } from '../../plugin/hosts/photoshop/photoshopPort';
import { normalizeModelConfig } from '../../plugin/model/validateConfig';
import { stylegan3ShapeConfig } from '../../plugin/model/randomModel';
import type { ModelPackage } from '../../plugin/model/modelPackage';
import { estimateWasmPeakBytes, parameterCount } from '../../plugin/stylegan2/wasmMemory';
import { parseModelPackage } from '../../plugin/model/modelPackage';

const ROOT = join(__dirname, '../..');
const ffhq = (res: number) =>
  normalizeModelConfig({
    name: `ffhq${res}`,
    z_dim: 512,
    c_dim: 0,
    w_dim: 512,
    img_resolution: res,
    img_channels: 3,
    mapping_kwargs: { num_layers: 8, lr_multiplier: 0.01 },
    synthesis_kwargs: { channel_base: 32768, channel_max: 512, conv_clamp: 256, architecture: 'skip' },
  });

describe("the in-panel engine and Photoshop's memory warning", () => {
  test.each(['models/bundled', 'test/fixtures/packages/tiny128', 'test/fixtures/packages/tiny64'])(
    "%s: the parameter count is its weights' own, and it runs in the panel",
    (dir) => {
      const pkg = parseModelPackage(
        readFileSync(join(ROOT, dir, 'model.json'), 'utf8'),
        new Uint8Array(readFileSync(join(ROOT, dir, 'weights.safetensors'))),
      );
      // every learned tensor (buffers: noise, w_avg and the resampling filter are not parameters)
      const learned = [...pkg.weights]
        .filter(([k]) => !/noise_const|noise_strength|w_avg|resample_filter/.test(k))
        .reduce((n, [, t]) => n + t.data.length, 0);
      expect(parameterCount(pkg.config)).toBe(learned);
      expect(() => requirePanelMemory(pkg.config)).not.toThrow();
    },
  );

  test('the FFHQ 512 px shape comes to about 1.3 GB, as the panel was seen to hold; larger models need more', () => {
    const mb = (r: number) => Math.round(estimateWasmPeakBytes(ffhq(r)) / 1e6);
    expect(mb(512)).toBeGreaterThanOrEqual(1300);
    expect(mb(512)).toBeLessThanOrEqual(2000);
    expect(mb(1024)).toBeGreaterThan(mb(512));
    expect(mb(256)).toBeLessThan(mb(512));
  });

  test('a StyleGAN3-T 256 px shape comes to what the wasm engine was measured to hold on it (1.82 GB), and is refused', () => {
    const cfg = stylegan3ShapeConfig(256, 't');
    // measured: draggan bench --shape sg3t256 --backend wasm, peak resident 1824 MB (5 handles, with a preview)
    expect(estimateWasmPeakBytes(cfg) / 1e6).toBeGreaterThan(1824 * 0.85);
    expect(estimateWasmPeakBytes(cfg) / 1e6).toBeLessThan(1824 * 1.15);
    expect(() => requirePanelMemory(cfg)).toThrow(BackendError);
  });

  test('a 512 px model is refused before the runtime starts, saying it needs the local engine and how to start it', async () => {
    const port = new PhotoshopPort({
      text: () => Promise.reject(new Error('not read')),
      bytes: () => Promise.reject(new Error('the wasm must not be read')),
    });
    const config = ffhq(512);
    const source = { kind: 'package' as const, load: async () => ({ config, weights: new Map() }) as ModelPackage };
    const refused = await port.openEngine(source).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(BackendError);
    expect((refused as Error).message).toMatch(
      /^"ffhq512" \(512 px\) needs about 13\d\d MB in the panel's own engine, more than the 600 MB Photoshop allows a plugin: it needs the local engine/,
    );
    expect((refused as Error).message).toMatch(/npm run build && npm run serve/);
  });
});
