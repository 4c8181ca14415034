/**
 * The Photoshop panel as UXP loads it: dist/uxp's index.html and bundle in Chromium reshaped like UXP before the
 * bundle starts (test/e2e/uxp/uxpGlobals.ts: no TextDecoder / TextEncoder / Worker / SharedArrayBuffer / WebGPU /
 * OffscreenCanvas / structuredClone, a fetch that ignores AbortSignal, a canvas without pixel access), with
 * `require('photoshop')` / `require('uxp')` answered by the test fakes (test/e2e/uxp/fakeHost.ts). The panel must
 * mount, generate, drag, read a layer (inversion) and Apply in one history step.
 */
import { readFileSync } from 'fs';
import type { Server } from 'http';
import { join } from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { BUILD_TIMEOUT_MS } from '../helpers/ensureBuilt';
import { frameTimeline } from '../../plugin/engine/frameTimeline';
import { describeWithBrowser, launch, screenshot, serve } from './browser';
import { parseModelPackage } from '../../plugin/model/modelPackage';
import { ortNodeCpu } from '../../plugin/runtime/ortNode';
import { Generator } from '../../plugin/stylegan2/generator';
import { toRgba8 } from '../../plugin/stylegan2/imageConversion';
import { zFromSeed } from '../../plugin/stylegan2/latentSeed';
import { placeFace } from '../faces/placedFace';
import { turningClipFrames } from '../helpers/turningClip';
import { startTestServer, type TestServer } from '../server/harness';
import { placePair } from './placePair';
import { unsupportedCss } from './uxp/uxpCss';
import { DIST, openUxpPanel, type UxpPanel } from './uxp/openUxpPanel';
import { withoutAtomics, withoutSharedWasmMemory, withoutSimd } from './uxp/wasmLimits';

type Harness = UxpPanel;

/** A document of the fake Photoshop, as the frame-animation tests read it. */
type AnimationDoc = {
  name: string;
  width: number;
  history: string[];
  layers: { id: number }[];
  animation: { frames: { visible: number[]; delay: number }[] } | null;
};
type AnimationWindow = {
  uxpHarness: { doc: AnimationDoc; photoshop: { app: { documents: AnimationDoc[]; activeDocument: AnimationDoc } } };
};

/**
 * Clicks `button` (an Apply ... as animation) and reads the document it made, the newest, once its history step is
 * recorded (the document appears before its layers), or fails on the panel's error (shown, not waited out); the user
 * then goes back to the source document (later tests read it).
 */
async function applyAnimation(page: Page, button: Locator, timeout: number) {
  const count = await page.evaluate(
    () => (window as unknown as AnimationWindow).uxpHarness.photoshop.app.documents.length,
  );
  await button.click();
  await Promise.race([
    page.locator('[data-testid=error]').waitFor({ timeout }),
    page.waitForFunction(
      (count) => {
        const docs = (window as unknown as AnimationWindow).uxpHarness.photoshop.app.documents;
        return docs.length > count && docs[docs.length - 1].history.length === 2;
      },
      count,
      { timeout },
    ),
  ]);
  expect(await page.locator('[data-testid=error]').allTextContents()).toEqual([]);
  return page.evaluate(() => {
    const w = window as unknown as AnimationWindow;
    const { app } = w.uxpHarness.photoshop;
    const d = app.documents[app.documents.length - 1];
    app.activeDocument = w.uxpHarness.doc;
    return {
      name: d.name,
      width: d.width,
      history: d.history,
      layers: d.layers.length,
      frames: d.animation?.frames.length,
      ownLayerEach: d.animation?.frames.every(
        (f, i) => f.visible.length === 1 && f.visible[0] === d.layers[d.layers.length - 1 - i].id,
      ),
      delays: [...new Set(d.animation?.frames.map((f) => f.delay))],
    };
  });
}

describeWithBrowser('the Photoshop panel in a UXP-shaped Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    browser = await launch('uxp', 'uxp-harness');
    ({ server, origin } = await serve(DIST));
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  /**
   * Opens the panel page with the fakes and UXP's globals; `bundle` rewrites dist/uxp/bundle.js's text, `alsoBefore`
   * runs after the reshaping and before the bundle.
   */
  function openPanel(
    bundle?: (original: string) => string,
    alsoBefore?: () => void,
    localEngineUrl?: string,
  ): Promise<Harness> {
    return openUxpPanel(browser, origin, { bundle, alsoBefore, localEngineUrl });
  }

  test('the page is shaped like UXP before the bundle runs', async () => {
    const { page } = await openPanel(undefined, () => {
      // read before the panel's bundle installs its stand-ins (plugin/hosts/photoshop/uxpPolyfills.ts)
      const g = globalThis as unknown as Record<string, unknown>;
      g.beforeBundle = {
        toggleAttribute: typeof Element.prototype.toggleAttribute,
        URL: typeof g.URL,
        performance: typeof g.performance,
      };
    });
    expect(await page.evaluate(() => (globalThis as unknown as { beforeBundle: unknown }).beforeBundle)).toEqual({
      toggleAttribute: 'undefined',
      URL: 'object',
      performance: 'undefined',
    });
    const seen = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      const ctx = document.createElement('canvas').getContext('2d') as unknown as Record<string, unknown>;
      return {
        globals: [
          'TextDecoder',
          'TextEncoder',
          'Worker',
          'SharedArrayBuffer',
          'OffscreenCanvas',
          'structuredClone',
        ].filter((n) => n in g),
        gpu: (navigator as { gpu?: unknown }).gpu !== undefined,
        pixels: ['drawImage', 'getImageData', 'putImageData'].filter((m) => typeof ctx[m] === 'function'),
        require: typeof g.require,
      };
    });
    expect(seen).toEqual({ globals: [], gpu: false, pixels: [], require: 'function' });
    // an SVG shape's pointer listener hears nothing, a div's does (the panel takes the pointer on a div)
    const heard = await page.evaluate(() => {
      const got: string[] = [];
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      const div = document.createElement('div');
      svg.addEventListener('pointerdown', () => got.push('svg'));
      div.addEventListener('pointerdown', () => got.push('div'));
      document.body.append(svg, div);
      for (const el of [svg, div]) el.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      return got;
    });
    expect(heard).toEqual(['div']);
    await page.close();
  });

  test('a module that makes a TextDecoder at load leaves no panel, and the harness sees it', async () => {
    // the bug issue 12 found, restored: a decoder made while the bundle loads
    const { page, errors } = await openPanel((js) => `new TextDecoder('utf-8');\n${js}`);
    await page.waitForTimeout(1000);
    expect(errors.join('\n')).toMatch(/TextDecoder is not defined/);
    expect(await page.evaluate(() => customElements.get('dg-panel') !== undefined)).toBe(false);
    await page.close();
  });

  test.each([
    ['shared memory', withoutSharedWasmMemory, /no WebAssembly shared memory/],
    ['SIMD', withoutSimd, /no WebAssembly SIMD/],
  ])(
    'where UXP gives wasm no %s (its docs are silent), the panel says what is missing and how to start the local engine',
    async (_, limit, missing) => {
      const { page, errors } = await openPanel(undefined, limit);
      const error = page.locator('[data-testid=error]');
      await error.waitFor({ timeout: 60_000 });
      const text = await error.textContent();
      expect(text).toMatch(missing);
      expect(text).toMatch(/npm run build && npm run serve/);
      expect(text).not.toMatch(/internal error/);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  test("without Atomics (not in UXP's globals) the panel generates and drags on its one-thread stand-in", async () => {
    const { page, errors } = await openPanel(undefined, withoutAtomics);
    expect(await page.evaluate(() => typeof (globalThis as { Atomics?: unknown }).Atomics)).toBe('object');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /\d+ px/ })
      .waitFor({ timeout: 60_000 });
    await page.click('[data-testid=generate]');
    await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await page.locator('[data-testid=target-0]').waitFor();
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Done|step cap/ })
      .waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  describe('one session: mount, generate, drag, Apply, read a layer', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await openPanel();
    });
    afterAll(async () => {
      await h.page.close();
    });
    const status = () => h.page.locator('[data-testid=status]');

    test('the panel mounts and loads the bundled model from the plugin folder; the preview is square before any image', async () => {
      await status()
        .filter({ hasText: /\d+ px/ })
        .waitFor({ timeout: 60_000 });
      expect(h.errors).toEqual([]);
      // UXP images are 0x0 until a frame renders: the box (and the points overlay) must not take its size from one
      const box = (await h.page.locator('[data-testid=overlay]').boundingBox())!;
      expect(box.width).toBeGreaterThan(100);
      expect(box.height).toBeCloseTo(box.width, 0);
    });

    test('its CSS keeps to what UXP renders: no font shorthand, text-transform or generic font family', async () => {
      const css = await h.page.evaluate(() => {
        const panel = customElements.get('dg-panel') as unknown as { elementStyles: { cssText: string }[] };
        return [
          ...panel.elementStyles.map((s) => s.cssText),
          ...Array.from(document.querySelectorAll('style')).map((s) => s.textContent ?? ''),
        ].join('\n');
      });
      expect(css).toMatch(/font-family/);
      expect(unsupportedCss(css)).toEqual([]);
    });

    test('generate, then a drag on the in-panel wasm engine moves the handle; previews are ImageBlob URLs, given back', async () => {
      const { page } = h;
      await page.locator('[data-testid=seed]').fill('3');
      await page.locator('[data-testid=seed]').dispatchEvent('change');
      await page.click('[data-testid=generate]');
      const img = page.locator('[data-testid=preview-image]');
      await img.waitFor({ timeout: 60_000 });
      const before = await img.getAttribute('src');
      // Adobe's way: raw pixels in an ImageBlob, shown through an object URL (the image must really load)
      expect(before).toMatch(/^blob:/);
      // (an object URL loads asynchronously: wait for it, then it must have decoded to real pixels)
      const width = await img.evaluate((i: HTMLImageElement) =>
        i.complete
          ? i.naturalWidth
          : new Promise<number>((r) => {
              i.addEventListener('load', () => r(i.naturalWidth), { once: true });
              i.addEventListener('error', () => r(0), { once: true });
            }),
      );
      expect(width).toBeGreaterThan(0);
      const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.5);
      await page.locator('[data-testid=pending]').waitFor();
      await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
      await page.locator('[data-testid=target-0]').waitFor();
      const handleX = Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'));
      await page.click('[data-testid=run]');
      await status()
        .filter({ hasText: /Done|step cap/ })
        .waitFor({ timeout: 120_000 });
      expect(await page.locator('[data-testid=error]').count()).toBe(0);
      expect(await img.getAttribute('src')).not.toBe(before);
      expect(Number(await page.locator('[data-testid=handle-0]').getAttribute('cx'))).not.toBe(handleX);
      // the run's previews were revoked once passed: only the shown image and the history's are left
      const live = await page.evaluate(
        () => (window as unknown as { liveObjectUrls: Set<string> }).liveObjectUrls.size,
      );
      expect(live).toBeLessThanOrEqual(3);
      expect(h.errors).toEqual([]);
    });

    test('Apply writes the result and the points layer, grouped, in one history step', async () => {
      const { page } = h;
      const historyBefore = await page.evaluate(
        () => (window as unknown as { uxpHarness: { doc: { history: string[] } } }).uxpHarness.doc.history.length,
      );
      await page.click('[data-testid=apply]');
      await page.waitForFunction(
        () =>
          (window as unknown as { uxpHarness: { doc: { history: string[] } } }).uxpHarness.doc.history.includes(
            'DragGAN edit 1',
          ),
        null,
        { timeout: 30_000 },
      );
      const doc = await page.evaluate(() => {
        const d = (
          window as unknown as {
            uxpHarness: {
              doc: {
                history: string[];
                layers: { name: string; layers: { name: string; boundsNoEffects: object }[] }[];
              };
            };
          }
        ).uxpHarness.doc;
        const group = d.layers.find((l) => l.name === 'DragGAN edit 1');
        return {
          history: d.history,
          top: d.layers.map((l) => l.name),
          group: group?.layers.map((l) => ({ name: l.name, bounds: l.boundsNoEffects })),
        };
      });
      expect(doc.history.length).toBe(historyBefore + 1);
      expect(doc.top).toEqual(['DragGAN edit 1', 'Photo', 'Group 1', 'Background']);
      expect(doc.group?.map((l) => l.name)).toEqual(['DragGAN edit 1 points', 'DragGAN edit 1 result']);
      // nothing read from the document yet: the generated image goes over the active layer's square
      expect(doc.group?.[1].bounds).toEqual({ left: 200, top: 60, right: 480, bottom: 340 });
      expect(h.errors).toEqual([]);
    });

    test("Apply as animation makes a new document of the drag's frames, one layer each, in one history step, played as Ease and Loop say; the source is unchanged", async () => {
      const { page } = h;
      const source = () =>
        page.evaluate(() => {
          const d = (window as unknown as { uxpHarness: { doc: { history: string[]; layers: { name: string }[] } } })
            .uxpHarness.doc;
          return { history: [...d.history], layers: d.layers.map((l) => l.name) };
        });
      const before = await source();
      const button = page.locator('[data-testid=action-animation]');
      expect(await button.isEnabled()).toBe(true);
      /** Clicks Apply as animation and reads the document it made (the newest). */
      const animate = () => applyAnimation(page, button, 30_000);
      const ease = page.locator('[data-testid=setting-ease]');
      const loop = page.locator('[data-testid=setting-loop]');
      expect([await ease.isChecked(), await loop.isChecked()]).toEqual([true, true]);
      const anim = await animate();
      // a generated image (nothing read): named for the panel, at the model's size; the run's frames eased and looped
      expect(anim).toMatchObject({
        name: 'DragGAN drag animation',
        width: 128,
        history: ['New', 'DragGAN drag animation'],
        ownLayerEach: true,
        delays: [0.1],
      });
      expect(anim.frames).toBe(anim.layers);
      expect(anim.frames).toBeGreaterThan(2 * 6);
      // Ease and Loop off: the drag's frames, each once; Loop on: forward then back, the ends not repeated
      await ease.uncheck();
      await loop.uncheck();
      const plain = await animate();
      expect(plain).toMatchObject({ ownLayerEach: true, delays: [0.1] });
      expect(anim.frames).toBe(frameTimeline(plain.frames!, { ease: true, loop: true }).length);
      await loop.check();
      const looped = await animate();
      expect(looped.frames).toBe(2 * plain.frames! - 2);
      expect(looped.layers).toBe(looped.frames);
      await ease.check();
      expect(await source()).toEqual(before);
      expect(await page.locator('[data-testid=error]').count()).toBe(0);
      expect(h.errors).toEqual([]);
    });

    const activate = (name: string) =>
      h.page.evaluate((name) => {
        const w = window as unknown as { uxpHarness: { doc: { activeLayers: unknown[]; layers: { name: string }[] } } };
        w.uxpHarness.doc.activeLayers = [w.uxpHarness.doc.layers.find((l) => l.name === name)];
      }, name);

    test('Use layer on a group says to pick a pixel layer', async () => {
      await activate('Group 1');
      await h.page.click('[data-testid=read-source]');
      await h.page
        .locator('[data-testid=error]')
        .filter({ hasText: /"Group 1" is a group, which has no pixels of its own: select a pixel layer/ })
        .waitFor({ timeout: 30_000 });
    });

    test('Use layer reads the active layer (answered from cache level 1) and inverts it', async () => {
      const { page } = h;
      await activate('Photo');
      await page.click('[data-testid=read-source]');
      await status()
        .filter({ hasText: /layer "Photo" \(280 x 280 px\)/ })
        .waitFor({ timeout: 120_000 });
      const levels = await page.evaluate(
        () =>
          (window as unknown as { uxpHarness: { photoshop: { testControl: { levels: number[] } } } }).uxpHarness
            .photoshop.testControl.levels,
      );
      // the model's square from cache level 1, then the square at its own size (faces are looked for in it) at full resolution
      expect(levels).toEqual([1, 0]);
      // the red and blue layer shows no face: the square is inverted, and the status says so
      await status()
        .filter({ hasText: /No face was found in it: .* draws cartoon faces, 128 px demo/ })
        .waitFor({ timeout: 120_000 });
      await page.locator('[data-testid=run]').and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
      expect(await page.locator('[data-testid=error]').count()).toBe(0);
      expect(h.errors).toEqual([]);
    });

    test("Apply after Use layer composites onto the layer's own pixels at its size, in one history step", async () => {
      const { page } = h;
      const historyBefore = await page.evaluate(
        () => (window as unknown as { uxpHarness: { doc: { history: string[] } } }).uxpHarness.doc.history.length,
      );
      await page.click('[data-testid=apply]');
      await page.waitForFunction(
        () =>
          (window as unknown as { uxpHarness: { doc: { history: string[] } } }).uxpHarness.doc.history.includes(
            'DragGAN edit 2',
          ),
        null,
        { timeout: 60_000 },
      );
      const doc = await page.evaluate(() => {
        const d = (
          window as unknown as {
            uxpHarness: {
              doc: {
                width: number;
                history: string[];
                layers: {
                  name: string;
                  pixels?: Uint8ClampedArray;
                  layers: { name: string; pixels?: Uint8ClampedArray; boundsNoEffects: object }[];
                }[];
              };
            };
          }
        ).uxpHarness.doc;
        const group = d.layers.find((l) => l.name === 'DragGAN edit 2')!;
        const result = group.layers.find((l) => l.name === 'DragGAN edit 2 result')!;
        const photo = d.layers.find((l) => l.name === 'Photo')!;
        // a pixel of the red half, near the corner: an inversion that was not dragged changes nothing there
        const at = (l: { pixels?: Uint8ClampedArray }, x: number, y: number) =>
          Array.from(l.pixels!.subarray((y * d.width + x) * 4, (y * d.width + x) * 4 + 4));
        return {
          history: d.history.length,
          bounds: result.boundsNoEffects,
          corner: at(result, 205, 65),
          photoCorner: at(photo, 205, 65),
        };
      });
      expect(doc.history).toBe(historyBefore + 1);
      expect(doc.bounds).toEqual({ left: 200, top: 60, right: 480, bottom: 340 });
      expect(doc.corner).toEqual(doc.photoCorner);
      expect(h.errors).toEqual([]);
    });
  });
  describe('a face in a layer: Use layer -> face found -> aligned crop -> invert -> preset -> drag -> Apply', () => {
    let h: Harness;
    /** The bundled model's seed-3 face, turned 15 degrees and scaled by 1.6, over stripes: a 300 x 300 layer at (250, 50). */
    let face: Uint8ClampedArray;
    beforeAll(async () => {
      const bundled = join(__dirname, '../../models/bundled');
      const gen = new Generator(
        parseModelPackage(
          readFileSync(join(bundled, 'model.json'), 'utf8'),
          new Uint8Array(readFileSync(join(bundled, 'weights.safetensors'))),
        ),
        await ortNodeCpu.create(),
      );
      const rendered = toRgba8((await gen.synthesize(await gen.mapping(zFromSeed(3, gen.config.z_dim), 0.7))).img);
      await gen.release();
      face = new Uint8ClampedArray(placeFace(rendered, 300, 300, (15 * Math.PI) / 180, 1.6, 150, 150).picture.data);
      h = await openPanel();
      await h.page
        .locator('[data-testid=status]')
        .filter({ hasText: /\d+ px/ })
        .waitFor({ timeout: 60_000 });
      await h.page.evaluate((b64) => {
        const px = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const w = window as unknown as {
          uxpHarness: {
            doc: { width: number; addLayer(name: string): { pixels: Uint8ClampedArray }; activeLayers: unknown[] };
          };
        };
        const doc = w.uxpHarness.doc;
        const layer = doc.addLayer('Face');
        for (let y = 0; y < 300; y++)
          layer.pixels.set(px.subarray(y * 300 * 4, (y + 1) * 300 * 4), ((50 + y) * doc.width + 250) * 4);
        doc.activeLayers = [layer];
      }, Buffer.from(face).toString('base64'));
    }, 120_000);
    afterAll(async () => {
      await h?.page.close();
    });

    test('the face is found and shown aligned, inverted, smiled by a preset, dragged, and applied as a masked layer at full size', async () => {
      const { page } = h;
      const status = page.locator('[data-testid=status]');
      await page.click('[data-testid=read-source]');
      await page.locator('[data-testid=face-count]').filter({ hasText: 'Face 1 of 1' }).waitFor({ timeout: 240_000 });
      expect(await page.locator('[data-testid=preview-image]').getAttribute('alt')).toBe(
        'The face as it will be inverted',
      );
      await screenshot(page.locator('dg-panel'), 'uxp-face-found.png');
      await page.click('[data-testid=invert-face]');
      await page.locator('[data-testid=preset-smile]').waitFor({ timeout: 240_000 });
      await page.click('[data-testid=preset-smile]');
      await page.locator('[data-testid=target-1]').waitFor();
      await page.click('[data-testid=run]');
      await status.filter({ hasText: /Done|step cap/ }).waitFor({ timeout: 240_000 });
      await screenshot(page.locator('dg-panel'), 'uxp-face-dragged.png');
      const historyBefore = await page.evaluate(
        () => (window as unknown as { uxpHarness: { doc: { history: string[] } } }).uxpHarness.doc.history.length,
      );
      await page.click('[data-testid=apply]');
      await status.filter({ hasText: 'Apply as layer: done' }).waitFor({ timeout: 120_000 });
      const doc = await page.evaluate(() => {
        const d = (
          window as unknown as {
            uxpHarness: {
              doc: {
                width: number;
                history: string[];
                layers: {
                  name: string;
                  pixels?: Uint8ClampedArray;
                  layers: {
                    name: string;
                    mask?: Uint8ClampedArray;
                    pixels?: Uint8ClampedArray;
                    boundsNoEffects: { left: number; top: number; right: number; bottom: number };
                  }[];
                }[];
              };
            };
          }
        ).uxpHarness.doc;
        const group = d.layers.find((l) => /^DragGAN edit \d+$/.test(l.name))!;
        const result = group.layers.find((l) => / result$/.test(l.name))!;
        const mask = result.mask ? Array.from(result.mask) : [];
        return {
          history: d.history.length,
          bounds: result.boundsNoEffects,
          masked: mask.filter((v) => v === 255).length,
          feathered: mask.filter((v) => v > 0 && v < 255).length,
        };
      });
      expect(doc.history).toBe(historyBefore + 1);
      // a new layer at full size over only the part that changed, inside the layer's square, with a feathered mask
      expect(doc.bounds.left).toBeGreaterThanOrEqual(250);
      expect(doc.bounds.top).toBeGreaterThanOrEqual(50);
      expect(doc.bounds.right).toBeLessThanOrEqual(550);
      expect(doc.bounds.bottom).toBeLessThanOrEqual(350);
      expect(doc.masked).toBeGreaterThan(100);
      expect(doc.feathered).toBeGreaterThan(100);
      expect(h.errors).toEqual([]);
    }, 900_000);
  });

  describe('a clip from layers: Clip from layers -> key frame = active layer -> Drag clip -> Apply clip as animation', () => {
    /** Four frames of the turning clip (test/helpers/turningClip.ts), one layer each, frame 1 at the bottom. */
    let frames: { width: number; height: number; data: number[] }[];
    let h: Harness;
    /** The page's console errors and warnings: a wait that times out says them with what the panel showed. */
    const consoleLines: string[] = [];
    beforeAll(async () => {
      frames = (await turningClipFrames(4)).map((f) => ({
        width: f.width,
        height: f.height,
        data: Array.from(f.data),
      }));
      h = await openPanel();
      h.page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`${m.type()}: ${m.text()}`);
      });
      await h.page
        .locator('[data-testid=status]')
        .filter({ hasText: /\d+ px/ })
        .waitFor({ timeout: 60_000 });
    }, 120_000);
    afterAll(async () => {
      await h?.page.close();
    });

    type Layered = { name: string; width: number; height: number; data?: number[]; at: [number, number] }[];
    /** A new 160 x 140 document (the app's only one) of these layers, the first at the bottom; `active` by name. */
    const openLayers = (layers: Layered, active: string) =>
      h.page.evaluate(
        ({ layers, active }) => {
          type L = { name: string; id: number; pixels: Uint8ClampedArray };
          type D = { id: number; width: number; addLayer(n: string): L; activeLayers: L[]; layers: L[] };
          const w = window as unknown as {
            uxpHarness: { doc: D; photoshop: { resetPhotoshop(w: number, h: number): D } };
          };
          const doc = w.uxpHarness.photoshop.resetPhotoshop(160, 140);
          for (const l of layers) {
            const layer = doc.addLayer(l.name);
            for (let y = 0; y < l.height; y++)
              for (let x = 0; x < l.width; x++)
                for (let c = 0; c < 4; c++)
                  layer.pixels[((y + l.at[1]) * doc.width + x + l.at[0]) * 4 + c] = l.data
                    ? l.data[(y * l.width + x) * 4 + c]
                    : c === 3
                      ? 255
                      : 128;
          }
          doc.activeLayers = [doc.layers.find((l) => l.name === active)!];
          w.uxpHarness.doc = doc;
        },
        { layers, active },
      );
    const status = () => h.page.locator('[data-testid=status]');
    const error = () => h.page.locator('[data-testid=error]');
    /** Waits for the status line to match; a timeout says what the panel showed instead. */
    const statusSays = async (text: RegExp, timeout: number) => {
      try {
        await status().filter({ hasText: text }).waitFor({ timeout });
      } catch (e) {
        const shown = {
          status: await status().textContent(),
          error: await error().allTextContents(),
          pageErrors: h.errors,
          console: consoleLines,
        };
        throw new Error(`the status never matched ${text}: ${JSON.stringify(shown, null, 1)}\n${String(e)}`);
      }
    };

    test('fewer than 2 layers, or layers of different sizes, are refused and say what to do', async () => {
      await openLayers([{ name: 'Only', width: 40, height: 40, at: [0, 0] }], 'Only');
      expect(await h.page.locator('[data-testid=open-clip]').textContent()).toMatch(/Clip from layers/);
      await h.page.click('[data-testid=open-clip]');
      await error()
        .filter({ hasText: /a clip needs at least 2 frames and this document has 1 visible pixel layers/i })
        .waitFor({ timeout: 30_000 });
      await openLayers(
        [
          { name: 'Big', width: 60, height: 50, at: [0, 0] },
          { name: 'Small', width: 30, height: 20, at: [70, 70] },
        ],
        'Big',
      );
      await h.page.click('[data-testid=open-clip]');
      await error()
        .filter({ hasText: /"Small" is 30 x 20 px, the first frame "Big" 60 x 50 px/ })
        .waitFor({ timeout: 30_000 });
      expect(await h.page.locator('[data-testid=clip-key]').count()).toBe(0);
    });

    test("4 layers dragged as a clip from the active layer's points become a 4-frame animation in a new document, one history step; the source is unchanged", async () => {
      const { page } = h;
      await openLayers(
        frames.map((f, i) => ({ name: `Frame ${i + 1}`, ...f, at: [16, 6] as [number, number] })),
        'Frame 3',
      );
      type W = { uxpHarness: { doc: { history: string[]; layers: { name: string; pixels: Uint8ClampedArray }[] } } };
      const source = () =>
        page.evaluate(() => {
          const d = (window as unknown as W).uxpHarness.doc;
          return {
            history: [...d.history],
            layers: d.layers.map((l) => [l.name, l.pixels.reduce((a, v) => a + v, 0)]),
          };
        });
      const before = await source();
      await page.click('[data-testid=open-clip]');
      // the active layer, third from the bottom, is the key frame
      await status()
        .filter({ hasText: /frame 3 of 4 layers of Untitled-1.*Place points on this key frame/ })
        .waitFor({ timeout: 120_000 });
      expect(await page.locator('[data-testid=clip-key]').inputValue()).toBe('3');
      await placePair(page, [74, 79], [82, 76], 128);
      await page.click('[data-testid=run-clip]');
      await page.locator('[data-testid=apply-clip], [data-testid=error]').first().waitFor({ timeout: 600_000 });
      expect(await error().allTextContents()).toEqual([]);
      expect(await status().textContent()).toMatch(/^Done: 4 of 4 frames of 4 layers of Untitled-1 dragged/);
      // no video player: the in-panel engine writes no MP4, Photoshop keeps the frames
      expect(await page.locator('[data-testid=clip-video]').count()).toBe(0);
      const made = await applyAnimation(page, page.locator('[data-testid=apply-clip]'), 60_000);
      expect(made).toEqual({
        name: 'Untitled-1 clip animation',
        width: 128,
        history: ['New', 'Untitled-1 clip animation'],
        layers: 4,
        frames: 4,
        ownLayerEach: true,
        delays: [0.1],
      });
      expect(await status().textContent()).toMatch(/Apply clip as animation: 4 frames, done/);
      expect(await source()).toEqual(before);
      expect(h.errors).toEqual([]);
    }, 900_000);

    test('Stop keeps the frames dragged; Resume goes on from the next frame and ends with every frame', async () => {
      const { page } = h;
      await openLayers(
        frames.map((f, i) => ({ name: `Frame ${i + 1}`, ...f, at: [16, 6] as [number, number] })),
        'Frame 1',
      );
      await page.click('[data-testid=open-clip]');
      const keyFrame = status().filter({
        hasText: /frame 1 of 4 layers of Untitled-1.*Place points on this key frame/,
      });
      // after the test above, its dragged edit is asked about before the new clip replaces it
      const drop = page.locator('[data-testid=confirm-yes]');
      await keyFrame.or(drop).first().waitFor({ timeout: 120_000 });
      if (await drop.count()) await drop.click();
      await keyFrame.waitFor({ timeout: 120_000 });
      await placePair(page, [74, 79], [82, 76], 128);
      // Stop pressed the moment two frames (the key and its neighbour) are dragged, so it cuts the third short: a
      // frame dragged from its neighbour's edit may take a step or two, over before a click from outside lands
      await page.evaluate(() => {
        const root = document.querySelector('dg-panel')!.shadowRoot!;
        const watch = new MutationObserver(() => {
          if (!root.querySelector('[data-testid=progress][aria-label="Dragging frame 2 of 4"]')) return;
          watch.disconnect();
          root.querySelector<HTMLButtonElement>('[data-testid=stop]')!.click();
        });
        watch.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      await page.click('[data-testid=run-clip]');
      // the frame cut short is shown with the two done (and can be applied), and dragged again by Resume
      await statusSays(
        /^Stopped: 2 of 4 frames of 4 layers of Untitled-1 dragged, 1 cut short; .*Resume goes on from the next frame\.$/,
        600_000,
      );
      expect(await page.locator('[data-testid=apply-clip]').isEnabled()).toBe(true);
      await page.click('[data-testid=resume-clip]');
      await statusSays(/^Done: 4 of 4 frames/, 600_000);
      expect(await status().textContent()).toMatch(
        /^Done: 4 of 4 frames of 4 layers of Untitled-1 dragged \(2 kept from the stopped run\); /,
      );
      // nothing left to resume
      expect(await page.locator('[data-testid=resume-clip]').count()).toBe(0);
      expect(await error().allTextContents()).toEqual([]);
      // the resumed clip is whole: all four frames in one new document, one history step
      const made = await applyAnimation(page, page.locator('[data-testid=apply-clip]'), 60_000);
      expect(made).toMatchObject({
        name: 'Untitled-1 clip animation',
        history: ['New', 'Untitled-1 clip animation'],
        layers: 4,
        frames: 4,
        ownLayerEach: true,
      });
      expect(h.errors).toEqual([]);
    }, 900_000);
  });

  describe('with npm run serve running: the local engine', () => {
    let local: TestServer;
    let h: Harness;
    beforeAll(async () => {
      // draggan serve on a free port (the harness's bundle probes it in place of LOCAL_SERVER_URL, so no other run on
      // this machine collides on 8765); the page's origin allowed only because the harness is a web page (UXP's fetch
      // is not a page's: no CORS preflight there)
      local = await startTestServer({
        allowOrigins: [origin],
        engine: { device: 'cpu', threads: 6, description: 'onnxruntime-node (CPU)' },
      });
      h = await openPanel(undefined, undefined, local.url);
    });
    afterAll(async () => {
      await h?.page.close();
      await local?.shutdown();
      await local?.release();
    });

    test('the panel finds it by itself and generates and drags on it', async () => {
      const { page } = h;
      const status = page.locator('[data-testid=status]');
      await status.filter({ hasText: `computed on Local engine ${local.url}` }).waitFor({ timeout: 60_000 });
      // Settings names what it runs on, as its /readyz reported (finding 16)
      await page.click('[data-testid=toggle-settings]');
      expect(await page.locator('[data-testid=setting-backend] option[value=local-server]').textContent()).toBe(
        'Local engine (CPU, 6 threads)',
      );
      await page.click('[data-testid=toggle-settings]');
      await page.click('[data-testid=generate]');
      await page.locator('[data-testid=preview-image]').waitFor({ timeout: 60_000 });
      const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.5);
      await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
      await page.locator('[data-testid=target-0]').waitFor();
      await page.click('[data-testid=run]');
      await status.filter({ hasText: /Done|step cap/ }).waitFor({ timeout: 120_000 });
      expect(await page.locator('[data-testid=error]').count()).toBe(0);
      const served = local.logs.filter((e) => e.msg === 'request').map((e) => e.path);
      expect(served).toEqual(expect.arrayContaining(['/readyz', '/v1/models', '/v1/generate', '/v1/drag-steps']));
      expect(h.errors).toEqual([]);
    });
  });
});
