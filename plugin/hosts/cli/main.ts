import { relaunchWithMallocTuning } from '../node/mallocTuningRelaunch';

// The bundle's entry (dist/node/draggan.js). exitCode rather than exit(): stdout may still be flushing to a pipe.
const tuned = relaunchWithMallocTuning();
if (tuned) {
  void tuned.then((code) => {
    process.exitCode = code;
  });
} else {
  // loaded only where the commands run (eager: bundled in this file, not a chunk beside it): a relaunching parent
  // does not pay for evaluating them
  void import(/* webpackMode: "eager" */ './runCli').then(({ runCli }) =>
    runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
      process.exitCode = code;
    }),
  );
}
