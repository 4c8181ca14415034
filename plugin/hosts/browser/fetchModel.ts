/** Loads a model package folder (model.json + weights.safetensors) over HTTP. */
import { parseModelPackage, type ModelPackage } from '../../model/modelPackage';
import type { ModelEntry } from '../../ui/hostPort';

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url} (HTTP ${res.status}); is the model folder there?`);
  return res;
}

export async function fetchModelPackage(dir: string): Promise<ModelPackage> {
  const [json, weights] = await Promise.all([fetchOk(`${dir}model.json`).then((r) => r.text()), fetchOk(`${dir}weights.safetensors`).then((r) => r.arrayBuffer())]);
  return parseModelPackage(json, new Uint8Array(weights));
}

/** The folder's model as a picker entry, labelled from its model.json. */
export async function modelEntryAt(dir: string): Promise<ModelEntry> {
  const cfg: unknown = await (await fetchOk(`${dir}model.json`)).json();
  const o = typeof cfg === 'object' && cfg !== null ? (cfg as { name?: unknown; img_resolution?: unknown }) : {};
  const name = typeof o.name === 'string' ? o.name : 'model';
  const res = typeof o.img_resolution === 'number' ? `${o.img_resolution} px` : '';
  let cached: Promise<ModelPackage> | undefined;
  return { id: `url:${dir}`, label: `${name}${res ? ` (${res})` : ''}`, load: () => (cached ??= fetchModelPackage(dir)) };
}
