import type { Image8 } from '../../codecs/image8';
import { DragInputError, FaceInputError } from '../../core/errors';
import { limitProblem } from '../../core/limits';
import type { FaceAlignment, FaceModelKind, HandleTarget, Point } from '../../core/types';
import type { Engine } from '../../engine/engine';
import { applyAffine, invertAffine, type Affine } from '../../faces/affine';
import { compositeEdit } from '../../faces/compositeEdit';
import type { FaceInPhoto } from '../../faces/facesInPhoto';
import { NoFaceError } from '../../faces/noFaceError';
import { suggestPairs, type PresetPair, type PresetRequest } from '../../faces/presets';
import { squareCropToPhoto } from '../../faces/squareCrop';
import { modelCrop } from '../../invert/prepareImage';
import { openFaces } from '../node/openFaces';
import { createProgress, type Progress, type TextStream } from '../node/progress';
import { encodePng } from '../node/pngEncode';
import { writeUserFile } from '../node/userFiles';
import { intOption, limitOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { openCliEngine } from './editEngine';
import { greyRasterOf, rasterOf, readPhoto } from './faceFiles';
import { resolveModelDir } from './generateCommand';
import {
  hyperParameterOptions,
  hyperParametersFromArgs,
  methodsFromArgs,
  type HyperParameterOption,
} from './hyperParameterArgs';
import { parsePointArg } from './pointArgs';
import { presetRequestsFromArgs } from './presetArgs';
import { describePresetPairs, placePresetPairs } from './presetPoints';

type PhotoOption =
  | 'model'
  | 'image'
  | 'face'
  | 'point'
  | 'preset'
  | 'strength'
  | 'invert-steps'
  | 'time-limit'
  | HyperParameterOption
  | 'backend'
  | 'out'
  | 'crop-out'
  | 'mask-out'
  | 'report'
  | 'json';

export const photoSpec: CommandSpec<PhotoOption> = {
  name: 'photo',
  options: {
    model: 'value',
    image: 'value',
    face: 'value',
    point: 'list',
    preset: 'list',
    strength: 'value',
    'invert-steps': 'value',
    'time-limit': 'value',
    ...hyperParameterOptions(),
    backend: 'value',
    out: 'value',
    'crop-out': 'value',
    'mask-out': 'value',
    report: 'value',
    json: 'flag',
  },
  positionals: [],
};

/** The part of the photo the model sees: its pixels at the model's resolution, and the way back to the photo. */
interface Framing {
  /** What the model inverts: the aligned face, or the whole photo (the engine fits its centred square). */
  input: Image8;
  /** Model pixel -> photo pixel, once known (for the centred square, after the inversion chose it). */
  toPhoto?: Affine;
  face?: FaceInPhoto & { index: number; of: number };
  how: string;
}

/** What each alignment says it did, for the summary line. */
const ALIGNED_AS: Record<FaceAlignment, string> = {
  ffhq: 'aligned as in FFHQ',
  procedural: "aligned as the model's training faces were drawn",
  none: '',
};

/** What a model of each face finder edits, for the message when a photo shows none. */
const EDITS: Record<FaceModelKind, string> = {
  photo:
    'this model edits photographed faces. Use a photo where a face is visible, roughly frontal and at least about 80 pixels across, or a model made for this kind of picture',
  procedural:
    "this model edits only its own cartoon faces (the bundled demo model, 128 px), not photographs. Use an image of one of its faces at least a tenth of the picture's short side (and 48 pixels) across, or an FFHQ model for photos",
};

async function frame(
  engine: Engine,
  photo: Image8,
  name: string,
  faceIndex: number,
  stderr: TextStream,
): Promise<Framing> {
  const { alignment, faceModel, resolution } = engine.model;
  if (alignment === 'none') return { input: photo, how: 'the centred square (the model asks for no face alignment)' };
  const finder = await openFaces(faceModel);
  try {
    // the bar is drawn once the search knows how many crops it will read
    let bar: Progress | undefined;
    const faces = await finder.find(photo, {
      onProgress: (p) => {
        bar ??= createProgress(stderr, 'faces', p.total);
        bar.update(p.done, 'crops read');
      },
    });
    bar?.finish(`${faces.length === 1 ? '1 face' : `${faces.length} faces`}`);
    if (faces.length === 0)
      throw new NoFaceError(`no face was found in ${name} by the ${finder.label}: ${EDITS[faceModel]}`);
    if (faceIndex > faces.length)
      throw new FaceInputError(
        `--face ${faceIndex}: ${name} has ${faces.length === 1 ? 'one face' : `${faces.length} faces`} (draggan faces --image lists them)`,
      );
    const face = { ...faces[faceIndex - 1], index: faceIndex, of: faces.length };
    const aligned = face.frame(photo, alignment, resolution);
    return {
      input: aligned.image,
      toPhoto: aligned.toPhoto,
      face,
      how: `face ${face.index} of ${face.of}, ${ALIGNED_AS[alignment]}`,
    };
  } finally {
    await finder.release();
  }
}

/** A point the user gave in the photo's pixels, in the model's: refused when it falls outside what the model sees. */
function toModelPixels(p: Point, toModel: Affine, width: number, height: number, what: string): Point {
  const q = applyAffine(toModel, p);
  if (!(q.x >= 0 && q.y >= 0 && q.x <= width - 1 && q.y <= height - 1)) {
    throw new DragInputError(
      `the ${what} (${p.x}, ${p.y}) lies outside the part of the photo the model edits; --crop-out shows that part`,
    );
  }
  return q;
}

/**
 * The presets' pairs in the model's pixels: from the landmarks of the face found in the photo, carried through the
 * alignment, when the face was aligned; else from the face finder the model's card names, run on the reconstruction.
 */
async function placePresets(
  presets: readonly PresetRequest[],
  framing: Framing,
  toModel: Affine,
  reconstruction: Image8,
  faceModel: FaceModelKind,
): Promise<PresetPair[]> {
  if (framing.face) return suggestPairs(framing.face.partsIn(toModel), presets, reconstruction);
  return placePresetPairs(reconstruction, presets, faceModel);
}

/**
 * `draggan photo`: a DragGAN edit of a photo, put back at the photo's own size. The model's framing of the photo
 * (the FFHQ face alignment or the centred square), inversion, the drag with points given in the photo's pixels,
 * and the composite that moves the photo's own pixels by what the edit changed.
 */
export async function photoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags, lists } = parseArgs(photoSpec, argv);
  const usage = (msg: string) => new UsageError(msg, 'photo');
  if (v.image === undefined) throw usage('--image photo.jpg is required');
  if (v.out === undefined) throw usage('--out edited.png is required');
  const photoPoints: HandleTarget[] = (lists.point ?? []).map((p) => parsePointArg('photo', p));
  const presets = presetRequestsFromArgs('photo', lists.preset, v.strength);
  if (photoPoints.length === 0 && presets.length === 0)
    throw usage(
      "give at least one --point X,Y:TX,TY in the photo's pixels (handle -> target), or a --preset (e.g. smile)",
    );
  const backend = v.backend ?? 'cpu';
  if (backend === 'remote') throw usage('photo runs here: --backend cpu, cuda or wasm');
  const faceIndex = v.face === undefined ? 1 : intOption('photo', 'face', v.face, 1, 1000);
  const settings = {
    ...hyperParametersFromArgs('photo', v, ['method']),
    method: methodsFromArgs('photo', v.method, false)[0],
  };
  const invertSteps =
    v['invert-steps'] === undefined
      ? undefined
      : limitOption('photo', 'invert-steps', 'invertSteps', v['invert-steps']);
  const timeLimit = v['time-limit'] === undefined ? 55 : intOption('photo', 'time-limit', v['time-limit'], 0, 86400);
  // the photo first: a bad file fails before the model loads
  const { image: photo, alpha } = readPhoto(v.image);
  const started = Date.now();
  const engine = await openCliEngine({
    backend,
    model: resolveModelDir(v.model),
    note: (text) => io.stderr.write(`${text}\n`),
  });
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const res = engine.model.resolution;
    const modelWidth = engine.model.width ?? res;
    const framing = await frame(engine, photo, v.image, faceIndex, io.stderr);
    const invertBar = createProgress(io.stderr, 'invert', invertSteps ?? 300);
    const t0 = Date.now();
    const inv = await engine.invert(
      { width: framing.input.width, height: framing.input.height, channels: 4, data: framing.input.data },
      {
        steps: invertSteps,
        timeBudgetSeconds: invertSteps === undefined && timeLimit > 0 ? timeLimit : undefined,
        signal: ac.signal,
        onProgress: (p) =>
          invertBar.update(p.step, io.stderr.isTTY && p.psnr !== undefined ? `PSNR ${p.psnr.toFixed(1)} dB` : ''),
      },
    );
    invertBar.finish(`PSNR ${inv.psnr.toFixed(2)} dB`);
    const invertSeconds = (Date.now() - t0) / 1000;
    const toPhoto =
      framing.toPhoto ?? squareCropToPhoto(inv.crop ?? modelCrop(photo.width, photo.height, res, modelWidth), res);
    const toModel = invertAffine(toPhoto);
    const given = photoPoints.map((p) => ({
      handle: toModelPixels(p.handle, toModel, modelWidth, res, 'handle'),
      target: toModelPixels(p.target, toModel, modelWidth, res, 'target'),
    }));
    const reconstruction = inv.image ?? (await engine.render(inv.latent));
    const presetPairs =
      presets.length === 0 ? [] : await placePresets(presets, framing, toModel, reconstruction, engine.model.faceModel);
    for (const line of describePresetPairs(presetPairs)) io.stderr.write(`preset ${line}\n`);
    const pairs: HandleTarget[] = [...given, ...presetPairs.map((p) => ({ handle: p.handle, target: p.target }))];
    const tooMany = limitProblem('points', pairs.length);
    if (tooMany) throw usage(tooMany);

    const hp = { ...engine.model.defaults, ...settings };
    const session = await engine.openDrag(inv.latent, hp);
    session.setPoints(pairs);
    const dragBar = createProgress(io.stderr, 'drag', hp.maxSteps);
    const result = await session.run({ signal: ac.signal, onStep: (r) => dragBar.update(r.step, '') });
    dragBar.finish(result.reason);
    const edited = await engine.render(session.latent());

    const t1 = Date.now();
    const composite = compositeEdit(photo, toPhoto, reconstruction, edited);
    const compositeSeconds = (Date.now() - t1) / 1000;
    writeUserFile(v.out, 'image', encodePng(rasterOf(composite.image, alpha)));
    if (v['crop-out'] !== undefined) writeUserFile(v['crop-out'], 'crop', encodePng(rasterOf(edited, false)));
    if (v['mask-out'] !== undefined) writeUserFile(v['mask-out'], 'mask', encodePng(greyRasterOf(composite.mask)));

    const seconds = (Date.now() - started) / 1000;
    const tracked = result.points.map((p) => applyAffine(toPhoto, p));
    const report = {
      command: 'photo',
      image: v.image,
      width: photo.width,
      height: photo.height,
      model: engine.model.name,
      framing: framing.how,
      face: framing.face && {
        index: framing.face.index,
        of: framing.face.of,
        box: framing.face.box,
        confidence: framing.face.confidence,
      },
      toPhoto,
      inversion: { psnr: inv.psnr, steps: inv.steps, seconds: invertSeconds },
      presets: presets.length ? presets : undefined,
      presetPairs: presetPairs.length ? presetPairs : undefined,
      drag: {
        stop: result.reason,
        steps: result.steps,
        handles: pairs.map((p) => p.handle),
        targets: pairs.map((p) => p.target),
        finalPoints: result.points,
      },
      photoPoints: {
        handles: pairs.map((p) => applyAffine(toPhoto, p.handle)),
        targets: pairs.map((p) => applyAffine(toPhoto, p.target)),
        finalPoints: tracked,
      },
      composite: { bounds: composite.bounds, seconds: compositeSeconds },
      seconds,
      out: v.out,
    };
    if (v.report !== undefined) writeUserFile(v.report, 'report', `${JSON.stringify(report, null, 1)}\n`);
    if (flags.has('json')) io.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      const b = composite.bounds;
      io.stdout.write(
        `${framing.how}; inverted to ${inv.psnr.toFixed(1)} dB in ${invertSeconds.toFixed(1)} s; ${result.reason} after ${result.steps} steps; ` +
          `${b ? `changed ${b.width}x${b.height} px at (${b.x}, ${b.y})` : 'nothing changed'}; wrote ${v.out} (${photo.width}x${photo.height}, ${seconds.toFixed(1)} s)\n`,
      );
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await engine.release();
  }
}
