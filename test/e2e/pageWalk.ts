/**
 * The busy walk through the web page that the responsiveness test checks and `npm run bench:page` times: Generate,
 * a long drag stopped part-way, an inversion stopped part-way, then Generate again. One implementation, so the test
 * and the benchmark measure the same thing. Main-thread tasks come from a Chrome trace: each task's wall time (what
 * a user waits through, inflated on a loaded machine while the thread waits for a core) and its thread CPU time
 * (the work the page itself put on its main thread, which load barely changes).
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { encodePng } from '../../plugin/hosts/node/pngEncode';

/** Settings for a walk that is still running when Stop is pressed: runs of 2000 steps, a lively preview. */
const LONG_RUN_SETTINGS = JSON.stringify({ maxSteps: 2000, previewEvery: 2, lr: 0.05, invertSteps: 2000 });

/** The trace category that holds the renderer's RunTask events with their thread CPU time (tdur). */
const TASK_CATEGORY = 'disabled-by-default-devtools.timeline';

export interface MainThreadTask {
  /** Milliseconds after the trace began. */
  startMs: number;
  wallMs: number;
  cpuMs: number;
  /** For tasks over 50 ms of CPU: the longest events inside it (e.g. "FunctionCall bundle.js:2 31.0 ms CPU"). */
  inside?: string[];
}

export interface WalkFigures {
  /** Main-thread tasks from the end of the page's loading to the end of the walk. */
  tasks: MainThreadTask[];
  /** The Generate button was disabled right after its click (the busy state shows at once). */
  generateBusyAtOnce: boolean;
  /** Click on Stop to the status line saying the drag stopped. */
  dragStopMs: number;
  /** Click on Stop to the status line saying the inversion stopped and kept its best fit. */
  invertStopMs: number;
  /** Click on Generate after the stopped inversion to the new image's status line. */
  generateAfterStopMs: number;
  /** Status line after the inversion was stopped. */
  invertStatus: string;
  /** Error banners shown during the walk. */
  errors: number;
}

/** A 300 x 200 test card (RGB): smooth colour gradients with a dark disc, enough for a projection to fit. */
function testCard(): string {
  const w = 300;
  const h = 200;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const disc = Math.hypot(x - 150, y - 100) < 45;
      rgb[i] = disc ? 40 : Math.round((255 * x) / w);
      rgb[i + 1] = disc ? 30 : Math.round((255 * y) / h);
      rgb[i + 2] = disc ? 60 : 160;
    }
  }
  const file = join(mkdtempSync(join(tmpdir(), 'draggan-walk-')), 'card.png');
  writeFileSync(file, encodePng({ width: w, height: h, channels: 3, data: rgb }));
  return file;
}

/** Clicks a button of the panel and returns the ms until the status line matches `done`. */
async function clickAndTime(page: Page, testId: string, done: RegExp): Promise<number> {
  return page.evaluate(
    async ({ testId, source }) => {
      const root = document.querySelector('dg-panel')!.shadowRoot!;
      const pattern = new RegExp(source);
      const t0 = performance.now();
      (root.querySelector(`[data-testid=${testId}]`) as HTMLButtonElement).click();
      return new Promise<number>((resolve) => {
        const check = () =>
          pattern.test(root.querySelector('[data-testid=status]')?.textContent ?? '')
            ? resolve(performance.now() - t0)
            : requestAnimationFrame(check);
        check();
      });
    },
    { testId, source: done.source },
  );
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; lineNumber?: number } };
}

/** What ran inside a task: its longest complete events, with where their code came from. */
function eventsInside(task: TraceEvent, thread: TraceEvent[]): string[] {
  const end = task.ts + task.dur!;
  return thread
    .filter((e) => e !== task && e.ph === 'X' && e.ts >= task.ts && e.ts < end && (e.tdur ?? 0) > 2000)
    .sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0))
    .slice(0, 6)
    .map((e) => {
      const d = e.args?.data;
      const where = d?.url
        ? ` ${d.functionName || '(anonymous)'} ${d.url.split('/').pop()}:${d.lineNumber ?? '?'}`
        : '';
      return `${e.name}${where} ${((e.tdur ?? 0) / 1000).toFixed(1)} ms CPU`;
    });
}

/** The renderer main thread's tasks in a Chrome trace. */
export function mainThreadTasks(trace: Buffer): MainThreadTask[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error('the trace has no renderer main thread');
  const thread = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  // a task cut by the end of the trace has no durations
  const tasks = thread.filter(
    (e) => e.name === 'RunTask' && e.ph === 'X' && e.dur !== undefined && e.tdur !== undefined,
  );
  if (tasks.length === 0) throw new Error('the trace has no main-thread tasks with thread CPU times');
  const t0 = Math.min(...tasks.map((e) => e.ts));
  // trace times are microseconds; tdur is the thread's CPU time
  return tasks.map((e) => ({
    startMs: (e.ts - t0) / 1000,
    wallMs: e.dur! / 1000,
    cpuMs: e.tdur! / 1000,
    ...(e.tdur! > 50_000 ? { inside: eventsInside(e, thread) } : {}),
  }));
}

/**
 * Opens the page at `origin` in a new tab and walks it, tracing the main thread from the moment the model is
 * loaded. `onStep` is told where the walk is (for the benchmark's progress and the test's failures).
 */
export async function walkBusyPage(
  browser: Browser,
  origin: string,
  onStep: (what: string) => void = () => {},
): Promise<WalkFigures> {
  const page = await browser.newPage({ viewport: { width: 640, height: 1000 } });
  try {
    await page.addInitScript((settings) => localStorage.setItem('draggan.settings.v1', settings), LONG_RUN_SETTINGS);
    onStep('loading the page');
    await page.goto(`${origin}/`);
    await page.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor({ timeout: 60_000 });
    // traced from here: the tasks of loading the page are not the walk's
    await browser.startTracing(page, { categories: [TASK_CATEGORY] });

    onStep('Generate');
    await page.click('[data-testid=generate]');
    const generateBusyAtOnce = await page.locator('[data-testid=generate]').isDisabled();
    await page.locator('[data-testid=preview-image]').waitFor();
    await page.locator('[data-testid=generate]').and(page.locator(':enabled')).waitFor();

    onStep('a long drag, stopped');
    const box = (await page.locator('[data-testid=overlay]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.2);
    await page.click('[data-testid=run]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Step [3-9]\d* / })
      .waitFor({ timeout: 60_000 });
    const dragStopMs = await clickAndTime(page, 'stop', /Stopped after \d+ steps/);
    await page.locator('[data-testid=run]').and(page.locator(':enabled')).waitFor();
    await page.locator('[data-testid=history-0]').waitFor();

    onStep('an inversion, stopped');
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-testid=read-source]');
    await (await chooser).setFiles(testCard());
    // the drag before is not applied: the panel asks before the new image replaces it
    await page.click('[data-testid=confirm-yes]');
    await page
      .locator('[data-testid=status]')
      .filter({ hasText: /Inverting card\.png.*PSNR/ })
      .waitFor({ timeout: 100_000 });
    const width = async () =>
      Number(
        (await page.locator('[data-testid=progress] div').getAttribute('style'))?.match(/width: ([\d.]+)%/)?.[1] ?? 0,
      );
    const before = await width();
    await page.waitForFunction(
      (w) => {
        const bar = document
          .querySelector('dg-panel')
          ?.shadowRoot?.querySelector('[data-testid=progress] div') as HTMLElement | null;
        return bar !== null && parseFloat(bar.style.width) > w;
      },
      before,
      { timeout: 60_000 },
    );
    const invertStopMs = await clickAndTime(page, 'stop', /stopped after \d+ steps, keeping the best fit/);
    const invertStatus = (await page.locator('[data-testid=status]').textContent()) ?? '';
    await page.locator('[data-testid=preview-image]').waitFor();

    onStep('Generate after the stopped inversion');
    // the worker stopped too (it reads its messages between graph runs): the next request is not queued behind
    // the rest of a 2000-step inversion
    const generateAfterStopMs = await clickAndTime(page, 'generate', /^Seed \d+, computed on /);
    const errors = await page.locator('[data-testid=error]').count();
    const trace = await browser.stopTracing();
    return {
      tasks: mainThreadTasks(trace),
      generateBusyAtOnce,
      dragStopMs,
      invertStopMs,
      generateAfterStopMs,
      invertStatus,
      errors,
    };
  } finally {
    await page.close();
  }
}
