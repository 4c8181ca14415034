/**
 * The page stays responsive while the engine works, checked by what does not depend on how busy the machine is:
 * - the engine, onnxruntime and the image decoders are not in the page's main-thread bundle at all (they run in
 *   the Web Worker), so no drag, inversion or decode can ever block the main thread;
 * - in Chromium, through Generate, a long drag, an inversion and Stops: no main-thread task used over 250 ms of the
 *   thread's CPU time. A loaded machine stretches a task's wall time while it waits for a core, and its CPU time
 *   much less; but once in a CI run under a load of 8 one task took 104 ms of CPU where quiet and loaded benchmark
 *   runs never pass 21 ms. So the bound is five times the 50 ms budget: it catches work that blocks the page
 *   outright, and `npm run bench:page` holds the 50 ms figure (its tasks over 50 ms of wall and CPU time);
 * - Stop settles without waiting for the run (2000 steps) and a stopped inversion keeps its best fit.
 * The wall-clock figures (long tasks, Stop in ms) are printed side by side by `npm run bench:page`.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { describeWithBrowser, useBrowser, WEB_DIST } from './browser';
import { walkBusyPage, type WalkFigures } from './pageWalk';

/** Modules that do the engine's work: none may run on the page's main thread. */
const ENGINE_WORK = [
  /node_modules\/onnxruntime-/,
  /node_modules\/(pngjs|jpeg-js)\//,
  /plugin\/runtime\/ort/,
  /plugin\/graph\/(builder|onnx|autodiff)/,
  /plugin\/stylegan2\/(generator|graphs|synthesis|mapping)/,
  /plugin\/drag\/dragSession/,
  /plugin\/invert\/(project|invertImage|pivotalTuning)/,
  // finding faces and compositing an edit back into the whole picture (seconds on a large photo) run in the worker
  /plugin\/faces\/(compositeEdit|denseFlow|landmarkFaceSearch|faceFinder|ffhqAlign)/,
  /plugin\/hosts\/node\//,
];

function bundledSources(bundle: string): string[] {
  return (JSON.parse(readFileSync(join(WEB_DIST, `${bundle}.map`), 'utf8')) as { sources: string[] }).sources;
}

describeWithBrowser('the page while the engine works', () => {
  const web = useBrowser();
  let walk: WalkFigures;
  let at = 'starting';

  beforeAll(async () => {
    try {
      walk = await walkBusyPage(web.browser, web.origin, (what) => (at = what));
    } catch (e) {
      throw new Error(`the walk failed at "${at}": ${(e as Error).message}`);
    }
  }, 300_000);

  test('the main-thread bundles hold no engine, runtime or decoder: that work is in the worker', () => {
    for (const bundle of ['bundle.js', 'photopea.js']) {
      const sources = bundledSources(bundle);
      expect(sources.some((s) => s.includes('plugin/ui/elements/dgPanel'))).toBe(true);
      expect(sources.filter((s) => ENGINE_WORK.some((p) => p.test(s)))).toEqual([]);
    }
    // and the worker's bundle is where they are
    expect(bundledSources('engineWorker.js').some((s) => s.includes('plugin/drag/dragSession'))).toBe(true);
  });

  test('no main-thread task used over 250 ms of CPU during Generate, a drag, an inversion and the Stops', () => {
    expect(walk.tasks.length).toBeGreaterThan(50);
    const heavy = walk.tasks
      .filter((t) => t.cpuMs > 250)
      .map(
        (t) =>
          `${t.cpuMs.toFixed(1)} ms CPU (${t.wallMs.toFixed(1)} ms wall) at ${(t.startMs / 1000).toFixed(1)} s: ${t.inside?.join('; ')}`,
      );
    expect(heavy).toEqual([]);
  });

  test('Generate shows its busy state at once', () => {
    expect(walk.generateBusyAtOnce).toBe(true);
  });

  test('Stop settles at once, not after the 2000-step run, and the stopped inversion keeps its best fit', () => {
    // a generous bound: a Stop that waited for the run would take minutes; `npm run bench:page` prints the figures
    expect(walk.dragStopMs).toBeLessThan(3000);
    expect(walk.invertStopMs).toBeLessThan(3000);
    expect(walk.invertStatus).toMatch(/stopped after \d+ steps, keeping the best fit, [\d.]+ dB PSNR/);
    expect(walk.generateAfterStopMs).toBeLessThan(20_000);
    expect(walk.errors).toBe(0);
  });
});
