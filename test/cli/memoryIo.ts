import type { CliIo } from '../../plugin/hosts/cli/cliIo';

/** A CliIo that records what a command prints, for in-process CLI tests. */
export function memoryIo(opts: { tty?: boolean } = {}): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty, columns: 80 },
    stderr: { write: (s: string) => (err += s), isTTY: opts.tty, columns: 80 },
    out: () => out,
    err: () => err,
  };
}
