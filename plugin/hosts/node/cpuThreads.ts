/**
 * How many intra-op threads onnxruntime gives a CPU session left at its default (intraOpNumThreads 0): one per
 * physical core (onnxruntime docs, performance/tune-performance/threading.md: "INTRA Threads Total = Number of
 * physical CPU Cores"). Node only counts logical CPUs, so this says a number only where it can tell cores from
 * hyperthreads: Linux (/proc/cpuinfo's physical id and core id of each CPU) and Apple silicon (no SMT). Elsewhere
 * undefined: the server then reports its device without a thread count rather than a guess.
 */
import { readFileSync } from 'fs';
import { arch, availableParallelism, platform } from 'os';

/** Distinct (physical id, core id) pairs in /proc/cpuinfo's text. */
export function physicalCoresInCpuinfo(text: string): number | undefined {
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const pkg = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (pkg !== undefined && core !== undefined) cores.add(`${pkg}:${core}`);
  }
  return cores.size > 0 ? cores.size : undefined;
}

export function ortDefaultCpuThreads(): number | undefined {
  // the CPUs this process may run on (a container's share) bound what the machine has
  const usable = availableParallelism();
  if (platform() === 'darwin' && arch() === 'arm64') return usable;
  if (platform() !== 'linux') return undefined;
  try {
    const cores = physicalCoresInCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
    return cores === undefined ? undefined : Math.min(cores, usable);
  } catch {
    return undefined;
  }
}
