import { alignTransformJson, parseLandmarks } from '../../faces/faceJson';
import { ffhqAlign } from '../../faces/ffhqAlign';
import { encodePng } from '../node/pngEncode';
import { writeUserFile } from '../node/userFiles';
import { intOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { rasterOf, readJsonFile, readModelCard, readPhoto } from './faceFiles';
import { resolveModelDir } from './generateCommand';

type AlignOption = 'image' | 'landmarks' | 'face' | 'model' | 'resolution' | 'out' | 'transform' | 'json';

export const alignSpec: CommandSpec<AlignOption> = {
  name: 'align',
  options: {
    image: 'value',
    landmarks: 'value',
    face: 'value',
    model: 'value',
    resolution: 'value',
    out: 'value',
    transform: 'value',
    json: 'flag',
  },
  positionals: [],
};

/** `draggan align`: a face of a photo, cut out as the FFHQ dataset was, and the transform back to the photo. */
export async function alignCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags } = parseArgs(alignSpec, argv);
  const usage = (msg: string) => new UsageError(msg, 'align');
  if (v.image === undefined) throw usage('--image photo.png is required');
  if (v.landmarks === undefined)
    throw usage('--landmarks face.json is required (68 points, e.g. from draggan faces --json)');
  if (v.out === undefined) throw usage('--out crop.png is required');
  if (v.resolution !== undefined && v.model !== undefined) throw usage('give --resolution or --model, not both');
  const face = v.face === undefined ? 0 : intOption('align', 'face', v.face, 0, 1000);
  let resolution: number;
  let note = '';
  if (v.resolution !== undefined) {
    resolution = intOption('align', 'resolution', v.resolution, 8, 4096);
  } else {
    const dir = resolveModelDir(v.model);
    const card = readModelCard(dir);
    resolution = card.img_resolution;
    if (card.alignment !== 'ffhq')
      note = `note: model.json of ${dir} asks for alignment '${card.alignment}'; this crop is FFHQ-aligned all the same\n`;
  }
  const started = Date.now();
  const landmarks = parseLandmarks(readJsonFile(v.landmarks, 'landmarks'), v.landmarks, face);
  const { image: photo } = readPhoto(v.image);
  const aligned = ffhqAlign(photo, landmarks, resolution);
  writeUserFile(v.out, 'image', encodePng(rasterOf(aligned.image, false)));
  const transform = alignTransformJson(aligned, photo.width, photo.height);
  if (v.transform !== undefined) writeUserFile(v.transform, 'transform', `${JSON.stringify(transform, null, 2)}\n`);
  if (note) io.stderr.write(note);
  const seconds = (Date.now() - started) / 1000;
  if (flags.has('json')) {
    io.stdout.write(
      `${JSON.stringify({ command: 'align', image: v.image, out: v.out, transform: v.transform ?? null, resolution, faceSize: aligned.quad.size, toPhoto: transform.toPhoto, seconds })}\n`,
    );
  } else {
    io.stdout.write(
      `wrote ${v.out} (${resolution}x${resolution}, face square ${aligned.quad.size.toFixed(0)} px in the photo${v.transform ? `; transform in ${v.transform}` : ''}, ${seconds.toFixed(1)} s)\n`,
    );
  }
  return 0;
}
