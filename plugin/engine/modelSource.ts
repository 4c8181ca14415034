/**
 * Where a model comes from, as plain data where it can be: a Web Worker is handed the source and loads the model
 * itself, so neither the download, the parse nor a checkpoint import ever runs on a page's main thread.
 */
import { concatBytes } from '../codecs/concatBytes';
import { decodeUtf8 } from '../codecs/utf8';
import { byteSourceOf, type CheckpointFile } from '../model/byteSource';
import { importCheckpointFrom } from '../model/importCheckpoint';
import type { ImportOptions } from '../model/importOptions';
import { parseModelPackage, type ModelPackage } from '../model/modelPackage';
import { ModelConfigError } from '../core/errors';

export type ModelSource =
  /** A model folder (model.json + weights.safetensors) at an absolute URL ending in '/'. */
  | { kind: 'url'; dir: string }
  /**
   * An official StyleGAN2 .pkl, imported where it is loaded (nothing in it is executed), read a part at a time. A
   * page's worker gets the picked File itself (a Blob crosses without a copy); a ByteSource cannot cross. `options`
   * (plain data) say what the checkpoint does not, e.g. a catalog model's title, licence and alignment.
   */
  | { kind: 'checkpoint'; name: string; file: CheckpointFile; options?: ImportOptions }
  /** A package the host loads itself (Photoshop reads its plugin folder); cannot cross to a worker. */
  | { kind: 'package'; load(): Promise<ModelPackage> };

async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ModelConfigError(
      `cannot load ${url} (${e instanceof Error ? e.message : String(e)}); is the model folder served there?`,
    );
  }
  if (!res.ok) throw new ModelConfigError(`cannot load ${url} (HTTP ${res.status}); is the model folder there?`);
  return res;
}

/**
 * The most a model folder's files may take: the largest StyleGAN2 generator (1024 px) has about 120 MB of float32
 * weights. A larger file is refused from its Content-Length, or once that many bytes arrived when it has none, so a
 * page never holds gigabytes of a wrong or hostile file.
 */
export const MODEL_DOWNLOAD_LIMITS = { modelJsonBytes: 16 * 2 ** 20, weightsBytes: 512 * 2 ** 20 };

const mb = (n: number): string => `${Math.round(n / 2 ** 20)} MB`;

async function fetchCapped(url: string, maxBytes: number): Promise<Uint8Array> {
  const res = await fetchOk(url);
  const tooLarge = () =>
    new ModelConfigError(
      `${url} is larger than ${mb(maxBytes)}, more than a model's file takes; is it the right folder?`,
    );
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

export async function loadModelSource(source: ModelSource): Promise<ModelPackage> {
  switch (source.kind) {
    case 'url': {
      const [json, weights] = await Promise.all([
        fetchCapped(`${source.dir}model.json`, MODEL_DOWNLOAD_LIMITS.modelJsonBytes),
        fetchCapped(`${source.dir}weights.safetensors`, MODEL_DOWNLOAD_LIMITS.weightsBytes),
      ]);
      return parseModelPackage(decodeUtf8(json), weights);
    }
    case 'checkpoint':
      return importCheckpointFrom(byteSourceOf(source.file), {
        name: source.name.replace(/\.pkl$/i, ''),
        ...source.options,
      });
    case 'package':
      return source.load();
  }
}
