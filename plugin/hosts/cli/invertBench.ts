import { loadavg } from 'os';
import type { Engine, InversionOptions, InversionProgress } from '../../engine/engine';
import type { InvertSchedule } from '../../invert/types';
import type { CliIo } from './cliIo';

/** Truncation of the images `--bench` inverts, the generator's usual one. */
export const BENCH_PSI = 0.7;
/** The time limits each schedule is run under by default: PSNR against seconds. */
export const BENCH_LIMITS_S = [15, 30, 60, 120];

/** A time limit, for every schedule benched or for one (a long reference run of the official plan, say). */
export interface BenchLimit {
  seconds: number;
  schedule?: InvertSchedule;
}

export interface BenchRun {
  seed: number;
  schedule: InvertSchedule;
  /** The time limit the run was given, and what it took (a slow setup can overrun it). */
  limit: number;
  seconds: number;
  /** PSNR of the latent it returned. */
  psnr: number;
  steps: number;
  /** Seconds from the call to the first best fit reported (the first image a host can show); null: none came. */
  firstBestSeconds: number | null;
  /** 1-minute load average before and after the run (the machine is shared: read figures beside it). */
  loadBefore: number;
  loadAfter: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Seeds 0..n-1 at psi 0.7, rendered, quantised to 8 bits and inverted from those pixels alone (the same model drew
 * the target, so a perfect answer exists), once per time limit and schedule, each run under its limit as a user's
 * would be. For each limit the schedules run one after the other, so drifting load hits both alike. A short run of
 * each schedule first builds every graph either uses (the engine keeps them, as the panel's does between
 * inversions), so neither schedule's figures carry the builds; their time is printed apart.
 */
export async function runInvertBench(
  engine: Engine,
  n: number,
  schedules: readonly InvertSchedule[],
  limits: readonly BenchLimit[],
  options: InversionOptions,
  io: CliIo,
): Promise<BenchRun[]> {
  const runs: BenchRun[] = [];
  for (let seed = 0; seed < n; seed++) {
    const rgba = await engine.render(await engine.generate(seed, BENCH_PSI));
    if (seed === 0) {
      for (const schedule of schedules) {
        // the synthesis graph is built (the render above), as in a panel that shows the model's image first
        const started = Date.now();
        let firstBest: number | undefined;
        await engine.invert(
          { ...rgba, channels: 4 },
          {
            ...options,
            steps: 2,
            schedule,
            onProgress: (p) => (firstBest ??= p.best ? Date.now() - started : undefined),
          },
        );
        const s = (ms: number | undefined) => (ms === undefined ? '-' : round2(ms / 1000));
        io.stderr.write(
          `${schedule}: warm-up of 2 steps (builds its graphs) ${s(Date.now() - started)} s, its first best at ${s(firstBest)} s\n`,
        );
      }
    }
    for (const { seconds: limit, schedule: only } of limits) {
      for (const schedule of schedules) {
        if (only !== undefined && only !== schedule) continue;
        const loadBefore = loadavg()[0];
        const started = Date.now();
        let firstBest: number | null = null;
        const onProgress = (p: InversionProgress) => {
          if (p.best && firstBest === null) firstBest = (Date.now() - started) / 1000;
        };
        const r = await engine.invert(
          { ...rgba, channels: 4 },
          { ...options, timeBudgetSeconds: limit, schedule, onProgress },
        );
        const run: BenchRun = {
          seed,
          schedule,
          limit,
          seconds: round2((Date.now() - started) / 1000),
          psnr: round2(r.psnr),
          steps: r.steps,
          firstBestSeconds: firstBest === null ? null : round2(firstBest),
          loadBefore: round2(loadBefore),
          loadAfter: round2(loadavg()[0]),
        };
        runs.push(run);
        io.stderr.write(
          `seed ${seed}, ${schedule}, limit ${limit} s: PSNR ${run.psnr} dB in ${run.seconds} s (${run.steps} steps), first best at ${run.firstBestSeconds ?? '-'} s, load ${run.loadBefore} -> ${run.loadAfter}\n`,
        );
      }
    }
  }
  return runs;
}

/** The side-by-side table: per seed and schedule, the PSNR each limit gave (and the seconds it took), first best, load. */
export function benchTable(runs: readonly BenchRun[]): string {
  const limits = [...new Set(runs.map((r) => r.limit))];
  const head = ['seed', 'schedule', ...limits.map((l) => `dB@${l}s (took s)`), 'first_best_s', 'load_1m'];
  const rows: string[][] = [];
  for (const seed of new Set(runs.map((r) => r.seed))) {
    for (const schedule of new Set(runs.map((r) => r.schedule))) {
      const mine = runs.filter((r) => r.seed === seed && r.schedule === schedule);
      const cell = (l: number) => {
        const r = mine.find((x) => x.limit === l);
        return r ? `${r.psnr.toFixed(2)} (${r.seconds.toFixed(1)})` : '-';
      };
      const firsts = mine.map((r) => r.firstBestSeconds).filter((x): x is number => x !== null);
      const loads = mine.flatMap((r) => [r.loadBefore, r.loadAfter]);
      rows.push([
        String(seed),
        schedule,
        ...limits.map(cell),
        firsts.length ? Math.max(...firsts).toFixed(2) : '-',
        `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
      ]);
    }
  }
  return [head, ...rows].map((cells) => cells.join('\t')).join('\n') + '\n';
}
