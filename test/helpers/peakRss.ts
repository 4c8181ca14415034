/**
 * A child process's own peak memory, for tests that run the built CLI: a `--require` preload that prints it at exit,
 * and its parser. VmHWM is the peak of the process image itself; ru_maxrss (process.resourceUsage().maxRSS) keeps
 * the parent's peak across fork and exec, so a CLI spawned by a jest worker holding 500 MB reported 500 MB.
 * The CLI may relaunch itself once (plugin/hosts/node/mallocTuningRelaunch.ts, with the same Node options, so the
 * preload too): then two peaks are printed, the working child's and its waiting parent's, and the larger counts.
 */
export const PEAK_RSS_PRELOAD =
  "const fs = require('fs');\n" +
  "const hwm = () => Number(/VmHWM:\\s*(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);\n" +
  "process.on('exit', () => fs.writeSync(2, `\\n@@maxrss ${hwm()}\\n`));\n";

/** The largest peak the preload printed, in MB (0 where it printed none). */
export function peakRssMb(stderr: string): number {
  return Math.max(0, ...[...stderr.matchAll(/@@maxrss (\d+)/g)].map((m) => Number(m[1]))) / 1024;
}

/** stderr without the preload's lines. */
export function withoutPeakRss(stderr: string): string {
  return stderr.replace(/\n@@maxrss \d+\n/g, '');
}
