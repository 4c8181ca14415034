import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { localEngine } from '../../plugin/engine/localEngine';
import { loadModelDir } from '../../plugin/hosts/node/loadModelDir';
import { encodePng } from '../../plugin/hosts/node/pngEncode';
import { dropAlpha } from '../../plugin/hosts/node/raster';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';

/**
 * A clip the bundled model can draw, made by the project: `count` frames whose latents move in a straight line
 * from one seed's to another's (psi 0.7), so the face changes pose and shape smoothly. Written as PNG frames.
 */
export async function writeTurningClip(
  dir: string,
  count: number,
  seeds: [number, number] = [3, 11],
  modelDir = join(__dirname, '../../models/bundled'),
): Promise<void> {
  const engine = localEngine(loadModelDir(modelDir), await ortNodeCpu.create());
  try {
    const [a, b] = [await engine.generate(seeds[0], 0.7), await engine.generate(seeds[1], 0.7)];
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < count; f++) {
      const t = count === 1 ? 0 : f / (count - 1);
      const img = await engine.render({ shape: [...a.shape], data: a.data.map((v, i) => v + t * (b.data[i] - v)) });
      writeFileSync(
        join(dir, `frame_${String(f).padStart(4, '0')}.png`),
        encodePng(dropAlpha(img.width, img.height, img.data)),
      );
    }
  } finally {
    await engine.release();
  }
}

if (require.main === module) void writeTurningClip(process.argv[2], Number(process.argv[3] ?? 24));
