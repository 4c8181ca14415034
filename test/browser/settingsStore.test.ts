/** The page's settings store: the remote token reaches localStorage (plain text on disk) only when remembered. */
import { loadStoredSettings, storeSettings } from '../../plugin/hosts/browser/settingsStore';
import { defaultSettings } from '../../plugin/ui/settings';
import { DRAG_DEFAULTS } from '../../plugin/core/defaults';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  text() {
    return [...this.items.values()].join('\n');
  }
}

test('not remembered: the token is kept for the tab only; remembered: in localStorage; unticked again: gone from it', () => {
  const local = new MemoryStorage();
  const session = new MemoryStorage();
  const s = {
    ...defaultSettings(DRAG_DEFAULTS.model),
    backend: 'remote' as const,
    remoteUrl: 'https://gpu.example',
    remoteToken: 'secret-123',
  };
  storeSettings(local, s, session);
  expect(local.text()).not.toMatch(/secret-123/);
  expect(local.text()).toMatch(/gpu\.example/);
  // a reload in the same tab still has it
  expect(loadStoredSettings(local, session).remoteToken).toBe('secret-123');
  // a new tab (a new session) does not
  expect(loadStoredSettings(local, new MemoryStorage()).remoteToken).toBe('');

  storeSettings(local, { ...s, rememberToken: true }, session);
  expect(local.text()).toMatch(/secret-123/);
  expect(session.text()).not.toMatch(/secret-123/);
  expect(loadStoredSettings(local, new MemoryStorage())).toMatchObject({
    remoteToken: 'secret-123',
    rememberToken: true,
  });

  storeSettings(local, { ...s, rememberToken: false }, session);
  expect(local.text()).not.toMatch(/secret-123/);
  expect(loadStoredSettings(local, session).remoteToken).toBe('secret-123');
});
