import { mkdirSync } from 'fs';
import { join } from 'path';
import { checkBackendChoice } from '../../engine/backends';
import { UserFixableError } from '../../core/errors';
import { dragClip } from '../../engine/clipDrag';
import { flicker } from '../../engine/clipFigures';
import { clipLandmarkProgress } from '../../engine/clipLandmarks';
import { limitProblem } from '../../core/limits';
import { frameTimeline } from '../../engine/frameTimeline';
import { encodeMp4 } from '../node/mp4Encode';
import { NODE_RUNTIMES } from '../node/backends';
import { openBundledLandmarkDetector } from '../node/bundledLandmarkDetector';
import { encodePng } from '../node/pngEncode';
import { dropAlpha } from '../node/raster';
import { createProgress } from '../node/progress';
import { writeUserFile, writeUserFiles } from '../node/userFiles';
import { intOption, limitOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { openCliEngine } from './editEngine';
import { resolveModelDir } from './generateCommand';
import { hyperParameterOptions, hyperParametersFromArgs, type HyperParameterOption } from './hyperParameterArgs';
import { parsePointArg } from './pointArgs';
import { folderClipStore } from './clipStore';
import { readFramesFolder, readGifClip, readVideoClip } from './readClip';

type VideoOption =
  | HyperParameterOption
  | 'model'
  | 'frames'
  | 'gif'
  | 'video'
  | 'key'
  | 'point'
  | 'out'
  | 'frames-out'
  | 'invert-steps'
  | 'warm-steps'
  | 'ease'
  | 'loop'
  | 'backend'
  | 'report'
  | 'json';

export const videoSpec: CommandSpec<VideoOption> = {
  name: 'video',
  options: {
    ...hyperParameterOptions(),
    model: 'value',
    frames: 'value',
    gif: 'value',
    video: 'value',
    key: 'value',
    point: 'list',
    out: 'value',
    'frames-out': 'value',
    'invert-steps': 'value',
    'warm-steps': 'value',
    ease: 'flag',
    loop: 'flag',
    backend: 'value',
    report: 'value',
    json: 'flag',
  },
  positionals: [],
};

/** A clip's frames are many: fewer steps each than a still's defaults (each starts near its neighbour's result). */
const DEFAULT_STEPS = 60;
const DEFAULT_INVERT_STEPS = 200;
const DEFAULT_WARM_STEPS = 50;

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * `draggan video`: one drag applied across a clip (a folder of frames, an animated GIF or an MP4): handles placed on a key
 * frame, carried to every frame, each frame dragged by the same motion; written as an MP4 (and PNG frames), with the
 * clip's figures: per-frame inversion and handle progress (tracked by the model's features and, where the model has a
 * landmark net for its frames, measured by it), flicker against the input's, seconds per frame.
 */
export async function videoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags, lists } = parseArgs(videoSpec, argv);
  const usage = (m: string) => new UsageError(m, 'video');
  const sources = [v.frames, v.gif, v.video].filter((x) => x !== undefined);
  if (sources.length !== 1)
    throw usage(
      'give the clip: --frames DIR (PNG or JPEG frames in name order), --gif clip.gif or --video clip.mp4 (H.264 Baseline)',
    );
  if (v.out === undefined || !/\.mp4$/i.test(v.out)) throw usage('--out names the MP4 to write (out.mp4)');
  const pairs = (lists.point ?? []).map((p) => parsePointArg('video', p));
  if (pairs.length === 0)
    throw usage('give at least one --point X,Y:TX,TY on the key frame (model pixels of its centred square)');
  const tooMany = limitProblem('points', pairs.length);
  if (tooMany) throw usage(tooMany);
  const given = hyperParametersFromArgs('video', v);
  const invertSteps =
    v['invert-steps'] === undefined
      ? DEFAULT_INVERT_STEPS
      : limitOption('video', 'invert-steps', 'invertSteps', v['invert-steps']);
  const warmSteps =
    v['warm-steps'] === undefined
      ? DEFAULT_WARM_STEPS
      : limitOption('video', 'warm-steps', 'invertSteps', v['warm-steps']);
  const backend = checkBackendChoice(v.backend ?? 'cpu', NODE_RUNTIMES);
  if (backend === 'remote') throw usage('video runs here: --backend cpu, cuda or wasm');
  const clip =
    v.frames !== undefined
      ? readFramesFolder(v.frames)
      : v.gif !== undefined
        ? readGifClip(v.gif)
        : await readVideoClip(v.video as string, decodeProgress(io));
  const key = v.key === undefined ? 0 : intOption('video', 'key', v.key, 0, clip.length - 1);
  if (v['frames-out'] !== undefined) makeFolder(v['frames-out']);

  const started = Date.now();
  const engine = await openCliEngine({
    backend,
    model: resolveModelDir(v.model),
    note: (text) => io.stderr.write(`${text}\n`),
  });
  const { resolution } = engine.model;
  for (const p of pairs) {
    const outside = [p.handle, p.target].find((q) => q.x < 0 || q.y < 0 || q.x >= resolution || q.y >= resolution);
    if (outside)
      throw usage(
        `the point ${outside.x},${outside.y} is outside the model's ${resolution} x ${resolution} image of the key frame`,
      );
  }
  const hp = { ...engine.model.defaults, maxSteps: DEFAULT_STEPS, ...given };
  // the frames are the model's own square: a landmark net reads them as they are only where that square is the net's
  // framing (procedural faces); the photo net needs a face box, and an unaligned model's square may hold no face
  const hasLandmarkNet = engine.model.faceModel === 'procedural' && engine.model.alignment === 'procedural';
  let detector: Awaited<ReturnType<typeof openBundledLandmarkDetector>> | undefined;
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    if (hasLandmarkNet) detector = await openBundledLandmarkDetector();
    const bars = {
      invert: createProgress(io.stderr, 'invert frames', clip.length),
      drag: createProgress(io.stderr, 'drag frames', clip.length),
    };
    // with --frames-out the work is kept as it is done, and the same command resumes it
    const kept =
      v['frames-out'] === undefined
        ? undefined
        : folderClipStore(v['frames-out'], {
            clip: sources[0],
            frames: clip.length,
            key,
            pairs,
            hp,
            invertSteps,
            warmSteps,
            model: engine.model.id,
          });
    if (kept && kept.resumed > 0)
      io.stderr.write(`resuming: ${kept.resumed} frames already inverted in ${v['frames-out']}\n`);
    const r = await dragClip(engine, clip, {
      key,
      pairs,
      hp,
      invertSteps,
      warmInvertSteps: warmSteps,
      signal: ac.signal,
      store: kept?.store,
      onProgress: (stage, done, total) => {
        bars[stage].update(done);
        if (done === total) bars[stage].finish();
      },
    });
    if (r.frames.length === 0) throw usage('stopped before any frame was dragged: nothing written');
    const images = r.frames.map((f) => f.image);
    const { width, height } = images[0];
    const played = frameTimeline(images.length, { ease: flags.has('ease'), loop: flags.has('loop') }).map(
      (i) => images[i].data,
    );
    const files = [{ path: v.out, what: 'video', data: await encodeMp4(played, width, height) }];
    if (v['frames-out'] !== undefined) {
      for (const f of r.frames)
        files.push({
          path: join(v['frames-out'], `frame_${String(f.index).padStart(4, '0')}.png`),
          what: 'frame',
          data: encodePng(dropAlpha(width, height, f.image.data)),
        });
    }
    writeUserFiles(files);

    const marks =
      detector &&
      (await clipLandmarkProgress(
        detector,
        clip,
        r.frames,
        { index: key, handles: pairs.map((p) => p.handle) },
        resolution,
      ));
    const done = new Set(r.frames.map((f) => f.index));
    const fl = flicker(
      clip.filter((_, i) => done.has(i)),
      images,
      resolution,
    );
    const coldRuns = r.frames.filter((f) => !f.inversion.warm).map((f) => f.inversion);
    const warmRuns = r.frames.filter((f) => f.inversion.warm).map((f) => f.inversion);
    const cold = coldRuns.map((i) => i.seconds);
    const warm = warmRuns.map((i) => i.seconds);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const seconds = (Date.now() - started) / 1000;
    const summary = {
      command: 'video',
      frames: clip.length,
      dragged: r.frames.length,
      cancelled: r.cancelled,
      key,
      flicker: { input: round2(fl.input), output: round2(fl.output), ratio: round2(fl.ratio) },
      inversion: {
        coldSeconds: round2(mean(cold)),
        warmSecondsMean: round2(mean(warm)),
        warmOverCold: round2(mean(warm) / mean(cold)),
        // the same ratio in steps run: the work saved, whatever else the machine is doing
        coldSteps: round2(mean(coldRuns.map((i) => i.steps))),
        warmStepsMean: round2(mean(warmRuns.map((i) => i.steps))),
        warmOverColdSteps: round2(mean(warmRuns.map((i) => i.steps)) / mean(coldRuns.map((i) => i.steps))),
      },
      minProgress: round2(Math.min(...r.frames.flatMap((f) => f.progress))),
      // null: the model has no landmark net for its frames
      minLandmarkProgress: marks ? round2(Math.min(...marks.progress.flat())) : null,
      landmarks: marks ? marks.nearest.map((n) => ({ name: n.name, distanceFromHandle: round2(n.distance) })) : null,
      secondsPerFrame: round2(seconds / r.frames.length),
      seconds: round2(seconds),
      perFrame: r.frames.map((f, i) => ({
        frame: f.index,
        psnr: round2(f.inversion.psnr),
        inversionSeconds: round2(f.inversion.seconds),
        warm: f.inversion.warm,
        handles: f.handles.map((p) => [p.x, p.y]),
        targets: f.targets.map((p) => [p.x, p.y]),
        reached: f.reached.map((p) => [p.x, p.y]),
        progress: f.progress.map(round2),
        landmarkProgress: marks ? marks.progress[i].map(round2) : null,
        dragSteps: f.dragSteps,
        dragSeconds: round2(f.dragSeconds),
      })),
      out: v.out,
    };
    if (v.report !== undefined) writeUserFile(v.report, 'report', `${JSON.stringify(summary, null, 1)}\n`);
    if (flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      io.stdout.write(`frame\tPSNR_dB\tinvert_s\twarm\ttracked\tlandmark\tdrag_steps\tdrag_s\n`);
      for (const f of summary.perFrame)
        io.stdout.write(
          `${f.frame}\t${f.psnr}\t${f.inversionSeconds}\t${f.warm}\t${f.progress.join(',')}\t${f.landmarkProgress?.join(',') ?? 'n/a'}\t${f.dragSteps}\t${f.dragSeconds}\n`,
        );
      const landmarkLine =
        summary.minLandmarkProgress === null || summary.landmarks === null
          ? 'landmarks n/a (the model has no landmark net for its frames)'
          : `by the landmark detector (${summary.landmarks.map((n) => `${n.name}, ${n.distanceFromHandle} px from its handle`).join('; ')}) ${Math.round(summary.minLandmarkProgress * 100)}%`;
      io.stdout.write(
        `${r.cancelled ? 'stopped' : 'done'}: ${r.frames.length} of ${clip.length} frames in ${summary.seconds} s (${summary.secondsPerFrame} s a frame); ` +
          `flicker ${summary.flicker.output} vs the input's ${summary.flicker.input} (x${summary.flicker.ratio}); ` +
          `warm inversion ${summary.inversion.warmSecondsMean} s vs cold ${summary.inversion.coldSeconds} s (x${summary.inversion.warmOverCold}; ${summary.inversion.warmStepsMean} steps vs ${summary.inversion.coldSteps}); ` +
          `every handle at least ${Math.round(summary.minProgress * 100)}% of the way tracked, ${landmarkLine}; wrote ${v.out}\n`,
      );
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await Promise.all([engine.release(), detector?.release?.()]);
  }
}

/** A bar for a video's decoding, made once its frame count is known. */
function decodeProgress(io: CliIo): (done: number, total: number) => void {
  let bar: ReturnType<typeof createProgress> | undefined;
  return (done, total) => {
    bar ??= createProgress(io.stderr, 'decode frames', total);
    bar.update(done);
    if (done === total) bar.finish();
  };
}

/** The --frames-out folder, made if missing (kept between runs: it holds the work a rerun resumes). */
function makeFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file of that name is in the way; name a folder'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (e as Error).message;
    throw new UserFixableError(`cannot make the frames folder ${path}: ${why}`);
  }
}
