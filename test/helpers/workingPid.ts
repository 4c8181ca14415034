/**
 * The pid of the process doing a spawned CLI's work. The CLI relaunches itself once with malloc tuning
 * (plugin/hosts/node/mallocTuningRelaunch.ts): then the spawned pid only waits, and its one child works.
 * Linux (/proc/PID/task/PID/children).
 */
import { readFileSync } from 'fs';

export function workingPid(pid: number): number {
  let children: string[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return pid; // it has ended
  }
  return children.length === 1 ? Number(children[0]) : pid;
}
