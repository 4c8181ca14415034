/** dist/uxp is what the UXP Developer Tool loads: the manifest and every file it names must be there. */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../helpers/ensureBuilt';

const DIST = join(__dirname, '../../dist/uxp');

interface Icon {
  path: string;
  scale: number[];
  theme: string[];
}

interface Manifest {
  manifestVersion: number;
  host: { app: string; minVersion: string };
  main: string;
  entrypoints: { type: string; icons: Icon[] }[];
  icons: Icon[];
  featureFlags: { enableSWCSupport: boolean };
  requiredPermissions: { localFileSystem: string; network: { domains: string | string[] } };
}

describe('the UXP plugin folder', () => {
  let manifest: Manifest;

  // built here when missing or stale (npm run build makes it too)
  beforeAll(async () => {
    await ensureBuilt('uxp');
    manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as Manifest;
  }, BUILD_TIMEOUT_MS);

  test('manifest v5 for Photoshop 24.4+, one panel, the permissions the panel uses', () => {
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.host).toEqual({ app: 'PS', minVersion: '24.4.0' });
    expect(manifest.entrypoints.map((e) => e.type)).toEqual(['panel']);
    expect(manifest.featureFlags.enableSWCSupport).toBe(true);
    expect(manifest.requiredPermissions.localFileSystem).toBe('request');
    expect(manifest.requiredPermissions.network.domains).toBe('all');
    // no eval or new Function in the bundle (panelHtml.test.ts), so none is asked for (docs/photoshop.md finding 28)
    expect(manifest.requiredPermissions).not.toHaveProperty('allowCodeGenerationFromStrings');
  });

  test('every icon exists at every scale, for light and dark themes', () => {
    const icons = [...manifest.icons, ...manifest.entrypoints.flatMap((e) => e.icons)];
    const themes = new Set(icons.flatMap((i) => i.theme));
    for (const t of ['light', 'dark']) expect(themes.has(t)).toBe(true);
    for (const icon of icons)
      for (const s of icon.scale) expect(existsSync(join(DIST, icon.path.replace(/\.png$/, `@${s}x.png`)))).toBe(true);
  });

  test('the page, the bundle, the runtime .wasm and the model are in the folder', () => {
    const html = readFileSync(join(DIST, manifest.main), 'utf8');
    expect(html).toMatch(/<script src="?bundle\.js"?>/);
    for (const f of ['bundle.js', 'ort-wasm-simd-threaded.wasm', 'model/model.json', 'model/weights.safetensors'])
      expect(existsSync(join(DIST, f))).toBe(true);
    const bundle = readFileSync(join(DIST, 'bundle.js'), 'utf8');
    // the host's modules come from UXP's require at run time, never bundled
    expect(bundle).toMatch(/require\("photoshop"\)/);
    expect(bundle).toMatch(/require\("uxp"\)/);
  });
});
