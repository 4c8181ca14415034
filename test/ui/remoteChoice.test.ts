/**
 * A remote endpoint the page cannot reach: the message names the --allow-origin value to pass, Generate does not
 * replace it with another problem, the choice is not stored for the next start, and the banner goes once it works.
 */
import { EditController } from '../../plugin/ui/editController';
import { FakeControllerHost, FakePort, fakeEngine } from './fakeHost';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

test('an endpoint that refuses the page: what to pass, nothing that cannot work, not the next default', async () => {
  // a browser reports a CORS refusal as a failed fetch, exactly as a server that is down
  globalThis.fetch = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
  const port = Object.assign(new FakePort(fakeEngine(1)), { pageOrigin: 'http://localhost:8080' });
  const edit = new EditController(new FakeControllerHost(), port);
  await edit.init();
  await edit.updateSettings({ backend: 'remote', remoteUrl: 'http://gpu.example:8765' });
  expect(edit.error).toMatch(
    /^Cannot reach the remote endpoint .*start it with --allow-origin http:\/\/localhost:8080 so that this page may call it\.$/,
  );
  const shown = edit.error;
  // nothing runs: Generate is off (the panel disables it without a model) and does not swap the message
  expect(edit.model).toBeUndefined();
  await edit.generate();
  expect(edit.error).toBe(shown);
  // the URL is kept for another try, but the panel opens on the engine that worked
  expect(port.stored).toMatchObject({ backend: 'wasm', remoteUrl: 'http://gpu.example:8765' });
  const next = new EditController(new FakeControllerHost(), port);
  await next.init();
  expect(next.settings.backend).toBe('wasm');
  expect(next.model).toBeDefined();
  // back on the in-panel engine: the banner is gone and the choice is stored
  await edit.updateSettings({ backend: 'wasm' });
  expect(edit.error).toBeNull();
  expect(edit.model).toBeDefined();
  expect(port.stored.backend).toBe('wasm');
});
