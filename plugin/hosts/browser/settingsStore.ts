/** Settings in localStorage, read defensively (another version of the page may have written them). */
import type { Settings } from '../../ui/settings';

const KEY = 'draggan.settings.v1';

export function loadStoredSettings(storage: Pick<Storage, 'getItem'> | undefined): Partial<Settings> {
  try {
    const v: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    return typeof v === 'object' && v !== null ? (v as Partial<Settings>) : {};
  } catch {
    return {};
  }
}

export function storeSettings(storage: Pick<Storage, 'setItem'> | undefined, s: Settings): void {
  try {
    storage?.setItem(KEY, JSON.stringify(s));
  } catch {
    // a full or disabled storage only means the settings are not remembered
  }
}
