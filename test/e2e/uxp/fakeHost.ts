/**
 * The UXP harness's host side, bundled for the page (dist/uxp-harness/fakeHost.js) and run before the panel's
 * bundle: UXP's `require('photoshop')` and `require('uxp')` answered by the test fakes, a document with a photo
 * layer open, and the plugin folder read from the served dist/uxp. The test drives it through window.uxpHarness.
 */
import * as photoshop from '../../fakes/photoshop';
import * as uxp from '../../fakes/uxp';

const realFetch = globalThis.fetch.bind(globalThis);
uxp.pluginFolder.fallback = async (path) => {
  const res = await realFetch(new URL(path, document.baseURI));
  return res.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
};

const modules: Record<string, unknown> = { photoshop, uxp };
(globalThis as { require?: unknown }).require = (name: string) => {
  if (!(name in modules)) throw new Error(`Cannot find module '${name}'`);
  return modules[name];
};

/** A 300 x 200 document with a 120 x 120 "photo" layer (a red square with a blue right half) at (100, 40). */
function openPhoto() {
  const doc = photoshop.resetPhotoshop(300, 200, { selectionApi: true });
  doc.addLayer('Background', true).fillRect({ left: 0, top: 0, right: 300, bottom: 200 }, [240, 240, 240]);
  const photo = doc.addLayer('Photo');
  photo.fillRect({ left: 100, top: 40, right: 220, bottom: 160 }, [200, 40, 40]);
  photo.fillRect({ left: 160, top: 40, right: 220, bottom: 160 }, [40, 60, 200]);
  return doc;
}

const doc = openPhoto();
(globalThis as { uxpHarness?: unknown }).uxpHarness = { photoshop, doc };
