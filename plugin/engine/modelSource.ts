/**
 * Where a model comes from, as plain data where it can be: a Web Worker is handed the source and loads the model
 * itself, so neither the download, the parse nor a checkpoint import ever runs on a page's main thread.
 */
import { byteSourceOf, type CheckpointFile } from '../model/byteSource';
import { importCheckpointFrom } from '../model/importCheckpoint';
import { parseModelPackage, type ModelPackage } from '../model/modelPackage';
import { ModelConfigError } from './core/errors';

export type ModelSource =
  /** A model folder (model.json + weights.safetensors) at an absolute URL ending in '/'. */
  | { kind: 'url'; dir: string }
  /**
   * An official StyleGAN2 .pkl, imported where it is loaded (nothing in it is executed), read a part at a time. A
   * page's worker gets the picked File itself (a Blob crosses without a copy); a ByteSource cannot cross.
   */
  | { kind: 'checkpoint'; name: string; file: CheckpointFile }
  /** A package the host loads itself (Photoshop reads its plugin folder); cannot cross to a worker. */
  | { kind: 'package'; load(): Promise<ModelPackage> };

async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ModelConfigError(`cannot load ${url} (${e instanceof Error ? e.message : String(e)}); is the model folder served there?`);
  }
  if (!res.ok) throw new ModelConfigError(`cannot load ${url} (HTTP ${res.status}); is the model folder there?`);
  return res;
}

export async function loadModelSource(source: ModelSource): Promise<ModelPackage> {
  switch (source.kind) {
    case 'url': {
      const [json, weights] = await Promise.all([fetchOk(`${source.dir}model.json`).then((r) => r.text()), fetchOk(`${source.dir}weights.safetensors`).then((r) => r.arrayBuffer())]);
      return parseModelPackage(json, new Uint8Array(weights));
    }
    case 'checkpoint':
      return importCheckpointFrom(byteSourceOf(source.file), { name: source.name.replace(/\.pkl$/i, '') });
    case 'package':
      return source.load();
  }
}
