import type { Image8 } from '../../codecs/image8';
import { join } from 'path';
import type { RunResult, DragSessionLike } from '../../core/session';
import type { HandleTarget, StepReport } from '../../core/types';
import { RemoteError, UserFixableError } from '../../core/errors';
import type { HostTensor } from '../../graph/tensor';
import { writeNpy } from '../../model/npy';
import { checkBackendChoice } from '../../engine/backends';
import { NODE_RUNTIMES } from '../node/backends';
import { frameTimeline, VIDEO_FPS } from '../../engine/frameTimeline';
import { encodeGif } from '../node/gifEncode';
import { encodeMp4 } from '../node/mp4Encode';
import { decodeImage } from '../node/imageDecode';
import { encodePng } from '../node/pngEncode';
import { createProgress } from '../node/progress';
import { dropAlpha } from '../node/raster';
import { IMAGE_FILE_LIMIT, readUserFile, writeUserFile, writeUserFiles } from '../node/userFiles';
import { stageFolder } from '../node/stagedFolder';
import { DRAG_DEFAULTS } from '../../core/defaults';
import { limitProblem } from '../../core/limits';
import { intOption, limitOption, parseArgs, UsageError, type CommandSpec } from './args';
import {
  hyperParameterOptions,
  hyperParametersFromArgs,
  methodsFromArgs,
  type HyperParameterOption,
} from './hyperParameterArgs';
import type { CliIo } from './cliIo';
import { readImageFile } from './invertCommand';
import { openCliEngine } from './editEngine';
import { resolveModelDir } from './generateCommand';
import { readLatent, toWPlus } from './latentInput';
import { parsePointArg } from './pointArgs';
import { landmarkChoiceFromArgs, presetRequestsFromArgs } from './presetArgs';
import { describePresetPairs, placePresetPairs } from './presetPoints';
import type { PresetPair } from '../../faces/presets';
import { resolveToken } from './tokenOption';

type DragOption =
  | 'model'
  | 'seed'
  | 'psi'
  | 'latent'
  | 'image'
  | 'invert-steps'
  | 'point'
  | 'preset'
  | 'strength'
  | 'preset-landmarks'
  | 'mask'
  | HyperParameterOption
  | 'backend'
  | 'endpoint'
  | 'token'
  | 'token-file'
  | 'retry-seconds'
  | 'out'
  | 'save-latent'
  | 'frames'
  | 'gif'
  | 'video'
  | 'ease'
  | 'loop'
  | 'frame-every'
  | 'report'
  | 'json';

export const dragSpec: CommandSpec<DragOption> = {
  name: 'drag',
  options: {
    model: 'value',
    seed: 'value',
    psi: 'value',
    latent: 'value',
    image: 'value',
    'invert-steps': 'value',
    point: 'list',
    preset: 'list',
    strength: 'value',
    'preset-landmarks': 'value',
    mask: 'value',
    ...hyperParameterOptions(),
    backend: 'value',
    endpoint: 'list',
    token: 'value',
    'token-file': 'value',
    'retry-seconds': 'value',
    out: 'value',
    'save-latent': 'value',
    frames: 'value',
    gif: 'value',
    video: 'value',
    ease: 'flag',
    loop: 'flag',
    'frame-every': 'value',
    report: 'value',
    json: 'flag',
  },
  positionals: [],
};

/** The flexible-region mask from a PNG or JPEG: white (or opaque, for an alpha-only mask) = may change. */
function readMask(path: string): { width: number; height: number; data: Float32Array } {
  let r;
  try {
    r = decodeImage(readUserFile(path, 'mask', IMAGE_FILE_LIMIT));
  } catch (e) {
    if (e instanceof UserFixableError) throw e;
    throw new UserFixableError(
      `cannot read mask ${path}: ${e instanceof Error ? e.message : String(e)} (give a PNG or JPEG, white = the region that may change)`,
    );
  }
  const data = new Float32Array(r.width * r.height);
  for (let i = 0; i < data.length; i++) data[i] = r.data[i * r.channels] > 127 ? 1 : 0;
  return { width: r.width, height: r.height, data };
}

/**
 * An endpoint gave up mid-edit (after riding out the retries): the steps that came back are kept, as a latent the
 * user continues from, and the error says where it is.
 */
function keepReachedState(e: RemoteError, session: DragSessionLike, path: string): RemoteError {
  if (session.steps === 0) return e;
  writeUserFile(path, 'latent', writeNpy(session.latent()));
  const kept = `; the edit had reached step ${session.steps}: its latent is saved in ${path} (continue with --latent ${path})`;
  e.message += kept;
  return e;
}

/** What a --frames folder holds: the frames a drag writes (it is replaced whole, so nothing else may be in it). */
const isFrame = (name: string): boolean => /^frame_\d{4,}\.png$/.test(name);

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
  if (v.frames !== undefined && (v.gif !== undefined || v.video !== undefined))
    throw usage('give --frames DIR or --gif out.gif / --video out.mp4, not both');
  if (v.video !== undefined && !/\.mp4$/i.test(v.video))
    throw usage(`--video writes an MP4: name it .mp4 (got '${v.video}')`);
  const timeline = { ease: flags.has('ease'), loop: flags.has('loop') };
  if ((timeline.ease || timeline.loop) && v.gif === undefined && v.video === undefined)
    throw usage('--ease and --loop go with --gif out.gif or --video out.mp4');
  const points: HandleTarget[] = (lists.point ?? []).map((p) => parsePointArg('drag', p));
  const presets = presetRequestsFromArgs('drag', lists.preset, v.strength);
  const landmarkChoice = landmarkChoiceFromArgs('drag', v['preset-landmarks']);
  if (landmarkChoice !== undefined && presets.length === 0) throw usage('--preset-landmarks goes with --preset NAME');
  if (points.length === 0 && presets.length === 0)
    throw usage('give at least one --point X,Y:TX,TY (handle -> target) or --preset NAME');
  // the presets' pairs are counted once they are placed
  const tooMany = points.length > 0 && limitProblem('points', points.length);
  if (tooMany) throw usage(tooMany);
  const remote = v.backend === 'remote';
  if (remote && !lists.endpoint?.length) throw usage('--backend remote needs --endpoint URL (repeat it for replicas)');
  if (
    !remote &&
    (lists.endpoint || v.token !== undefined || v['token-file'] !== undefined || v['retry-seconds'] !== undefined)
  ) {
    throw usage('--endpoint, --token, --token-file and --retry-seconds go with --backend remote');
  }
  const retrySeconds =
    v['retry-seconds'] === undefined ? undefined : intOption('drag', 'retry-seconds', v['retry-seconds'], 0, 3600);
  if (remote && v.model === undefined)
    throw usage('with --backend remote, --model names a model the endpoint serves (see GET /v1/models)');
  const backend = checkBackendChoice(v.backend ?? 'cpu', NODE_RUNTIMES);
  const seed = v.seed === undefined ? undefined : limitOption('drag', 'seed', 'seed', v.seed);
  const psi = v.psi === undefined ? DRAG_DEFAULTS.psi : limitOption('drag', 'psi', 'psi', v.psi);
  // --method is read apart: eval takes several, and a list here is refused as such
  const given = {
    ...hyperParametersFromArgs('drag', v, ['method']),
    method: methodsFromArgs('drag', v.method, false)[0],
  };
  const frameEvery = v['frame-every'] === undefined ? 5 : intOption('drag', 'frame-every', v['frame-every'], 1, 100000);
  const latentIn = v.latent === undefined ? undefined : readLatent(v.latent);
  const photo = v.image === undefined ? undefined : readImageFile(v.image);
  const invertSteps =
    v['invert-steps'] === undefined ? undefined : limitOption('drag', 'invert-steps', 'invertSteps', v['invert-steps']);
  const mask = v.mask === undefined ? undefined : readMask(v.mask);
  const modelDir = remote ? (v.model as string) : resolveModelDir(v.model);

  // frames go to a staged folder that replaces --frames with the other outputs: a kill leaves old or new, not a mix
  const framesOut = v.frames === undefined ? undefined : stageFolder(v.frames, isFrame, 'frames folder');
  const started = Date.now();
  const engine = await openCliEngine({
    backend,
    model: modelDir,
    endpoints: lists.endpoint,
    token: remote ? resolveToken(v, 'drag') : undefined,
    retryForMs: retrySeconds === undefined ? undefined : retrySeconds * 1000,
    note: (text) => io.stderr.write(`${text}\n`),
  }).catch((e: unknown) => {
    framesOut?.discard();
    throw e;
  });
  const rows = engine.model.numWs;
  const hp = { ...engine.model.defaults, ...given };
  const loadSeconds = (Date.now() - started) / 1000;
  // where the wall time went, phase by phase (the report's `timings`): the first step also builds the step's graphs
  const phases: Record<string, number> = {
    processStartMs: Math.round(process.uptime() * 1000 - (Date.now() - started)),
    loadMs: Math.round(loadSeconds * 1000),
  };
  let phaseFrom = Date.now();
  const phase = (name: string) => {
    const now = Date.now();
    phases[name] = (phases[name] ?? 0) + now - phaseFrom;
    phaseFrom = now;
  };
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
        onProgress: (p) =>
          bar.update(p.step, io.stderr.isTTY && p.psnr !== undefined ? `PSNR ${p.psnr.toFixed(1)} dB` : ''),
      });
      bar.finish(`PSNR ${r.psnr.toFixed(2)} dB`);
      w0 = r.latent;
      inverted = { psnr: r.psnr, seconds: (Date.now() - t) / 1000 };
    } else w0 = await engine.generate(seed ?? 0, psi);
    phase('startLatentMs');
    // the start's image is rendered once, whether the presets, the first frame or both want it
    let startImage: Promise<Image8> | undefined;
    const renderStart = () => (startImage ??= engine.render(w0));
    let presetPairs: PresetPair[] = [];
    if (presets.length > 0) {
      // placed on the image the drag starts from, after the user's own pairs (which keep their numbers)
      presetPairs = await placePresetPairs(await renderStart(), presets, landmarkChoice ?? engine.model.faceModel);
      points.push(...presetPairs);
      const problem = limitProblem('points', points.length);
      if (problem) throw usage(`${problem} (the presets placed ${presetPairs.length} pairs)`);
      if (!flags.has('json'))
        io.stdout.write(
          `${describePresetPairs(presetPairs)
            .map((l) => `preset ${l}\n`)
            .join('')}`,
        );
    }
    phase('presetsMs');
    const session: DragSessionLike = await engine.openDrag(w0, hp);
    // plain pairs: the preset labels stay in the report, not in the engine's state
    session.setPoints(points.map((p) => ({ handle: p.handle, target: p.target })));
    if (mask) session.setMask(mask);

    const frames: Uint8ClampedArray[] = [];
    let lastFrameStep = -1;
    // a run previews a due step and again at its end: a step seen twice is one frame (the GIF would hold it twice)
    let lastPreview: { rgba: Image8; step: number } | undefined;
    const keepFrame = (rgba: Image8, step: number) => {
      lastPreview = { rgba, step };
      if (framesOut)
        writeUserFile(
          join(framesOut.path, `frame_${String(step).padStart(4, '0')}.png`),
          'frame',
          encodePng(dropAlpha(rgba.width, rgba.height, rgba.data)),
        );
      else if (step === lastFrameStep) frames[frames.length - 1] = rgba.data;
      else frames.push(rgba.data);
      lastFrameStep = step;
    };
    const wantFrames = v.frames !== undefined || v.gif !== undefined || v.video !== undefined;
    if (wantFrames) keepFrame(await renderStart(), 0);
    phase('startFrameMs');

    const progress = createProgress(io.stderr, 'drag', hp.maxSteps);
    const reports: StepReport[] = [];
    const run = session.run({
      signal: ac.signal,
      onStep: (r) => {
        reports.push(r);
        const dist = Math.max(
          ...r.points.map((p, i) => Math.hypot(points[i].target.x - p.x, points[i].target.y - p.y)),
        );
        // a changing note on every step would print a line per step in a log
        progress.update(
          r.step,
          io.stderr.isTTY ? `loss ${r.loss.toFixed(4)}, farthest handle ${dist.toFixed(1)} px` : '',
        );
      },
      onPreviewImage: wantFrames ? (img, step) => (step > 0 ? keepFrame(img, step) : undefined) : undefined,
      previewEvery: wantFrames ? frameEvery : 0,
    });
    const result: RunResult = await run.catch((e: unknown) => {
      progress.finish('interrupted');
      throw e instanceof RemoteError
        ? keepReachedState(e, session, v['save-latent'] ?? `${(v.out ?? 'drag.png').replace(/\.png$/i, '')}.latent.npy`)
        : e;
    });
    progress.finish(result.reason);
    phase('stepsMs');

    const ws = session.latent();
    // a run with frames ends on a preview of its last step: that is the result, not rendered again
    const rgba = lastPreview && lastPreview.step === result.steps ? lastPreview.rgba : await engine.render(ws);
    const played = frameTimeline(frames.length, timeline).map((i) => frames[i]);
    phase('finalRenderMs');

    const stepMs = reports.map((r) => r.ms);
    const encoded = [
      { path: v.out, what: 'image', data: encodePng(dropAlpha(rgba.width, rgba.height, rgba.data)) },
      ...(v['save-latent'] !== undefined ? [{ path: v['save-latent'], what: 'latent', data: writeNpy(ws) }] : []),
      ...(v.gif !== undefined
        ? [{ path: v.gif, what: 'GIF', data: encodeGif(played, rgba.width, rgba.height, 1000 / VIDEO_FPS) }]
        : []),
      ...(v.video !== undefined
        ? [{ path: v.video, what: 'video', data: await encodeMp4(played, rgba.width, rgba.height) }]
        : []),
    ];
    phase('encodeMs');
    const seconds = (Date.now() - started) / 1000;
    const finalDistances = result.points.map((p, i) => Math.hypot(points[i].target.x - p.x, points[i].target.y - p.y));
    const report = {
      command: 'drag',
      model: modelDir,
      backend: engine.description,
      source:
        v.image !== undefined
          ? { image: v.image, ...inverted }
          : seed === undefined
            ? { latent: v.latent }
            : { seed, psi },
      hyperParameters: hp,
      handles: points.map((p) => [p.handle.x, p.handle.y]),
      targets: points.map((p) => [p.target.x, p.target.y]),
      presets: presets.length ? presets.map((r) => ({ preset: r.preset, strength: r.strength ?? 1 })) : undefined,
      // the pairs the presets placed (the last presetPairs.length of handles/targets), with the face part each is on
      presetPairs: presets.length
        ? presetPairs.map((p) => ({
            presets: p.presets,
            part: p.part,
            handle: [p.handle.x, p.handle.y],
            target: [p.target.x, p.target.y],
          }))
        : undefined,
      steps: reports.map((r) => ({
        step: r.step,
        points: r.points.map((p) => [p.x, p.y]),
        loss: r.loss,
        ms: r.ms,
        path: r.path,
      })),
      stop: result.reason,
      totals: {
        steps: result.steps,
        seconds,
        loadSeconds,
        stepMsMedian: median(stepMs),
        finalPoints: result.points.map((p) => [p.x, p.y]),
        finalDistances,
      },
      // milliseconds: before the model was opened (node, the bundle, reading the inputs), the model and runtime, the start latent, the
      // preset placement and first frame, the steps (the first one builds the step's graphs: firstStepMs against
      // stepMsMedian says what that cost), the final image, encoding the outputs; writing them is after the report
      timings: { ...phases, firstStepMs: stepMs[0] ?? 0, stepMsMedian: median(stepMs.slice(1)) },
      out: v.out,
    };
    // every output as one set: the frames folder swapped in just before the files are renamed into place
    writeUserFiles(
      [
        ...encoded,
        ...(v.report !== undefined
          ? [{ path: v.report, what: 'report', data: `${JSON.stringify(report, null, 1)}\n` }]
          : []),
      ],
      { beforeRename: () => framesOut?.commit() },
    );
    if (flags.has('json')) io.stdout.write(`${JSON.stringify({ ...report, steps: undefined })}\n`);
    else {
      io.stdout.write(
        `${result.reason} after ${result.steps} steps (${seconds.toFixed(1)} s, ${median(stepMs).toFixed(0)} ms/step, ${engine.description}); ` +
          `handles ${finalDistances.map((x) => x.toFixed(1)).join(', ')} px from their targets; wrote ${v.out}\n`,
      );
    }
    return 0;
  } finally {
    // frames of a run that failed, or the old frames a commit moved aside
    framesOut?.discard();
    process.removeListener('SIGINT', onSigint);
    await engine.release();
  }
}
