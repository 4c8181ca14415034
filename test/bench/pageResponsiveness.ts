/**
 * `npm run bench:page`: the web page's responsiveness in Chromium, in wall-clock figures, for the walk the
 * responsiveness test checks (Generate, a long drag stopped, an inversion stopped, Generate again). Prints, per run
 * and side by side, main-thread tasks over 50 ms of wall time (what a user feels) and their CPU time (the page's own
 * work), and how long each Stop took, with the machine's load average beside them: on a busy machine the wall
 * figures grow while the CPU figures stay. Usage: npm run bench:page [-- --runs 3]
 */
import { loadavg } from 'os';
import { launch, serve } from '../e2e/browser';
import { walkBusyPage, type WalkFigures } from '../e2e/pageWalk';

const runs = Math.max(1, Number(process.argv[process.argv.indexOf('--runs') + 1]) || 1);

function row(label: string, values: string[]): string {
  return `${label.padEnd(34)}${values.map((v) => v.padStart(12)).join('')}`;
}

function figures(w: WalkFigures): Record<string, string> {
  const over = w.tasks.filter((t) => t.wallMs > 50);
  const maxOf = (k: 'wallMs' | 'cpuMs') => Math.max(...w.tasks.map((t) => t[k])).toFixed(1);
  return {
    'main-thread tasks': String(w.tasks.length),
    'tasks over 50 ms wall': String(over.length),
    'longest task, wall ms': maxOf('wallMs'),
    'longest task, CPU ms': maxOf('cpuMs'),
    'tasks over 50 ms CPU': String(w.tasks.filter((t) => t.cpuMs > 50).length),
    'main-thread CPU, total s': (w.tasks.reduce((s, t) => s + t.cpuMs, 0) / 1000).toFixed(2),
    'Stop of a drag, ms': w.dragStopMs.toFixed(0),
    'Stop of an inversion, ms': w.invertStopMs.toFixed(0),
    'Generate after that Stop, ms': w.generateAfterStopMs.toFixed(0),
  };
}

async function main(): Promise<void> {
  const { server, origin } = await serve();
  const browser = await launch();
  const results: Record<string, string>[] = [];
  const loads: string[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const before = loadavg()[0];
      const walk = await walkBusyPage(browser, origin, (what) =>
        process.stderr.write(
          process.stderr.isTTY ? `\rrun ${r + 1}/${runs}: ${what.padEnd(40)}` : `run ${r + 1}/${runs}: ${what}\n`,
        ),
      );
      loads.push(`${before.toFixed(1)}-${loadavg()[0].toFixed(1)}`);
      results.push(figures(walk));
      for (const t of walk.tasks.filter((t) => t.inside))
        console.log(
          `run ${r + 1}: a task of ${t.cpuMs.toFixed(1)} ms CPU at ${(t.startMs / 1000).toFixed(1)} s: ${t.inside!.join('; ')}`,
        );
    }
  } finally {
    if (process.stderr.isTTY) process.stderr.write('\n');
    await browser.close();
    server.close();
  }
  console.log(
    row(
      '',
      results.map((_, i) => `run ${i + 1}`),
    ),
  );
  console.log(row('load average (1 min), start-end', loads));
  for (const key of Object.keys(results[0]))
    console.log(
      row(
        key,
        results.map((r) => r[key]),
      ),
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
