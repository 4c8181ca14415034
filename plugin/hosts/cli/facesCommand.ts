import { escapeControls } from '../../codecs/printable';
import type { Point } from '../../core/types';
import { FaceFinder, type Face } from '../../faces/faceFinder';
import { startNodeRuntime } from '../node/backends';
import { readFaceModelFiles } from '../node/faceModelFiles';
import { intOption, numberOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { readImageFile } from './invertCommand';
import { UserFixableError } from '../../core/errors';
import { onnxLandmarkDetector } from '../../eval/landmarkDetector';
import { searchFaces } from '../../faces/landmarkFaceSearch';
import { readLandmarkDetectorFiles } from '../node/landmarkDetectorFiles';
import { createProgress, type Progress } from '../node/progress';

type FacesOption = 'image' | 'min-confidence' | 'detector-size' | 'backend' | 'json' | 'face-model';

export const facesSpec: CommandSpec<FacesOption> = {
  name: 'faces',
  options: {
    image: 'value',
    'min-confidence': 'value',
    'detector-size': 'value',
    backend: 'value',
    json: 'flag',
    'face-model': 'value',
  },
  positionals: [],
};

/** The iBUG 300-W groups, for the readable listing. */
const GROUPS: readonly [string, number, number][] = [
  ['jaw', 0, 16],
  ['brows', 17, 26],
  ['nose', 27, 35],
  ['eyes', 36, 47],
  ['mouth', 48, 67],
];

const r2 = (v: number): number => Math.round(v * 100) / 100;
const pt = (p: Point): string => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;

function describe(face: Face, i: number): string {
  const b = face.box;
  const lines = [
    `face ${i + 1}: confidence ${face.confidence.toFixed(3)}, box x ${b.x.toFixed(1)} y ${b.y.toFixed(1)} width ${b.width.toFixed(1)} height ${b.height.toFixed(1)}`,
  ];
  for (const [name, from, to] of GROUPS)
    lines.push(
      `  ${`${name} (${from}-${to}):`.padEnd(17)}${face.landmarks
        .slice(from, to + 1)
        .map(pt)
        .join(' ')}`,
    );
  return lines.join('\n');
}

/** `draggan faces`: every face the photo face finder sees, with its 68 landmarks, in the image's pixels. */
export async function facesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags } = parseArgs(facesSpec, argv);
  if (v.image === undefined) throw new UsageError('--image photo.jpg is required', 'faces');
  const minConfidence =
    v['min-confidence'] === undefined ? undefined : numberOption('faces', 'min-confidence', v['min-confidence']);
  if (minConfidence !== undefined && (minConfidence <= 0 || minConfidence >= 1)) {
    throw new UsageError(`--min-confidence must be between 0 and 1 (exclusive), got ${minConfidence}`, 'faces');
  }
  const detectorSize =
    v['detector-size'] === undefined ? undefined : intOption('faces', 'detector-size', v['detector-size'], 64, 2048);
  if (detectorSize !== undefined && detectorSize % 32 !== 0)
    throw new UsageError(`--detector-size must be a multiple of 32, got ${detectorSize}`, 'faces');
  const backend = v.backend ?? 'cpu';
  if (backend === 'remote') throw new UsageError('faces runs here: --backend cpu, cuda or wasm', 'faces');
  const faceModel = v['face-model'] ?? 'photo';
  if (faceModel !== 'photo' && faceModel !== 'procedural')
    throw new UsageError(`--face-model must be photo or procedural, got ${faceModel}`, 'faces');
  if (faceModel === 'procedural' && (minConfidence !== undefined || detectorSize !== undefined))
    throw new UsageError('--min-confidence and --detector-size are for the photo face finder', 'faces');
  // the image first: a bad file fails before the models load
  const image = readImageFile(v.image);
  if (faceModel === 'procedural') return proceduralFaces(v.image, image, backend, flags.has('json'), io);
  const files = readFaceModelFiles();
  const { runtime, notes } = await startNodeRuntime(backend);
  for (const note of notes) io.stderr.write(`${note}\n`);
  const finder = await FaceFinder.create(runtime, files);
  try {
    const started = Date.now();
    const faces = await finder.find(
      { width: image.width, height: image.height, channels: image.channels === 4 ? 4 : 3, data: image.data },
      { minConfidence, detectorSize },
    );
    const seconds = (Date.now() - started) / 1000;
    if (flags.has('json')) {
      const summary = {
        command: 'faces',
        image: v.image,
        width: image.width,
        height: image.height,
        seconds,
        faces: faces.map((f) => ({
          box: { x: r2(f.box.x), y: r2(f.box.y), width: r2(f.box.width), height: r2(f.box.height) },
          confidence: Math.round(f.confidence * 1e4) / 1e4,
          landmarks: f.landmarks.map((p) => ({ x: r2(p.x), y: r2(p.y) })),
        })),
      };
      io.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      const name = escapeControls(v.image, []);
      io.stdout.write(
        `${name} (${image.width}x${image.height}): ${faces.length === 1 ? '1 face' : `${faces.length} faces`} in ${seconds.toFixed(2)} s; x = column, pixel centres at whole numbers\n`,
      );
      faces.forEach((f, i) => io.stdout.write(`${describe(f, i)}\n`));
    }
    return 0;
  } finally {
    await finder.release();
  }
}

/**
 * `draggan faces --face-model procedural`: the bundled model's own faces, found by its landmark net searched over the
 * picture (seconds: a progress bar on stderr), each with the net's named points.
 */
async function proceduralFaces(
  file: string,
  image: ReturnType<typeof readImageFile>,
  backend: string,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const { runtime, notes } = await startNodeRuntime(backend);
  for (const note of notes) io.stderr.write(`${note}\n`);
  const files = readLandmarkDetectorFiles();
  const meanFace = files.card.mean_face;
  if (!meanFace)
    throw new UserFixableError(
      "the landmark detector's card has no mean_face (run models/landmarks/mean_face.py): it cannot frame faces in larger pictures",
    );
  const detector = await onnxLandmarkDetector(runtime, files.onnx, files.card);
  try {
    const started = Date.now();
    let bar: Progress | undefined;
    const faces = await searchFaces(
      detector,
      { width: image.width, height: image.height, channels: image.channels === 4 ? 4 : 3, data: image.data },
      meanFace.map(([x, y]) => ({ x, y })),
      {
        onProgress: (p) => {
          bar ??= createProgress(io.stderr, 'faces', p.total);
          bar.update(p.done, 'crops read');
        },
      },
    );
    bar?.finish(faces.length === 1 ? '1 face' : `${faces.length} faces`);
    const seconds = (Date.now() - started) / 1000;
    if (json) {
      const summary = {
        command: 'faces',
        faceModel: 'procedural',
        image: file,
        width: image.width,
        height: image.height,
        seconds,
        faces: faces.map((f) => ({
          box: { x: r2(f.box.x), y: r2(f.box.y), width: r2(f.box.width), height: r2(f.box.height) },
          confidence: Math.round(f.confidence * 1e4) / 1e4,
          landmarks: f.landmarks.map((p, i) => ({ name: detector.names[i], x: r2(p.x), y: r2(p.y) })),
        })),
      };
      io.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    }
    io.stdout.write(
      `${escapeControls(file, [])} (${image.width}x${image.height}): ${faces.length === 1 ? '1 face' : `${faces.length} faces`} of the bundled model in ${seconds.toFixed(2)} s; x = column, pixel centres at whole numbers\n`,
    );
    faces.forEach((f, i) => {
      const b = f.box;
      io.stdout.write(
        `face ${i + 1}: confidence ${f.confidence.toFixed(3)}, box x ${b.x.toFixed(1)} y ${b.y.toFixed(1)} width ${b.width.toFixed(1)} height ${b.height.toFixed(1)}\n` +
          `  ${f.landmarks.map((p, k) => `${detector.names[k]} ${pt(p)}`).join(', ')}\n`,
      );
    });
    return 0;
  } finally {
    await detector.release?.();
  }
}
