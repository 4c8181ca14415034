/**
 * Official-shaped training snapshots made here, PyTorch-free: {training_set_kwargs, G, D, G_ema, augment_pipe} in
 * the order stylegan2-ada-pytorch's training loop pickles them, every storage a nested legacy torch stream. G and
 * G_ema have the same shapes and different values; D is a stand-in network of about G's size that the importer must
 * skip. At 512 px (ffhqShapeConfig) the file is ~360 MB, the size of the official checkpoints.
 */
import { ffhqShapeConfig } from '../../plugin/model/randomModel';
import { rng } from '../helpers/random';
import { PV, dict, floatStorage, persistentModule, pickleParts, tensor } from './bombs/pickleWriter';
import { generator, jsonToPv, shapesOf } from './bombs/recipes';

function randomTensor(shape: number[], seed: number): PV {
  const r = rng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = r() - 0.5;
  return tensor(floatStorage(values), shape);
}

function network(kwargs: object, seed: number): PV {
  let i = 0;
  return generator(jsonToPv(kwargs), shapesOf(kwargs), (_name, shape) => randomTensor(shape, seed * 100_000 + i++));
}

/** A discriminator stand-in: 3x3 convolutions of `channels` until it has about `parameters` values. */
function discriminator(parameters: number, channels: number, seed: number): PV {
  const shape = [channels, channels, 3, 3];
  const n = Math.max(1, Math.round(parameters / (channels * channels * 9)));
  const params: [string, PV][] = [];
  for (let i = 0; i < n; i++) params.push([`conv${i}`, randomTensor(shape, seed * 100_000 + i)]);
  return persistentModule('Discriminator', { params });
}

export function parameterCount(kwargs: object): number {
  return [...shapesOf(kwargs).values()].reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
}

/** The snapshot's bytes as parts, to write one after another (a 512 px snapshot is not one buffer). */
export function trainingSnapshotParts(kwargs: object, dChannels = 32): Uint8Array[] {
  return pickleParts(
    dict({
      training_set_kwargs: dict({ class_name: 'training.dataset.ImageFolderDataset', resolution: 0 }),
      G: network(kwargs, 1),
      D: discriminator(parameterCount(kwargs), dChannels, 2),
      G_ema: network(kwargs, 3),
      augment_pipe: null,
    }),
  );
}

/** The init kwargs of the official FFHQ generator at `resolution` (no name, alignment or DragGAN settings). */
export function ffhqKwargs(resolution: number): object {
  const {
    name: _n,
    description: _d,
    license: _l,
    domain: _m,
    alignment: _a,
    face_model: _f,
    draggan: _g,
    ...kwargs
  } = ffhqShapeConfig(resolution);
  return kwargs;
}
