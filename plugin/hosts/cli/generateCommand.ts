import type { Image8 } from '../../codecs/image8';
import { existsSync } from 'fs';
import { writeNpy } from '../../model/npy';
import type { HostTensor } from '../../graph/tensor';
import { UserFixableError } from '../../core/errors';
import { checkBackendChoice } from '../../engine/backends';
import { NODE_RUNTIMES } from '../node/backends';
import { bundledModelDir } from '../node/packageRoot';
import { installedDir, isInstalled } from '../node/modelStore';
import { encodePng } from '../node/pngEncode';
import { createProgress } from '../node/progress';
import { dropAlpha } from '../node/raster';
import { writeUserFiles } from '../node/userFiles';
import { DRAG_DEFAULTS } from '../../core/defaults';
import { limitOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { openCliEngine } from './editEngine';
import { readLatent, toWPlus } from './latentInput';

type GenerateOption = 'model' | 'seed' | 'psi' | 'latent' | 'out' | 'save-latent' | 'backend' | 'json';

export const generateSpec: CommandSpec<GenerateOption> = {
  name: 'generate',
  options: {
    model: 'value',
    seed: 'value',
    psi: 'value',
    latent: 'value',
    out: 'value',
    'save-latent': 'value',
    backend: 'value',
    json: 'flag',
  },
  positionals: [],
};

/** The official renderer's default truncation. */

/**
 * The model folder to use: --model (a folder, or the id of a model 'draggan models pull' installed, when no folder
 * of that name is here), or the bundled one, with a clear word when that is not there.
 */
export function resolveModelDir(model: string | undefined): string {
  if (model !== undefined)
    return !existsSync(model) && /^[a-z0-9][a-z0-9-]*$/.test(model) && isInstalled(model) ? installedDir(model) : model;
  const dir = bundledModelDir();
  if (!existsSync(dir)) {
    throw new UserFixableError(
      `the bundled model is not installed (expected at ${dir}); pass --model <dir> (make one with: draggan import <checkpoint.pkl> --out <dir>)`,
    );
  }
  return dir;
}

/** `draggan generate`: seed or latent -> PNG (and optionally the W+ latent used). */
export async function generateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags } = parseArgs(generateSpec, argv);
  const usage = (msg: string) => new UsageError(msg, 'generate');
  if (v.seed === undefined && v.latent === undefined) throw usage('give --seed N or --latent w.npy');
  if (v.seed !== undefined && v.latent !== undefined) throw usage('give either --seed or --latent, not both');
  if (v.psi !== undefined && v.seed === undefined)
    throw usage('--psi applies to --seed only (a latent is used as it is)');
  if (v.out === undefined) throw usage('--out img.png is required');
  const backend = checkBackendChoice(v.backend ?? 'cpu', NODE_RUNTIMES);
  const seed = v.seed === undefined ? undefined : limitOption('generate', 'seed', 'seed', v.seed);
  const psi = v.psi === undefined ? DRAG_DEFAULTS.psi : limitOption('generate', 'psi', 'psi', v.psi);
  // check what can be checked before the slow parts, so a typo fails at once
  const latentIn = v.latent === undefined ? undefined : readLatent(v.latent);
  const modelDir = resolveModelDir(v.model);

  const steps = seed === undefined ? 3 : 4;
  const progress = createProgress(io.stderr, 'generate', steps);
  const started = Date.now();
  progress.update(0, 'loading model');
  if (backend === 'remote')
    throw usage(
      "generate runs here: --backend cpu, cuda or wasm (a remote endpoint's images come with drag --backend remote)",
    );
  const engine = await openCliEngine({ backend, model: modelDir, note: (text) => io.stderr.write(`${text}\n`) });
  let ws: HostTensor;
  let rgba: Image8;
  try {
    progress.update(1, 'starting backend');
    if (latentIn) {
      ws = toWPlus(latentIn, engine.model.numWs, engine.model.wDim, v.latent ?? '');
    } else {
      progress.update(2, 'mapping');
      ws = await engine.generate(seed ?? 0, psi);
    }
    progress.update(steps - 1, 'synthesis');
    rgba = await engine.render(ws);
  } finally {
    await engine.release();
  }
  // the image and its latent replace the old pair together: a latent that cannot be written keeps the old image too
  writeUserFiles([
    { path: v.out, what: 'image', data: encodePng(dropAlpha(rgba.width, rgba.height, rgba.data)) },
    ...(v['save-latent'] !== undefined ? [{ path: v['save-latent'], what: 'latent', data: writeNpy(ws) }] : []),
  ]);
  progress.finish();

  const summary = {
    command: 'generate',
    model: modelDir,
    backend: engine.description,
    ...(seed === undefined ? { latent: v.latent } : { seed, psi }),
    out: v.out,
    ...(v['save-latent'] === undefined ? {} : { saveLatent: v['save-latent'] }),
    width: rgba.width,
    height: rgba.height,
    seconds: (Date.now() - started) / 1000,
  };
  if (flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    io.stdout.write(
      `wrote ${v.out} (${rgba.width}x${rgba.height}, ${engine.description}, ${summary.seconds.toFixed(1)} s)\n`,
    );
  return 0;
}
