import type { TextStream } from '../node/progress';

/** The CLI's view of its process: two streams, so tests can run commands in-process and read what they print. */
export interface CliIo {
  readonly stdout: TextStream;
  readonly stderr: TextStream;
}
