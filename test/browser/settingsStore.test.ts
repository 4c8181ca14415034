/** The page's settings store: the remote token reaches localStorage (plain text on disk) only when remembered. */
import { loadStoredSettings, storeSettings } from '../../plugin/hosts/browser/settingsStore';
import { defaultSettings, mergeSettings } from '../../plugin/ui/settings';
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

test("Ease and Loop (how a drag's video and animation play): on at first, kept across a reload once unticked", () => {
  const local = new MemoryStorage();
  const session = new MemoryStorage();
  const first = defaultSettings(DRAG_DEFAULTS.model);
  expect(first).toMatchObject({ ease: true, loop: true });
  storeSettings(local, { ...first, ease: false, loop: false }, session);
  expect(mergeSettings(first, loadStoredSettings(local, session))).toMatchObject({ ease: false, loop: false });
  // something else stored under those names is not a choice: the defaults stay
  const odd = { ease: 'no', loop: 0 } as unknown as Parameters<typeof mergeSettings>[1];
  expect(mergeSettings(first, odd)).toMatchObject({ ease: true, loop: true });
});
