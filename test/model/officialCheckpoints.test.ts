/**
 * Optional: imports every *.pkl in $DRAGGAN_CHECKPOINT_DIR (e.g. real official checkpoints, or snapshots made
 * locally with the official training code, which cannot be committed); where <name>.safetensors sits beside a
 * checkpoint, its tensors must equal the imported weights. Skipped when the variable is unset.
 */
import { readFileSync, readdirSync, existsSync } from 'fs';
import { join } from 'path';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { readSafetensors } from '../../plugin/model/safetensors';

const dir = process.env.DRAGGAN_CHECKPOINT_DIR;
const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.pkl')) : [];

(dir ? describe : describe.skip)('official checkpoints in $DRAGGAN_CHECKPOINT_DIR', () => {
  it.each(files.length ? files : ['(none)'])('imports %s', (f) => {
    if (!dir || f === '(none)') return;
    const pkg = importCheckpoint(new Uint8Array(readFileSync(join(dir, f))));
    expect(pkg.weights.size).toBeGreaterThan(0);
    const ref = join(dir, f.replace(/\.pkl$/, '.safetensors'));
    if (existsSync(ref)) {
      const want = readSafetensors(new Uint8Array(readFileSync(ref)));
      expect([...pkg.weights.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [k, t] of want) {
        const got = pkg.weights.get(k)?.data ?? new Float32Array(0);
        // A plain loop: jest's deep equality is far too slow for 512 px generators.
        let same = got.length === t.data.length;
        for (let i = 0; same && i < got.length; i++) same = Object.is(got[i], t.data[i]);
        expect(`${k}: ${same ? 'equal' : 'differs'}`).toBe(`${k}: equal`);
      }
    }
  });
});
