import { UserFixableError } from '../../core/errors';
import { compositeEdit } from '../../faces/compositeEdit';
import type { GreyImage8 } from '../../faces/editMask';
import { parseAlignTransform } from '../../faces/faceJson';
import { encodePng } from '../node/pngEncode';
import { writeUserFile } from '../node/userFiles';
import { parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';
import { greyRasterOf, rasterOf, readJsonFile, readPhoto } from './faceFiles';

type CompositeOption = 'image' | 'transform' | 'reconstruction' | 'edited' | 'selection' | 'out' | 'mask-out' | 'json';

export const compositeSpec: CommandSpec<CompositeOption> = {
  name: 'composite',
  options: {
    image: 'value',
    transform: 'value',
    reconstruction: 'value',
    edited: 'value',
    selection: 'value',
    out: 'value',
    'mask-out': 'value',
    json: 'flag',
  },
  positionals: [],
};

/** A selection image as a mask: its grey level (the mean of R, G, B) times its alpha. */
function selectionOf(path: string, width: number, height: number): GreyImage8 {
  const { image } = readPhoto(path);
  if (image.width !== width || image.height !== height)
    throw new UserFixableError(
      `the selection ${path} is ${image.width}x${image.height}; it must be the photo's size, ${width}x${height}`,
    );
  const data = new Uint8ClampedArray(width * height);
  for (let i = 0; i < width * height; i++)
    data[i] = ((image.data[4 * i] + image.data[4 * i + 1] + image.data[4 * i + 2]) / 3) * (image.data[4 * i + 3] / 255);
  return { width, height, data };
}

/** `draggan composite`: an edit of an aligned crop put back into the full-size photo, keeping the photo's detail. */
export async function compositeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, flags } = parseArgs(compositeSpec, argv);
  const usage = (msg: string) => new UsageError(msg, 'composite');
  for (const [name, what] of [
    ['image', 'photo.png'],
    ['transform', 't.json'],
    ['reconstruction', 'recon.png'],
    ['edited', 'edited.png'],
    ['out', 'result.png'],
  ] as const) {
    if (v[name] === undefined) throw usage(`--${name} ${what} is required`);
  }
  const started = Date.now();
  const transform = parseAlignTransform(readJsonFile(v.transform!, 'transform'), v.transform!);
  const { image: photo, alpha } = readPhoto(v.image!);
  if (photo.width !== transform.photo.width || photo.height !== transform.photo.height) {
    throw new UserFixableError(
      `the transform ${v.transform} was made for a ${transform.photo.width}x${transform.photo.height} photo; ${v.image} is ${photo.width}x${photo.height}`,
    );
  }
  const recon = readPhoto(v.reconstruction!).image;
  const edited = readPhoto(v.edited!).image;
  for (const [name, img] of [
    ['reconstruction', recon],
    ['edited', edited],
  ] as const) {
    if (img.width !== transform.resolution || img.height !== transform.resolution) {
      throw new UserFixableError(
        `--${name} is ${img.width}x${img.height}; the aligned crop was ${transform.resolution}x${transform.resolution}`,
      );
    }
  }
  const selection = v.selection === undefined ? undefined : selectionOf(v.selection, photo.width, photo.height);
  const result = compositeEdit(photo, transform.toPhoto, recon, edited, { selection });
  writeUserFile(v.out!, 'image', encodePng(rasterOf(result.image, alpha)));
  if (v['mask-out'] !== undefined) writeUserFile(v['mask-out'], 'mask', encodePng(greyRasterOf(result.mask)));
  const seconds = (Date.now() - started) / 1000;
  if (flags.has('json')) {
    io.stdout.write(
      `${JSON.stringify({ command: 'composite', out: v.out, mask: v['mask-out'] ?? null, bounds: result.bounds, width: photo.width, height: photo.height, seconds })}\n`,
    );
  } else {
    const b = result.bounds;
    io.stdout.write(
      `wrote ${v.out} (${photo.width}x${photo.height}; ${b ? `changed within ${b.width}x${b.height} at (${b.x}, ${b.y})` : 'the edit changed nothing'}, ${seconds.toFixed(1)} s)\n`,
    );
  }
  return 0;
}
