import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { prepareDragStep } from '../../drag/dragPlan';
import { DragSession } from '../../drag/dragSession';
import { modelHyperParameters } from '../../core/defaults';
import { PreviewBudget } from '../../drag/previewBudget';
import type { HandleTarget } from '../../core/types';
import { UserFixableError } from '../../core/errors';
import { ffhqShapeConfig, randomWeights, stylegan3ShapeConfig } from '../../model/randomModel';
import type { ModelPackage } from '../../model/modelPackage';
import { editModelOfConfig, isStyleGan3, numWs } from '../../stylegan2/config';
import { Generator, type WindowPolicy } from '../../stylegan2/generator';
import { zFromSeed } from '../../stylegan2/latentSeed';
import { startNodeRuntime } from '../node/backends';
import { loadModelDir } from '../node/loadModelDir';
import { packageRoot } from '../node/packageRoot';
import { peakRssMb } from '../node/peakRss';
import { createProgress } from '../node/progress';
import { intOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { resolveModelDir } from './generateCommand';

type BenchOption = 'model' | 'shape' | 'backend' | 'steps' | 'torch' | 'official' | 'json';

export const benchSpec: CommandSpec<BenchOption> = {
  name: 'bench',
  options: {
    model: 'value',
    shape: 'value',
    backend: 'list',
    steps: 'value',
    torch: 'flag',
    official: 'value',
    json: 'flag',
  },
  positionals: [],
};

export interface BenchResult {
  backend: string;
  model: string;
  resolution: number;
  handles: number;
  /** Building the graphs and starting the sessions (model loading included when it is read from disk). */
  load_and_build_ms: number;
  /**
   * The first step of a drag whose sessions were built ahead (prepare_ms, Engine.prepareDrag, as the panel does while
   * the user places points); for 1 handle, the drag after one that had a handle fewer.
   */
  first_step_ms: number;
  prepare_ms: number;
  /** The first step with nothing built ahead: it pays for building the step's sessions itself. */
  cold_first_step_ms: number;
  /**
   * The drag step as the drag loop runs it by default (no mask): exact windows when cheaper, else the whole map;
   * measured alternating with whole-map steps, step by step.
   */
  step_ms_median: number;
  /** Which path that was. */
  path: string;
  /** The same step computing the whole feature map (as with a mask). */
  whole_step_ms_median: number;
  preview_ms: number;
  /** Steps between live previews under the panel's preview budget (PreviewBudget), at these step and preview costs. */
  preview_every_steps: number;
  /**
   * Peak resident memory of the process by the end of the default drag with a preview (the 5-handle figure covers
   * the 1-handle drag before it), and at the end, after the whole-map steps.
   */
  peak_rss_mb: number;
  peak_rss_whole_mb: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Handles spread over the image, each with a far target so no step converges early. */
function benchPairs(res: number, n: number): HandleTarget[] {
  const spots = [
    [0.4, 0.4],
    [0.25, 0.7],
    [0.7, 0.25],
    [0.7, 0.7],
    [0.5, 0.55],
  ].slice(0, n);
  const at = (f: number): number => Math.round(f * (res - 1));
  return spots.map(([x, y]) => ({
    handle: { x: at(x), y: at(y) },
    target: { x: at(Math.min(x + 0.25, 0.98)), y: at(Math.min(y + 0.2, 0.98)) },
  }));
}

/** The steady preview cadence, in steps, the preview budget gives at these costs (300 simulated steps). */
function previewEverySteps(stepMs: number, previewMs: number): number {
  const budget = new PreviewBudget();
  let now = 0;
  budget.begin(now);
  const at: number[] = [];
  for (let i = 1; i <= 300; i++) {
    now += stepMs;
    if (budget.due(now)) {
      budget.rendered(now, now + previewMs);
      now += previewMs;
      at.push(i);
    }
  }
  return at.length > 1 ? median(at.slice(1).map((a, i) => a - at[i])) : Infinity;
}

/**
 * A drag step's cost on one backend: tracking + features forward + loss + backward + Adam, as the drag loop runs
 * it, for 1 and 5 handles: by default (windowed where cheaper) and on the whole map; then a preview render.
 */
async function benchBackend(
  load: () => ModelPackage,
  modelName: string,
  backend: string,
  steps: number,
  io: CliIo,
): Promise<BenchResult[]> {
  const t0 = performance.now();
  const pkg = load();
  const { runtime } = await startNodeRuntime(backend);
  const gen = new Generator(pkg, runtime);
  try {
    const cfg = pkg.config;
    const res = cfg.img_resolution;
    const w0 = await gen.mapping(zFromSeed(0, cfg.z_dim), 0.7);
    const loadMs = performance.now() - t0;
    /**
     * `steps + 1` steps of one session per policy, alternating step by step so that a shared machine's changing
     * load falls on each alike. Returns each session's step times and the paths they took.
     */
    // the model's settings, as a drag runs them, with no early stop: every step is timed
    const hp = {
      ...modelHyperParameters(cfg.draggan, editModelOfConfig(cfg)),
      optimisedRows: Math.min(6, numWs(cfg)),
      mode: 'w+' as const,
      maxSteps: 1,
      stopDistance: 0,
    };
    const alternate = async (
      handles: number,
      policies: readonly WindowPolicy[],
    ): Promise<{ ms: number[]; path: string }[]> => {
      const runs = policies.map((policy) => {
        const session = new DragSession(gen, w0, { ...hp, maxSteps: steps + 1 });
        session.setPoints(benchPairs(res, handles));
        return { policy, session, ms: [] as number[], paths: new Set<string>() };
      });
      const label = `bench ${runtime.backend} ${handles} handle${handles > 1 ? 's' : ''} ${policies.map((p) => (p === 'off' ? 'whole' : 'default')).join(' vs ')}`;
      const progress = createProgress(io.stderr, label, steps + 1);
      for (let i = 0; i <= steps; i++) {
        for (const r of runs) {
          gen.windowPolicy = r.policy;
          const step = await r.session.step();
          if (!step) throw new Error('a bench step was cancelled');
          r.ms.push(step.report.ms);
          if (step.report.path) r.paths.add(step.report.path);
        }
        progress.update(i + 1);
      }
      progress.finish();
      gen.windowPolicy = 'auto';
      return runs.map((r) => ({ ms: r.ms, path: [...r.paths].join('+') }));
    };
    /** Builds ahead for a drag of this many handles, then times that drag's first step. */
    const firstPreparedStep = async (handles: number): Promise<{ prepareMs: number; firstMs: number }> => {
      const points = benchPairs(res, handles);
      const p0 = performance.now();
      await prepareDragStep(
        gen,
        hp,
        points.map((p) => p.handle),
        false,
      );
      const prepareMs = Math.round(performance.now() - p0);
      const session = new DragSession(gen, w0, hp);
      session.setPoints(points);
      const step = await session.step();
      if (!step) throw new Error('a bench step was cancelled');
      return { prepareMs, firstMs: step.report.ms };
    };
    // Drags as they run by default, steps then a preview, each from no sessions and before anything of the
    // whole-map path: the peak-memory figures are a default drag's (for 5 handles, the larger of the two drags').
    const colds: number[] = [];
    const peaks: number[] = [];
    let previewMs = 0;
    for (const handles of [1, 5]) {
      await gen.release();
      colds.push((await alternate(handles, ['auto']))[0].ms[0]);
      await gen.synthesize(w0);
      const p0 = performance.now();
      await gen.synthesize(w0);
      previewMs = Math.round(performance.now() - p0);
      peaks.push(peakRssMb());
    }
    // Built ahead as the panel does: a drag of 2 handles, then 1 (a pair deleted), then 5 (pairs added)
    await gen.release();
    await firstPreparedStep(2);
    const prepared = [await firstPreparedStep(1), await firstPreparedStep(5)];
    // a generator with no windowed form (StyleGAN3, rectangular) steps on the whole map by default: timed once
    const policies: WindowPolicy[] = isStyleGan3(cfg) || cfg.square === false ? ['auto'] : ['auto', 'off'];
    const pairs = [await alternate(1, policies), await alternate(5, policies)];
    const out = [1, 5].map((handles, i): BenchResult => {
      const [dflt, whole = dflt] = pairs[i];
      const stepMs = median(dflt.ms.slice(1));
      return {
        backend: runtime.description,
        model: modelName,
        resolution: res,
        handles,
        load_and_build_ms: Math.round(loadMs),
        first_step_ms: prepared[i].firstMs,
        prepare_ms: prepared[i].prepareMs,
        cold_first_step_ms: colds[i],
        step_ms_median: stepMs,
        path: dflt.path,
        whole_step_ms_median: median(whole.ms.slice(1)),
        preview_ms: previewMs,
        preview_every_steps: previewEverySteps(stepMs, previewMs),
        peak_rss_mb: peaks[i],
        peak_rss_whole_mb: peakRssMb(),
      };
    });
    return out;
  } finally {
    await gen.release();
  }
}

/** The official algorithm's step in PyTorch (models/recipes/torch_drag_step.py), run beside ours. */
function benchTorch(resolution: number, steps: number, official: string | undefined): Record<string, unknown> {
  const script = join(packageRoot(), 'models', 'recipes', 'torch_drag_step.py');
  const python = '/usr/bin/python3';
  if (!existsSync(python))
    throw new UserFixableError(
      '--torch needs PyTorch: apt-get install -y python3-torch python3-numpy (run with /usr/bin/python3)',
    );
  const args = [
    script,
    '--resolution',
    String(resolution),
    '--steps',
    String(steps),
    ...(official ? ['--official', official] : []),
  ];
  const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

/**
 * `draggan bench`: figures side by side in one run — the drag step on each backend asked for, and optionally the
 * official algorithm in PyTorch on the same architecture.
 */
export async function benchCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags, lists } = parseArgs(benchSpec, argv);
  const steps = v.steps === undefined ? 5 : intOption('bench', 'steps', v.steps, 1, 1000);
  if (v.model !== undefined && v.shape !== undefined)
    throw new UsageError('give --model or --shape, not both', 'bench');
  if ((flags.has('torch') || v.official !== undefined) && v.shape?.startsWith('sg3'))
    throw new UsageError('--torch times the official StyleGAN2 step only; leave it out for a StyleGAN3 shape', 'bench');
  let load: () => ModelPackage;
  let name: string;
  if (v.shape !== undefined) {
    const m = /^(?:ffhq(64|128|256|512|1024)|sg3([tr])(256|512|1024))$/.exec(v.shape);
    if (!m)
      throw new UsageError(
        `--shape must be ffhq64, ffhq128, ffhq256, ffhq512, ffhq1024 or (StyleGAN3 config T or R) sg3t256, sg3t512, sg3t1024, sg3r256, sg3r512, sg3r1024, got '${v.shape}'`,
        'bench',
      );
    const cfg = m[1] ? ffhqShapeConfig(Number(m[1])) : stylegan3ShapeConfig(Number(m[3]), m[2] as 't' | 'r');
    load = () => ({ config: cfg, weights: randomWeights(cfg, 1) });
    name = `${v.shape} (random weights)`;
  } else {
    const dir = resolveModelDir(v.model);
    load = () => loadModelDir(dir);
    name = dir;
  }
  const backends = lists.backend ?? ['cpu'];
  const results: Record<string, unknown>[] = [];
  if (backends.length === 1) {
    results.push(...(await benchBackend(load, name, backends[0], steps, io)).map((r) => ({ ...r })));
  } else {
    // One process per backend, so each peak-memory figure is that backend's alone.
    const source = v.shape !== undefined ? ['--shape', v.shape] : ['--model', resolveModelDir(v.model)];
    for (const b of backends) {
      io.stderr.write(`bench: ${b}...\n`);
      const out = execFileSync(
        process.execPath,
        [process.argv[1], 'bench', ...source, '--backend', b, '--steps', String(steps), '--json'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      results.push(...(JSON.parse(out) as Record<string, unknown>[]));
    }
  }
  if (flags.has('torch') || v.official !== undefined) {
    const resolution = (results[0] as unknown as BenchResult).resolution;
    if (v.shape === undefined)
      io.stderr.write('note: the PyTorch step uses the FFHQ architecture at this resolution with random weights\n');
    results.push({
      backend: 'pytorch (official algorithm)',
      ...benchTorch(resolution, Math.min(steps, 3), v.official),
    });
  }
  if (flags.has('json')) {
    io.stdout.write(`${JSON.stringify(results)}\n`);
  } else {
    const cols = [
      'backend',
      'handles',
      'step_ms_median',
      'path',
      'whole_step_ms_median',
      'first_step_ms',
      'prepare_ms',
      'cold_first_step_ms',
      'preview_ms',
      'preview_every_steps',
      'load_and_build_ms',
      'peak_rss_mb',
      'peak_rss_whole_mb',
    ];
    io.stdout.write(`${name}\n${cols.join('\t')}\n`);
    for (const r of results)
      io.stdout.write(`${cols.map((c) => (r[c] === undefined ? '-' : String(r[c]))).join('\t')}\n`);
  }
  return 0;
}
