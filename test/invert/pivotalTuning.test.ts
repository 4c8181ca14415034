import { isTunable, pivotalTuning } from '../../plugin/invert/pivotalTuning';
import { psnr } from '../../plugin/invert/psnr';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { zFromSeed } from '../../plugin/stylegan2/latentSeed';
import { fixturePackage } from '../helpers/fixtures';

/** PTI: with the latent held at a pivot, tuning the synthesis weights pulls the image toward the photo. */
test('pivotal tuning raises the PSNR at the pivot and returns a complete per-image weight set', async () => {
  const pkg = fixturePackage('tiny64');
  const gen = new Generator(pkg, await ortNodeCpu.create());
  try {
    const target = (await gen.synthesize(await gen.mapping(zFromSeed(5, 32), 0.7))).img;
    const pivot = await gen.mapping(zFromSeed(6, 32), 0.7);
    const before = psnr((await gen.synthesize(pivot)).img, target);
    const scores: number[] = [];
    const r = await pivotalTuning(gen, pivot, target, { steps: 30, lr: 3e-3, onStep: (_s, _t, p) => scores.push(p) });
    expect(scores[0]).toBeCloseTo(before, 3);
    expect(r.psnr).toBeGreaterThan(before + 3);
    expect([...r.weights.keys()].sort()).toEqual([...pkg.weights.keys()].sort());
    const changed = [...r.weights]
      .filter(([n, t]) => t.data.some((v, i) => v !== pkg.weights.get(n)!.data[i]))
      .map(([n]) => n);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every(isTunable)).toBe(true);
    // the tuned weights reproduce the reported image
    const tuned = new Generator({ config: pkg.config, weights: r.weights }, gen.runtime);
    expect(psnr((await tuned.synthesize(pivot)).img, target)).toBeCloseTo(r.psnr, 3);
    await tuned.release();
  } finally {
    await gen.release();
  }
});

test('draggan invert --pti-out writes a tuned model that drag can use with the latent', async () => {
  const { mkdtempSync, rmSync, writeFileSync, existsSync } = await import('fs');
  const { tmpdir } = await import('os');
  const { join } = await import('path');
  const { runCli } = await import('../../plugin/hosts/cli/runCli');
  const { encodePng } = await import('../../plugin/hosts/node/pngEncode');
  const { memoryIo } = await import('../cli/memoryIo');
  const { FIXTURES } = await import('../helpers/fixtures');
  const dir = mkdtempSync(join(tmpdir(), 'draggan-pti-'));
  try {
    const photo = join(dir, 'photo.png');
    writeFileSync(
      photo,
      encodePng({ width: 40, height: 40, channels: 3, data: new Uint8Array(40 * 40 * 3).map((_, i) => (i * 7) % 256) }),
    );
    const model = join(FIXTURES, 'packages', 'tiny64');
    const io = memoryIo();
    const code = await runCli(
      [
        'invert',
        '--model',
        model,
        '--image',
        photo,
        '--out-latent',
        join(dir, 'w.npy'),
        '--steps',
        '4',
        '--pti-out',
        join(dir, 'tuned'),
        '--pti-steps',
        '5',
        '--json',
      ],
      io,
    );
    expect(io.err()).not.toMatch(/error/);
    expect(code).toBe(0);
    const summary = JSON.parse(io.out()) as { psnr: number; pti: { psnr: number; steps: number } };
    expect(summary.pti.steps).toBe(5);
    expect(summary.pti.psnr).toBeGreaterThanOrEqual(summary.psnr - 0.01);
    expect(existsSync(join(dir, 'tuned', 'weights.safetensors'))).toBe(true);
    const io2 = memoryIo();
    const code2 = await runCli(
      [
        'drag',
        '--model',
        join(dir, 'tuned'),
        '--latent',
        join(dir, 'w.npy'),
        '--point',
        '20,20:24,20',
        '--steps',
        '2',
        '--r1',
        '12',
        '--r2',
        '24',
        '--out',
        join(dir, 'd.png'),
      ],
      io2,
    );
    expect(io2.err()).not.toMatch(/error/);
    expect(code2).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
