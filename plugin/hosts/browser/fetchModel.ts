/** The page's model folder (served next to it) as a picker entry, labelled from its model.json. */
import { UserFixableError } from '../../engine/core/errors';
import type { ModelEntry } from '../../ui/hostPort';

export async function modelEntryAt(dir: string): Promise<ModelEntry> {
  const absolute = new URL(dir, document.baseURI).href;
  const url = `${absolute}model.json`;
  const res = await fetch(url);
  if (!res.ok) throw new UserFixableError(`cannot load ${url} (HTTP ${res.status}); is the model folder there?`);
  const cfg: unknown = await res.json();
  const o = typeof cfg === 'object' && cfg !== null ? (cfg as { name?: unknown; img_resolution?: unknown }) : {};
  const name = typeof o.name === 'string' ? o.name : 'model';
  const size = typeof o.img_resolution === 'number' ? `${o.img_resolution} px` : '';
  return { id: `url:${absolute}`, label: `${name}${size ? ` (${size})` : ''}`, source: { kind: 'url', dir: absolute } };
}
