/** What a model installed from the catalog says about itself: its title, what it draws, where it came from, its licence. */
import type { ImportOptions } from '../importOptions';
import type { CatalogEntry } from './catalogTypes';

export function catalogImportOptions(e: CatalogEntry): ImportOptions {
  return {
    name: e.title,
    description: `${e.domain}; from ${e.urls[0]}`,
    license: `${e.licence.name} (${e.licence.url}); commercial use: ${e.licence.commercial ? 'yes' : 'no'}`,
    // the catalog knows the framing a pickle does not say (FFHQ-aligned faces)
    alignment: e.alignment,
  };
}
