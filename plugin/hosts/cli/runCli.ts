import { escapeControls } from '../../codecs/printable';
import { UserFixableError } from '../../core/errors';
import { UsageError } from './args';
import type { CliIo } from './cliIo';
import { alignCommand } from './alignCommand';
import { benchCommand } from './benchCommand';
import { compositeCommand } from './compositeCommand';
import { dragCommand } from './dragCommand';
import { evalCommand } from './evalCommand';
import { facesCommand } from './facesCommand';
import { generateCommand } from './generateCommand';
import { importCommand } from './importCommand';
import { invertCommand } from './invertCommand';
import { loadCommand } from './loadCommand';
import { photoCommand } from './photoCommand';
import { videoCommand } from './videoCommand';
import { modelsCommand } from './modelsCommand';
import { serveCommand } from './serveCommand';
import { commandUsage, MAIN_USAGE } from './usage';

/** Exit codes: 0 done, 1 an internal error (a bug), 2 a problem the user can fix. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USER = 2;

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  import: importCommand,
  generate: generateCommand,
  invert: invertCommand,
  drag: dragCommand,
  align: alignCommand,
  composite: compositeCommand,
  photo: photoCommand,
  video: videoCommand,
  bench: benchCommand,
  eval: evalCommand,
  faces: facesCommand,
  serve: (argv, io) => serveCommand(argv, io),
  load: loadCommand,
  models: modelsCommand,
};

/** Runs one `draggan` invocation and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    io.stdout.write(`${(topic && commandUsage(topic)) || MAIN_USAGE}\n`);
    return command === undefined ? EXIT_USER : EXIT_OK;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr.write(`draggan: unknown command '${command}'\n\n${MAIN_USAGE}\n`);
    return EXIT_USER;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${commandUsage(command)}\n`);
    return EXIT_OK;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    // on a terminal, the error replaces a progress bar that was mid-line
    const prefix = io.stderr.isTTY ? '\r\x1b[K' : '';
    if (e instanceof UsageError) {
      io.stderr.write(`${prefix}draggan ${command}: ${e.message}\n\n${commandUsage(command)}\n`);
      return EXIT_USER;
    }
    // Bad input to the engine and an endpoint that cannot serve are things the user fixes, not bugs.
    // Messages quote file names and text from files: no escape sequence in them may reach the terminal.
    if (e instanceof UserFixableError) {
      io.stderr.write(`${prefix}draggan ${command}: ${escapeControls(e.message, ['\n'])}\n`);
      return EXIT_USER;
    }
    const debug = process.env.DRAGGAN_DEBUG === '1';
    const detail = escapeControls(e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message) : String(e), [
      '\n',
    ]);
    io.stderr.write(
      `${prefix}draggan ${command}: internal error: ${detail}\n${debug ? '' : '(set DRAGGAN_DEBUG=1 to see where)\n'}`,
    );
    return EXIT_INTERNAL;
  }
}
