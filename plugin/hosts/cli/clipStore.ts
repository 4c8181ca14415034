import { existsSync, mkdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import type { ClipStore, FrameInversion } from '../../engine/clipDrag';
import type { HostTensor } from '../../graph/tensor';
import { readNpy, writeNpy } from '../../model/npy';
import { writeUserFile } from '../node/userFiles';

const pad = (i: number) => String(i).padStart(4, '0');

/**
 * A clip's work kept in `<frames-out>/.clip/`: each frame's inversion (latent + figures) and edited latent, written
 * as each is done, under the run's description. The same command run again finds them and goes on from there; a
 * run with other frames, points or settings starts afresh (the old work is removed).
 */
export function folderClipStore(framesOut: string, run: unknown): { store: ClipStore; resumed: number } {
  const dir = join(framesOut, '.clip');
  const described = JSON.stringify(run);
  const runFile = join(dir, 'run.json');
  const same = existsSync(runFile) && readFileSync(runFile, 'utf8') === described;
  if (!same) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeUserFile(runFile, 'clip state', described);
  }
  const read = (name: string): HostTensor | undefined => {
    const path = join(dir, name);
    if (!existsSync(path)) return undefined;
    try {
      return readNpy(new Uint8Array(readFileSync(path)));
    } catch {
      // a damaged file is work to do again, not an error
      return undefined;
    }
  };
  const store: ClipStore = {
    inverted(i) {
      const latent = read(`inverted_${pad(i)}.npy`);
      const figures = join(dir, `inverted_${pad(i)}.json`);
      if (!latent || !existsSync(figures)) return undefined;
      return { ...(JSON.parse(readFileSync(figures, 'utf8')) as Omit<FrameInversion, 'latent'>), latent };
    },
    edited: (i) => read(`edited_${pad(i)}.npy`),
    saveInverted(i, r) {
      writeUserFile(join(dir, `inverted_${pad(i)}.npy`), 'clip state', writeNpy(r.latent));
      writeUserFile(
        join(dir, `inverted_${pad(i)}.json`),
        'clip state',
        JSON.stringify({ psnr: r.psnr, seconds: r.seconds, steps: r.steps, warm: r.warm }),
      );
    },
    saveEdited: (i, edited) => writeUserFile(join(dir, `edited_${pad(i)}.npy`), 'clip state', writeNpy(edited)),
  };
  let resumed = 0;
  if (same) while (existsSync(join(dir, `inverted_${pad(resumed)}.npy`))) resumed++;
  return { store, resumed };
}
