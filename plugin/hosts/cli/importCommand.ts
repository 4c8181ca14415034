import { basename, extname } from 'path';
import { importCheckpointFrom } from '../../model/importCheckpoint';
import type { ModelPackage } from '../../model/modelPackage';
import { CheckpointError, ModelConfigError, UserFixableError } from '../../core/errors';
import { FACE_ALIGNMENTS } from '../../core/types';
import { imageSize, numWs } from '../../stylegan2/config';
import { createProgress } from '../node/progress';
import { openUserFile } from '../node/userFiles';
import { writeModelDir } from '../node/writeModelDir';
import { parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';

export const importSpec: CommandSpec<'out' | 'name' | 'alignment' | 'force' | 'json'> = {
  name: 'import',
  options: { out: 'value', name: 'value', alignment: 'value', force: 'flag', json: 'flag' },
  positionals: ['checkpoint.pkl'],
};

/** `draggan import <checkpoint.pkl> --out <dir>`: an official pickle -> a model folder. */
export async function importCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(importSpec, argv);
  const [checkpoint] = args.positionals;
  const out = args.values.out;
  if (out === undefined) throw new UsageError('--out <dir> is required (the model folder to write)', 'import');
  const alignment = FACE_ALIGNMENTS.find((a) => a === (args.values.alignment ?? 'none'));
  if (alignment === undefined) throw new UsageError(`--alignment must be ${FACE_ALIGNMENTS.join(' or ')}`, 'import');

  const progress = createProgress(io.stderr, 'import', 3);
  progress.update(0, 'opening');
  const file = await openUserFile(checkpoint, 'checkpoint');
  progress.update(1, 'converting');
  let pkg: ModelPackage;
  try {
    // read a part at a time: only G_ema's tensors are read, and the file is never held whole
    pkg = await importCheckpointFrom(file, {
      name: args.values.name ?? basename(checkpoint, extname(checkpoint)),
      alignment,
    });
  } catch (e) {
    // the importer's own verdicts on the file are the user's to act on; anything else is a bug and says so
    if (e instanceof CheckpointError || e instanceof ModelConfigError)
      throw new UserFixableError(`cannot import ${checkpoint}: ${e.message}`);
    throw e;
  } finally {
    await file.close();
  }
  progress.update(2, 'writing');
  const { bytes: written } = writeModelDir(out, pkg, { force: args.flags.has('force') });
  progress.finish();

  const c = pkg.config;
  const params = [...pkg.weights.values()].reduce((n, t) => n + t.data.length, 0);
  const summary = {
    command: 'import',
    checkpoint,
    out,
    name: c.name,
    alignment: c.alignment,
    resolution: c.img_resolution,
    width: imageSize(c).width,
    height: imageSize(c).height,
    z_dim: c.z_dim,
    w_dim: c.w_dim,
    num_ws: numWs(c),
    tensors: pkg.weights.size,
    parameters: params,
    bytes: written,
  };
  if (args.flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    io.stdout.write(
      `imported ${checkpoint} -> ${out} (${summary.width}x${summary.height}, ${summary.num_ws} ws of ${c.w_dim}, ${params} parameters)\n`,
    );
  return 0;
}
