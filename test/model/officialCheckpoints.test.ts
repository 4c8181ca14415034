/**
 * Optional: imports every *.pkl in $DRAGGAN_CHECKPOINT_DIR (e.g. real official checkpoints, or snapshots made
 * locally with the official training code, which cannot be committed); where <name>.safetensors sits beside a
 * checkpoint, its tensors must equal the imported weights. Skipped when the variable is unset; a folder holding no
 * .pkl fails.
 */
import { readFileSync, readdirSync, existsSync } from 'fs';
import { join } from 'path';
import { importCheckpoint } from '../../plugin/model/importCheckpoint';
import { readSafetensors } from '../../plugin/model/safetensors';

const dir = process.env.DRAGGAN_CHECKPOINT_DIR;
const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.pkl')) : [];

(dir ? describe : describe.skip)('official checkpoints in $DRAGGAN_CHECKPOINT_DIR', () => {
  it.each(files.length ? files : ['(none)'])('imports %s', (f) => {
    if (!dir) return; // never: the describe is skipped without it
    // a folder without checkpoints would compare nothing and pass: say so instead
    if (f === '(none)')
      throw new Error(`$DRAGGAN_CHECKPOINT_DIR (${dir}) holds no .pkl file: put checkpoints there, or unset it`);
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
