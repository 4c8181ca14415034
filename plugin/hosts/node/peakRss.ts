import { readFileSync } from 'fs';

/**
 * This process's peak resident memory, in MB. Linux's VmHWM is the peak of this process image alone; ru_maxrss
 * (process.resourceUsage) keeps the parent's peak across fork and exec, so a bench started by a large process
 * (a test runner) would report the parent's. Elsewhere ru_maxrss is all there is.
 */
export function peakRssMb(): number {
  try {
    const kb = Number(/VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    if (kb > 0) return Math.round(kb / 1024);
  } catch {
    // no /proc: not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
