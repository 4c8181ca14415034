/**
 * The remote endpoint's token in UXP's secure storage (encrypted under the user's account), not in localStorage
 * with the other settings: uxp-api/reference-js/modules/uxp/key-value-storage/secure-storage.md. Adobe calls it a
 * cache that may be lost, so a missing token reads as none and the user types it again.
 */
import { storage } from 'uxp';
import { decodeUtf8 } from '../../codecs/utf8';

const KEY = 'draggan.remoteToken';

export async function readToken(): Promise<string> {
  try {
    const v = await storage.secureStorage.getItem(KEY);
    return v && v.length > 0 ? decodeUtf8(v) : '';
  } catch {
    return '';
  }
}

export async function writeToken(token: string): Promise<void> {
  // setItem rejects an empty value: an emptied field removes the item (which rejects when there is none)
  if (token) await storage.secureStorage.setItem(KEY, token);
  else await storage.secureStorage.removeItem(KEY).catch(() => undefined);
}
