/**
 * Settings in localStorage, read defensively (another version of the page may have written them). localStorage is
 * plain text on disk, so the remote token goes there only when the user ticks "remember"; otherwise it is kept in
 * sessionStorage, for this tab only.
 */
import type { Settings } from '../../ui/settings';

const KEY = 'draggan.settings.v1';
const TOKEN_KEY = 'draggan.token.v1';

export function loadStoredSettings(
  storage: Pick<Storage, 'getItem'> | undefined,
  session?: Pick<Storage, 'getItem'>,
): Partial<Settings> {
  let stored: Partial<Settings> = {};
  try {
    const v: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    if (typeof v === 'object' && v !== null) stored = v as Partial<Settings>;
  } catch {
    // unreadable: the defaults
  }
  try {
    const token = session?.getItem(TOKEN_KEY);
    if (!stored.remoteToken && token) stored = { ...stored, remoteToken: token };
  } catch {
    // no session storage: no token for this tab
  }
  return stored;
}

export function storeSettings(
  storage: Pick<Storage, 'setItem'> | undefined,
  s: Settings,
  session?: Pick<Storage, 'setItem' | 'removeItem'>,
): void {
  try {
    storage?.setItem(KEY, JSON.stringify(s.rememberToken ? s : { ...s, remoteToken: '' }));
  } catch {
    // a full or disabled storage only means the settings are not remembered
  }
  try {
    if (s.rememberToken || !s.remoteToken) session?.removeItem(TOKEN_KEY);
    else session?.setItem(TOKEN_KEY, s.remoteToken);
  } catch {
    // the token is then asked for again after a reload
  }
}
