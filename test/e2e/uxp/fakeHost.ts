/**
 * The UXP harness's host side, bundled for the page (dist/uxp-harness/fakeHost.js) and run before the panel's
 * bundle: UXP's `require('photoshop')` and `require('uxp')` answered by the test fakes, a document with a photo
 * layer open, and the plugin folder read from the served dist/uxp. The test drives and reads it through window.uxpHarness.
 */
import * as photoshop from '../../fakes/photoshop';
import * as uxp from '../../fakes/uxp';
import * as uxpFs from '../../fakes/uxpFs';

// the browser's own, taken before the harness removes what UXP lacks (the URL constructor among them)
const realFetch = globalThis.fetch.bind(globalThis);
const RealUrl = URL;
uxp.pluginFolder.fallback = async (path) => {
  const res = await realFetch(new RealUrl(path, document.baseURI));
  return res.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
};

const modules: Record<string, unknown> = { photoshop, uxp, fs: uxpFs };
(globalThis as { require?: unknown }).require = (name: string) => {
  if (!(name in modules)) throw new Error(`Cannot find module '${name}'`);
  return modules[name];
};

/**
 * A 600 x 400 document: a background, a 280 x 280 "photo" layer (red, its right half blue) at (200, 60), and an empty
 * group. Read at a 128 px model the photo comes from cache level 1, as Photoshop may answer (testControl.cacheLevels).
 */
function openPhoto() {
  const doc = photoshop.resetPhotoshop(600, 400, { selectionApi: true });
  doc.addLayer('Background', true).fillRect({ left: 0, top: 0, right: 600, bottom: 400 }, [240, 240, 240]);
  doc.addLayer('Group 1', false, 'group');
  const photo = doc.addLayer('Photo');
  photo.fillRect({ left: 200, top: 60, right: 480, bottom: 340 }, [200, 40, 40]);
  photo.fillRect({ left: 340, top: 60, right: 480, bottom: 340 }, [40, 60, 200]);
  return doc;
}

const doc = openPhoto();
// uxp: a test reads the data folder's files (uxp.dataFiles)
(globalThis as { uxpHarness?: unknown }).uxpHarness = { photoshop, doc, uxp };
