import { runCli } from './runCli';

// The bundle's entry (dist/node/draggan.js). exitCode rather than exit(): stdout may still be flushing to a pipe.
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
