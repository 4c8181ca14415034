/** The page's model folder (served next to it) as a picker entry, labelled from its model.json. */
import { printable } from '../../codecs/printable';
import { sizeWords } from '../../ui/modelSizeWords';
import { UserFixableError } from '../../core/errors';
import type { ModelEntry } from '../../ui/hostPort';

/**
 * The page's model folder as an absolute URL on the page's own site. `?model=` is refused for any other origin and
 * for data: URLs: a link could otherwise make the page download gigabytes from anywhere under the page's name.
 */
function ownModelFolder(dir: string): string {
  const url = new URL(dir, document.baseURI);
  if (url.origin !== location.origin || url.protocol !== location.protocol) {
    throw new UserFixableError(
      `the model folder ${printable(dir)} is not on this page's own site (${location.origin}); the page loads models only from there (?model= takes a folder path such as models/ffhq/)`,
    );
  }
  return url.href;
}

export async function modelEntryAt(dir: string): Promise<ModelEntry> {
  const absolute = ownModelFolder(dir);
  const url = `${absolute}model.json`;
  const res = await fetch(url);
  if (!res.ok) throw new UserFixableError(`cannot load ${url} (HTTP ${res.status}); is the model folder there?`);
  const cfg: unknown = await res.json();
  const o =
    typeof cfg === 'object' && cfg !== null
      ? (cfg as { name?: unknown; img_resolution?: unknown; square?: unknown })
      : {};
  const name = typeof o.name === 'string' ? o.name : 'model';
  const resolution = o.img_resolution;
  const size =
    typeof resolution === 'number'
      ? sizeWords({ resolution, width: o.square === false ? resolution / 2 : undefined })
      : '';
  return { id: `url:${absolute}`, label: `${name}${size ? ` (${size})` : ''}`, source: { kind: 'url', dir: absolute } };
}
