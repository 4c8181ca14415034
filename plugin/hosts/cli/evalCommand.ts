import { onnxLandmarkDetector } from '../../eval/landmarkDetector';
import {
  runLandmarkBenchmark,
  summarise,
  type LandmarkBenchmarkResult,
  type PairResult,
  type PointSet,
} from '../../eval/landmarkBenchmark';
import { editModelOfConfig } from '../../stylegan2/config';
import { Generator } from '../../stylegan2/generator';
import { startNodeRuntime } from '../node/backends';
import { loadModelDir } from '../node/loadModelDir';
import { readLandmarkDetectorFiles } from '../node/landmarkDetectorFiles';
import { createProgress } from '../node/progress';
import { writeUserFile } from '../node/userFiles';
import { modelHyperParameters } from '../../core/defaults';
import { intOption, limitOption, parseArgs, UsageError, type CommandSpec } from './args';
import {
  hyperParameterOptions,
  hyperParametersFromArgs,
  methodsFromArgs,
  type HyperParameterOption,
} from './hyperParameterArgs';
import type { CliIo } from './cliIo';
import { resolveModelDir } from './generateCommand';

type EvalOption =
  | 'model'
  | 'detector'
  | 'pairs'
  | 'points'
  | 'seed'
  | 'backend'
  | 'report'
  | 'json'
  | 'mask-radius'
  | HyperParameterOption;

export const evalSpec: CommandSpec<EvalOption> = {
  name: 'eval',
  options: {
    model: 'value',
    detector: 'value',
    pairs: 'value',
    points: 'value',
    seed: 'value',
    backend: 'value',
    report: 'value',
    json: 'flag',
    'mask-radius': 'value',
    ...hyperParameterOptions(),
  },
  positionals: ['benchmark'],
};

/** `draggan eval landmarks`: the paper's face-landmark manipulation benchmark (Table 1) on a model. */
export async function evalCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags, positionals } = parseArgs(evalSpec, argv);
  if (positionals[0] !== 'landmarks')
    throw new UsageError(`unknown benchmark '${positionals[0]}' (the one there is: landmarks)`, 'eval');
  const pairs = v.pairs === undefined ? 50 : intOption('eval', 'pairs', v.pairs, 1, 100000);
  const points: PointSet =
    v.points === undefined || v.points === '1'
      ? 1
      : v.points === '5'
        ? 5
        : v.points === 'all'
          ? 'all'
          : (() => {
              throw new UsageError(`--points must be 1, 5 or all, got '${v.points}'`, 'eval');
            })();
  const seed = v.seed === undefined ? 0 : limitOption('eval', 'seed', 'seed', v.seed);
  const given = hyperParametersFromArgs('eval', v, ['method']);
  const methods = methodsFromArgs('eval', v.method, true);
  const maskRadius =
    v['mask-radius'] === undefined ? undefined : intOption('eval', 'mask-radius', v['mask-radius'], 1, 4096);
  const detectorFiles = readLandmarkDetectorFiles(v.detector);
  const modelDir = resolveModelDir(v.model);
  const pkg = loadModelDir(modelDir);
  const { runtime } = await startNodeRuntime(v.backend ?? 'cpu');
  const { runtime: detectorRuntime } = await startNodeRuntime('cpu');
  const detector = await onnxLandmarkDetector(detectorRuntime, detectorFiles.onnx, detectorFiles.card);
  const gen = new Generator(pkg, runtime);
  const hp = {
    ...modelHyperParameters(pkg.config.draggan, editModelOfConfig(pkg.config)),
    ...given,
  };
  const progress = createProgress(
    io.stderr,
    `eval landmarks (${points} point${points === 1 ? '' : 's'}${methods.length > 1 ? `, ${methods.join(' and ')}` : ''})`,
    pairs,
  );
  const done: PairResult[][] = methods.map(() => []);
  const summaryOf = (result: LandmarkBenchmarkResult) => ({
    benchmark: 'landmarks',
    model: modelDir,
    backend: runtime.description,
    points,
    pairs: result.pairs.length,
    seed,
    method: result.method,
    mask_radius: maskRadius ?? null,
    hyper_parameters: { ...hp, method: result.method },
    md_before: result.md_before,
    md_after: result.md_after,
    ratio: result.ratio,
    steps_mean: result.steps_mean,
    seconds_per_edit: result.seconds_per_edit,
    drift_mean: result.drift_mean,
    lost_rate: result.lost_rate,
  });
  // rewritten after every pair, so a long run that is stopped still leaves its figures so far
  const writeReport = (results: LandmarkBenchmarkResult[], complete: boolean) => {
    if (v.report === undefined) return;
    const body = results.map((r) => ({ ...summaryOf(r), complete, pair_results: r.pairs }));
    writeUserFile(v.report, 'report', `${JSON.stringify(body, null, 1)}\n`);
  };
  try {
    const results = await runLandmarkBenchmark(gen, detector, hp, {
      pairs,
      points,
      seed,
      methods,
      maskRadius,
      onPair: (r, i, m) => {
        const k = methods.indexOf(m);
        done[k].push(r);
        if (k === methods.length - 1)
          writeReport(
            methods.map((name, j) => summarise(name, done[j])),
            false,
          );
        progress.update(
          i + 1,
          io.stderr.isTTY ? `${m}: MD ${r.mdBefore.toFixed(2)} -> ${r.mdAfter.toFixed(2)} px` : '',
        );
      },
    });
    progress.finish();
    const summaries = results.map(summaryOf);
    writeReport(results, true);
    for (const [k, result] of results.entries()) {
      if (flags.has('json')) io.stdout.write(`${JSON.stringify(summaries[k])}\n`);
      else {
        io.stdout.write(
          `landmarks, ${points} point(s), ${pairs} pairs${maskRadius === undefined ? '' : `, masked (discs of ${maskRadius} px)`}, ${result.method}: ` +
            `md_before ${result.md_before.toFixed(2)} px, md_after ${result.md_after.toFixed(2)} px ` +
            `(ratio ${result.ratio.toFixed(3)}), ${result.steps_mean.toFixed(0)} steps and ${result.seconds_per_edit.toFixed(2)} s per edit, ` +
            `drift ${maskRadius === undefined ? 'outside the points' : 'outside the mask'} ${result.drift_mean.toFixed(2)} levels, ` +
            `lost handles ${(100 * result.lost_rate).toFixed(1)}%\n`,
        );
      }
    }
    return 0;
  } finally {
    await gen.release();
  }
}
