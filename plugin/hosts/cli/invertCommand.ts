import { InvertInputError, UserFixableError } from '../../core/errors';
import { checkBackendChoice } from '../../engine/backends';
import type { InversionOptions, InversionProgress, InversionResult } from '../../engine/engine';
import { checkRgbImage, type RgbImage } from '../../invert/rgbImage';
import { INVERT_SCHEDULES, type InvertSchedule } from '../../invert/types';
import { cpus } from 'os';
import { BENCH_LIMITS_S, BENCH_PSI, benchTable, runInvertBench, type BenchLimit } from './invertBench';
import { writeNpy } from '../../model/npy';
import { NODE_RUNTIMES } from '../node/backends';
import { writeModelDir } from '../node/writeModelDir';
import { asRgb, decodeImage } from '../node/imageDecode';
import { ImageError } from '../node/imageError';
import { encodePng } from '../node/pngEncode';
import { createProgress, type Progress } from '../node/progress';
import { dropAlpha, type Raster8 } from '../node/raster';
import { IMAGE_FILE_LIMIT, readUserFile, writeUserFile } from '../node/userFiles';
import { DRAG_DEFAULTS } from '../../core/defaults';
import { intOption, limitOption, numberOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { openCliEngine } from './editEngine';
import { resolveModelDir } from './generateCommand';

type InvertOption =
  | 'model'
  | 'image'
  | 'out-latent'
  | 'out-image'
  | 'steps'
  | 'time-limit'
  | 'report'
  | 'backend'
  | 'bench'
  | 'limits'
  | 'schedule'
  | 'pti-out'
  | 'pti-steps'
  | 'json';

export const invertSpec: CommandSpec<InvertOption> = {
  name: 'invert',
  options: {
    model: 'value',
    image: 'value',
    'out-latent': 'value',
    'out-image': 'value',
    steps: 'value',
    'time-limit': 'value',
    'pti-out': 'value',
    'pti-steps': 'value',
    report: 'value',
    backend: 'value',
    bench: 'value',
    limits: 'value',
    schedule: 'value',
    json: 'flag',
  },
  positionals: [],
};

/** Defaults sized for the bundled 128 px model on a 2-core CPU: the time limit wins on slower machines. */
const DEFAULT_TIME_LIMIT_S = 55;

/** Reads and checks the user's PNG or JPEG before the model loads, so a bad file fails at once with one clear line. */
export function readImageFile(path: string): RgbImage {
  const bytes = readUserFile(path, 'image', IMAGE_FILE_LIMIT);
  if (bytes.length === 0) throw new UserFixableError(`cannot read image ${path}: the file is empty`);
  let raster: Raster8;
  try {
    // greyscale photos are inverted as the RGB image they look like
    raster = asRgb(decodeImage(bytes));
  } catch (e) {
    if (e instanceof ImageError)
      throw new UserFixableError(`cannot read image ${path}: ${e.message} (PNG and JPEG files are read)`);
    throw e;
  }
  try {
    checkRgbImage(raster);
  } catch (e) {
    if (e instanceof InvertInputError) throw new UserFixableError(`cannot use image ${path}: ${e.message}`);
    throw e;
  }
  return raster;
}

/** A progress bar that follows the projection, redrawn with the new total when a time limit shortens the plan. */
function stepProgress(
  io: CliIo,
  label: string,
): { onProgress(p: InversionProgress): void; finish(note: string): void } {
  let bar: Progress | undefined;
  let total = -1;
  return {
    onProgress: (p) => {
      if (p.steps !== total) {
        total = p.steps;
        bar = createProgress(io.stderr, label, total);
      }
      // a log gets a line per note change: keep the changing PSNR for terminals
      bar?.update(
        p.step,
        io.stderr.isTTY && p.psnr !== undefined ? `${p.phase ?? ''} ${p.psnr.toFixed(1)} dB` : (p.phase ?? ''),
      );
    },
    finish: (note) => bar?.finish(note),
  };
}

interface Figures {
  psnr: number;
  seconds: number;
  steps: number;
  cancelled: boolean;
}

const figures = (r: InversionResult, seconds: number): Figures => ({
  psnr: round2(r.psnr),
  seconds: round2(seconds),
  steps: r.steps,
  cancelled: r.cancelled,
});
const round2 = (x: number) => Math.round(x * 100) / 100;

/** `draggan invert`: a photo -> the W+ latent that reproduces it (or `--bench N`: invert N generated images). */
export async function invertCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags } = parseArgs(invertSpec, argv);
  const usage = (msg: string) => new UsageError(msg, 'invert');
  const bench = v.bench === undefined ? undefined : intOption('invert', 'bench', v.bench, 1, 1000);
  if (bench === undefined) {
    if (v.image === undefined) throw usage('--image in.png is required (or --bench N)');
    if (v['out-latent'] === undefined) throw usage('--out-latent w.npy is required');
  } else if (v.image !== undefined || v['out-latent'] !== undefined || v['out-image'] !== undefined) {
    throw usage('--bench inverts generated images: it takes no --image, --out-latent or --out-image');
  }
  if (v.limits !== undefined && bench === undefined)
    throw usage('--limits goes with --bench N (the time limits each schedule is run under)');
  if (bench !== undefined && v['time-limit'] !== undefined)
    throw usage(
      '--bench runs each schedule under every one of --limits (default 15,30,60,120): it takes no --time-limit',
    );
  const limits: BenchLimit[] =
    v.limits === undefined ? BENCH_LIMITS_S.map((seconds) => ({ seconds })) : parseLimits(v.limits, usage);
  const schedule = v.schedule === undefined ? undefined : parseSchedule(v.schedule, usage);
  const other = limits.find((l) => schedule && l.schedule && l.schedule !== schedule);
  if (other)
    throw usage(`--limits ${other.schedule}:${other.seconds} names a schedule that --schedule ${schedule} leaves out`);
  const steps =
    v.steps === undefined ? DRAG_DEFAULTS.invertSteps : limitOption('invert', 'steps', 'invertSteps', v.steps);
  const timeLimit =
    v['time-limit'] === undefined ? DEFAULT_TIME_LIMIT_S : numberOption('invert', 'time-limit', v['time-limit']);
  if (timeLimit < 0) throw usage(`--time-limit must be 0 (none) or more seconds, got '${v['time-limit']}'`);
  const options: InversionOptions = {
    steps,
    ...(timeLimit > 0 ? { timeBudgetSeconds: timeLimit } : {}),
    ...(schedule ? { schedule } : {}),
  };
  const ptiSteps = v['pti-steps'] === undefined ? 100 : intOption('invert', 'pti-steps', v['pti-steps'], 1, 100000);
  if (v['pti-steps'] !== undefined && v['pti-out'] === undefined)
    throw usage('--pti-steps goes with --pti-out <dir> (where the tuned model is written)');
  if (v['pti-out'] !== undefined && bench !== undefined)
    throw usage('--pti-out tunes a model to one --image; it does not go with --bench');
  const backend = checkBackendChoice(v.backend ?? 'cpu', NODE_RUNTIMES);
  if (backend === 'remote') throw usage('invert runs here: --backend cpu, cuda or wasm');
  // check what can be checked before the slow parts
  const image = v.image === undefined ? undefined : readImageFile(v.image);
  const modelDir = resolveModelDir(v.model);
  const engine = await openCliEngine({ backend, model: modelDir, note: (text) => io.stderr.write(`${text}\n`) });
  const common = {
    model: modelDir,
    backend: engine.description,
    resolution: engine.model.resolution,
    maxSteps: steps,
    timeLimit,
  };
  try {
    if (bench !== undefined) {
      // side by side: both schedules unless one was named
      const schedules = schedule ? [schedule] : INVERT_SCHEDULES;
      const { timeBudgetSeconds: _none, ...untimed } = options;
      const runs = await runInvertBench(engine, bench, schedules, limits, untimed, io);
      const summary = {
        command: 'invert-bench',
        ...common,
        timeLimit: undefined,
        limits: limits.map((l) => (l.schedule ? `${l.schedule}:${l.seconds}` : l.seconds)),
        images: bench,
        psi: BENCH_PSI,
        cpus: cpus().length,
        runs,
      };
      if (v.report !== undefined) writeUserFile(v.report, 'report', `${JSON.stringify(summary, null, 2)}\n`);
      if (flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
      else
        io.stdout.write(
          `${modelDir}, ${engine.description}, ${summary.cpus} CPUs; PSNR of the latent each time limit gave\n${benchTable(runs)}`,
        );
      return 0;
    }
    const outLatent = v['out-latent'];
    if (image === undefined || outLatent === undefined) throw usage('--image and --out-latent are required');
    const started = Date.now();
    const progress = stepProgress(io, 'invert');
    const result = await engine.invert(image, { ...options, onProgress: progress.onProgress });
    progress.finish(`${result.psnr.toFixed(2)} dB`);
    const seconds = (Date.now() - started) / 1000;
    writeUserFile(outLatent, 'latent', writeNpy(result.latent));
    let pti: { psnr: number; steps: number; model: string } | undefined;
    let shown = result.image ?? (await engine.render(result.latent));
    const ptiOut = v['pti-out'];
    if (ptiOut !== undefined) {
      if (!engine.tune)
        throw usage(`pivotal tuning needs an engine that can tune the generator; ${engine.description} cannot`);
      // Pivotal tuning: the latent stays; the generator's weights move toward this one photo.
      const bar = createProgress(io.stderr, 'pivotal tuning', ptiSteps);
      const tuned = await engine.tune(result.latent, image, {
        steps: ptiSteps,
        onProgress: (p) => bar.update(p.step, io.stderr.isTTY && p.psnr !== undefined ? `${p.psnr.toFixed(2)} dB` : ''),
      });
      bar.finish(`${tuned.psnr.toFixed(2)} dB`);
      const { config } = tuned.model;
      writeModelDir(ptiOut, {
        ...tuned.model,
        config: { ...config, description: `${engine.model.name} tuned to ${v.image} by pivotal tuning` },
      });
      pti = { psnr: round2(tuned.psnr), steps: tuned.steps, model: ptiOut };
      shown = tuned.image;
    }
    if (v['out-image'] !== undefined)
      writeUserFile(v['out-image'], 'image', encodePng(dropAlpha(shown.width, shown.height, shown.data)));
    const summary = {
      command: 'invert',
      ...common,
      image: v.image,
      width: image.width,
      height: image.height,
      crop: result.crop,
      outLatent,
      ...(v['out-image'] === undefined ? {} : { outImage: v['out-image'] }),
      ...figures(result, seconds),
      ...(pti ? { pti, secondsWithPti: round2((Date.now() - started) / 1000) } : {}),
    };
    if (v.report !== undefined) writeUserFile(v.report, 'report', `${JSON.stringify(summary, null, 2)}\n`);
    if (flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      io.stdout.write(
        `wrote ${outLatent} (PSNR ${summary.psnr} dB, ${summary.steps} steps, ${summary.seconds} s, ${engine.description})\n`,
      );
      if (pti)
        io.stdout.write(
          `wrote ${pti.model}: the model tuned to this image (PSNR ${pti.psnr} dB at the latent); drag with --model ${pti.model} --latent ${outLatent}\n`,
        );
    }
    return 0;
  } finally {
    await engine.release();
  }
}

function parseLimits(text: string, usage: (msg: string) => Error): BenchLimit[] {
  return text.split(',').map((entry) => {
    const [head, tail] = entry.includes(':') ? entry.split(':', 2) : [undefined, entry];
    const seconds = Number(tail);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw usage(
        `--limits must be seconds above 0, separated by commas, each optionally for one schedule (e.g. 15,30,60,official:600), got '${text}'`,
      );
    if (head === undefined) return { seconds };
    const schedule = INVERT_SCHEDULES.find((x) => x === head);
    if (!schedule) throw usage(`--limits ${entry}: the schedule must be ${INVERT_SCHEDULES.join(' or ')}`);
    return { seconds, schedule };
  });
}

function parseSchedule(text: string, usage: (msg: string) => Error): InvertSchedule {
  const s = INVERT_SCHEDULES.find((x) => x === text);
  if (!s) throw usage(`--schedule must be ${INVERT_SCHEDULES.join(' or ')}, got '${text}'`);
  return s;
}
