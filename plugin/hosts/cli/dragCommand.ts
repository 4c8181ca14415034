import { mkdirSync } from 'fs';
import { join } from 'path';
import type { RunResult } from '../../drag/dragSession';
import type { DragSessionLike } from '../../drag/dragSessionLike';
import type { HandleTarget, StepReport } from '../../drag/types';
import type { HostTensor } from '../../graph/tensor';
import { writeNpy } from '../../model/npy';
import { toRgba8 } from '../../stylegan2/imageConversion';
import { checkBackend } from '../node/backends';
import { encodeGif } from '../node/gifEncode';
import { decodePng } from '../node/pngDecode';
import { encodePng } from '../node/pngEncode';
import { createProgress } from '../node/progress';
import { dropAlpha } from '../node/raster';
import { UserError } from '../node/userError';
import { readUserFile, writeUserFile } from '../node/userFiles';
import { intOption, numberOption, parseArgs, UsageError, type CommandSpec } from './args';
import { hyperParameterOptions, hyperParametersFromArgs, type HyperParameterOption } from './hyperParameterArgs';
import type { CliIo } from './cliIo';
import { readImageFile } from './invertCommand';
import { openLocalEngine, openRemoteEngine } from './editEngine';
import { resolveModelDir } from './generateCommand';
import { readLatent, toWPlus } from './latentInput';
import { parsePointArg } from './pointArgs';

type DragOption =
  | 'model' | 'seed' | 'psi' | 'latent' | 'image' | 'invert-steps' | 'point' | 'mask' | 'steps' | 'mode'
  | HyperParameterOption | 'backend' | 'endpoint' | 'token' | 'out' | 'save-latent' | 'frames' | 'gif' | 'frame-every' | 'report' | 'json';

export const dragSpec: CommandSpec<DragOption> = {
  name: 'drag',
  options: {
    model: 'value', seed: 'value', psi: 'value', latent: 'value', image: 'value', 'invert-steps': 'value', point: 'list', mask: 'value', steps: 'value', ...hyperParameterOptions,
    mode: 'value', backend: 'value', endpoint: 'list', token: 'value', out: 'value', 'save-latent': 'value',
    frames: 'value', gif: 'value', 'frame-every': 'value', report: 'value', json: 'flag',
  },
  positionals: [],
};

/** The flexible-region mask from a PNG: white (or opaque, for an alpha-only mask) = may change. */
function readMask(path: string): { width: number; height: number; data: Float32Array } {
  let r;
  try {
    r = decodePng(readUserFile(path, 'mask'));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read mask ${path}: ${e instanceof Error ? e.message : String(e)} (give a PNG, white = the region that may change)`);
  }
  const data = new Float32Array(r.width * r.height);
  for (let i = 0; i < data.length; i++) data[i] = r.data[i * r.channels] > 127 ? 1 : 0;
  return { width: r.width, height: r.height, data };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `draggan drag`: a DragGAN edit from a seed or a latent, with a progress bar, a report and optional frames. */
export async function dragCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags, lists } = parseArgs(dragSpec, argv);
  const usage = (msg: string) => new UsageError(msg, 'drag');
  const sources = [v.seed, v.latent, v.image].filter((x) => x !== undefined).length;
  if (sources !== 1) throw usage('give one source: --seed N, --latent w.npy or --image photo.png');
  if (v.psi !== undefined && v.seed === undefined) throw usage('--psi applies to --seed only');
  if (v.out === undefined) throw usage('--out out.png is required');
  if (v.frames !== undefined && v.gif !== undefined) throw usage('give --frames DIR or --gif out.gif, not both');
  const points: HandleTarget[] = (lists.point ?? []).map((p) => parsePointArg('drag', p));
  if (points.length === 0) throw usage('give at least one --point X,Y:TX,TY (handle -> target)');
  const remote = v.backend === 'remote';
  if (remote && !lists.endpoint?.length) throw usage('--backend remote needs --endpoint URL (repeat it for replicas)');
  if (!remote && (lists.endpoint || v.token !== undefined)) throw usage('--endpoint and --token go with --backend remote');
  if (remote && v.model === undefined) throw usage('with --backend remote, --model names a model the endpoint serves (see GET /v1/models)');
  const backend = remote ? 'remote' : checkBackend(v.backend ?? 'cpu');
  const seed = v.seed === undefined ? undefined : intOption('drag', 'seed', v.seed, 0, 0xffffffff);
  const psi = v.psi === undefined ? 0.7 : numberOption('drag', 'psi', v.psi);
  const maxSteps = v.steps === undefined ? 300 : intOption('drag', 'steps', v.steps, 1, 100000);
  const frameEvery = v['frame-every'] === undefined ? 5 : intOption('drag', 'frame-every', v['frame-every'], 1, 100000);
  const mode = v.mode ?? 'w+';
  if (mode !== 'w+' && mode !== 'w') throw usage(`--mode must be w+ or w, got '${mode}'`);
  const latentIn = v.latent === undefined ? undefined : readLatent(v.latent);
  const photo = v.image === undefined ? undefined : readImageFile(v.image);
  const invertSteps = v['invert-steps'] === undefined ? undefined : intOption('drag', 'invert-steps', v['invert-steps'], 1, 100000);
  const mask = v.mask === undefined ? undefined : readMask(v.mask);
  const modelDir = remote ? (v.model as string) : resolveModelDir(v.model);

  const started = Date.now();
  const engine = remote
    ? await openRemoteEngine(lists.endpoint ?? [], v.token, modelDir)
    : await openLocalEngine(modelDir, backend, (text) => io.stderr.write(`${text}\n`));
  const { defaults: d, numWs: rows } = engine.model;
  const hp = hyperParametersFromArgs('drag', v, d, { optimisedRows: Math.min(6, rows), mode, maxSteps });
  const loadSeconds = (Date.now() - started) / 1000;
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    let inverted: { psnr: number; seconds: number } | undefined;
    let w0: HostTensor;
    if (latentIn) w0 = toWPlus(latentIn, rows, engine.model.wDim, v.latent ?? '');
    else if (photo) {
      const t = Date.now();
      const bar = createProgress(io.stderr, 'invert', invertSteps ?? 300);
      const r = await engine.invert(photo, {
        steps: invertSteps,
        timeBudgetSeconds: invertSteps === undefined ? 55 : undefined,
        signal: ac.signal,
        onStep: (s) => bar.update(s.step, io.stderr.isTTY ? `${s.phase} PSNR ${s.bestPsnr.toFixed(1)} dB` : s.phase),
      });
      bar.finish(`PSNR ${r.psnr.toFixed(2)} dB`);
      w0 = r.latent;
      inverted = { psnr: r.psnr, seconds: (Date.now() - t) / 1000 };
    } else w0 = await engine.latentFromSeed(seed ?? 0, psi);
    const session: DragSessionLike = await engine.open(w0, hp);
    session.setPoints(points);
    if (mask) session.setMask(mask);

    const frames: Uint8ClampedArray[] = [];
    if (v.frames !== undefined) mkdirSync(v.frames, { recursive: true });
    const keepFrame = (img: HostTensor, step: number) => {
      const rgba = toRgba8(img);
      if (v.frames !== undefined) writeUserFile(join(v.frames, `frame_${String(step).padStart(4, '0')}.png`), 'frame', encodePng(dropAlpha(rgba.width, rgba.height, rgba.data)));
      else frames.push(rgba.data);
    };
    const wantFrames = v.frames !== undefined || v.gif !== undefined;
    if (wantFrames) keepFrame(await engine.render(w0), 0);

    const progress = createProgress(io.stderr, 'drag', maxSteps);
    const reports: StepReport[] = [];
    const result: RunResult = await session.run({
      signal: ac.signal,
      onStep: (r) => {
        reports.push(r);
        const dist = Math.max(...r.points.map((p, i) => Math.hypot(points[i].target.x - p.x, points[i].target.y - p.y)));
        // a changing note on every step would print a line per step in a log
        progress.update(r.step, io.stderr.isTTY ? `loss ${r.loss.toFixed(4)}, farthest handle ${dist.toFixed(1)} px` : '');
      },
      onPreview: wantFrames ? (img, step) => (step > 0 ? keepFrame(img, step) : undefined) : undefined,
      previewEvery: wantFrames ? frameEvery : 0,
    });
    progress.finish(result.reason);

    const ws = session.latent();
    const rgba = toRgba8(await engine.render(ws));
    writeUserFile(v.out, 'image', encodePng(dropAlpha(rgba.width, rgba.height, rgba.data)));
    if (v['save-latent'] !== undefined) writeUserFile(v['save-latent'], 'latent', writeNpy(ws));
    if (v.gif !== undefined) writeUserFile(v.gif, 'GIF', encodeGif(frames, rgba.width, rgba.height));

    const seconds = (Date.now() - started) / 1000;
    const stepMs = reports.map((r) => r.ms);
    const finalDistances = result.points.map((p, i) => Math.hypot(points[i].target.x - p.x, points[i].target.y - p.y));
    const report = {
      command: 'drag',
      model: modelDir,
      backend: engine.description,
      source: v.image !== undefined ? { image: v.image, ...inverted } : seed === undefined ? { latent: v.latent } : { seed, psi },
      hyperParameters: hp,
      handles: points.map((p) => [p.handle.x, p.handle.y]),
      targets: points.map((p) => [p.target.x, p.target.y]),
      steps: reports.map((r) => ({ step: r.step, points: r.points.map((p) => [p.x, p.y]), loss: r.loss, ms: r.ms, path: r.path })),
      stop: result.reason,
      totals: {
        steps: result.steps,
        seconds,
        loadSeconds,
        stepMsMedian: median(stepMs),
        finalPoints: result.points.map((p) => [p.x, p.y]),
        finalDistances,
      },
      out: v.out,
    };
    if (v.report !== undefined) writeUserFile(v.report, 'report', `${JSON.stringify(report, null, 1)}\n`);
    if (flags.has('json')) io.stdout.write(`${JSON.stringify({ ...report, steps: undefined })}\n`);
    else {
      io.stdout.write(
        `${result.reason} after ${result.steps} steps (${seconds.toFixed(1)} s, ${median(stepMs).toFixed(0)} ms/step, ${engine.description}); ` +
          `handles ${finalDistances.map((x) => x.toFixed(1)).join(', ')} px from their targets; wrote ${v.out}\n`,
      );
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await engine.release();
  }
}
