/**
 * A child process's own peak memory, for tests that run the built CLI: a `--require` preload that prints it at exit,
 * and its parser. VmHWM is the peak of the process image itself; ru_maxrss (process.resourceUsage().maxRSS) keeps
 * the parent's peak across fork and exec, so a CLI spawned by a jest worker holding 500 MB reported 500 MB.
 */
export const PEAK_RSS_PRELOAD =
  "const fs = require('fs');\n" +
  "const hwm = () => Number(/VmHWM:\\s*(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);\n" +
  "process.on('exit', () => fs.writeSync(2, `\\n@@maxrss ${hwm()}\\n`));\n";

/** The peak the preload printed, in MB (0 where it printed none). */
export function peakRssMb(stderr: string): number {
  return Number(/@@maxrss (\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
}

/** stderr without the preload's line. */
export function withoutPeakRss(stderr: string): string {
  return stderr.replace(/\n@@maxrss \d+\n$/, '');
}
