/**
 * `npm run package:engine`: the native engine as a folder (and a .tar.gz of it) that runs on a machine of this kind
 * with no Node installed: Node's single executable application (a copy of this Node with a launcher injected,
 * https://nodejs.org/api/single-executable-applications.html), the CLI bundle, onnxruntime-node's native library
 * for this platform and the bundled models beside it. Started with no arguments (a double-click) it serves as
 * `npm run serve` does, on the port the Photoshop panel looks at, so the panel finds it by itself.
 */
import { execFileSync } from 'child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LOCAL_SERVER_URL } from '../photoshop/localServer';
import { packageRoot } from './packageRoot';

/** Where the Photoshop panel looks for the engine on this computer. */
const LOCAL_SERVER_PORT = new URL(LOCAL_SERVER_URL).port;
/** The fuse Node's SEA support looks for (the docs' postject command line names it). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * The script Node runs inside the executable. An embedded script can require only Node's built-ins, so it loads
 * the real bundle from lib/ beside the executable with an ordinary require (which finds onnxruntime-node there).
 */
const LAUNCHER = `'use strict';
const path = require('node:path');
const { createRequire } = require('node:module');
if (process.argv.length <= 2) process.argv.push('serve', '--backend', 'cuda', '--port', '${LOCAL_SERVER_PORT}');
createRequire(path.join(path.dirname(process.execPath), 'lib', 'draggan.js'))('./draggan.js');
`;

const README = (name: string) => `DragGAN engine (${process.platform}-${process.arch})

Start it by double-clicking ${name} (or run ./${name} in a terminal). With no arguments it serves the bundled model
to the Photoshop panel on http://127.0.0.1:${LOCAL_SERVER_PORT} (CUDA where the machine has it, else every CPU core);
the panel finds it by itself. Stop it with Ctrl-C or by closing its window.

With arguments it is the draggan command line: ./${name} serve --model <folder> ..., ./${name} drag ..., ./${name} --help.
Keep the folder together: lib/ holds the program and onnxruntime's native library, models/ the bundled models.
`;

export interface PackagedEngine {
  folder: string;
  executable: string;
  archive?: string;
}

/** Builds the package into `outDir` (default dist/engine) from dist/node/draggan.js, which must be built. */
export async function packageEngine(
  outDir = join(packageRoot(), 'dist', 'engine'),
  o: { archive?: boolean } = {},
): Promise<PackagedEngine> {
  const root = packageRoot();
  const bundle = join(root, 'dist', 'node', 'draggan.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  const name = `draggan-engine-${process.platform}-${process.arch}`;
  const folder = join(outDir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(join(folder, 'lib'), { recursive: true });

  const exeName = process.platform === 'win32' ? 'draggan-engine.exe' : 'draggan-engine';
  const executable = join(folder, exeName);
  const work = mkdtempSync(join(tmpdir(), 'draggan-sea-'));
  try {
    writeFileSync(join(work, 'launcher.js'), LAUNCHER);
    writeFileSync(
      join(work, 'sea.json'),
      JSON.stringify({
        main: join(work, 'launcher.js'),
        output: join(work, 'blob'),
        disableExperimentalSEAWarning: true,
      }),
    );
    execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea.json')], { stdio: 'pipe' });
    copyFileSync(process.execPath, executable);
    chmodSync(executable, 0o755);
    // postject is a development dependency: loaded only here
    const { inject } = await import('postject');
    await inject(executable, 'NODE_SEA_BLOB', readFileSync(join(work, 'blob')), {
      sentinelFuse: SEA_FUSE,
      ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  copyFileSync(bundle, join(folder, 'lib', 'draggan.js'));
  // the CLI finds its models by walking up to this package's package.json
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  writeFileSync(
    join(folder, 'package.json'),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true }, null, 2)}\n`,
  );
  cpSync(join(root, 'models'), join(folder, 'models'), {
    recursive: true,
    filter: (src) => !src.includes(`${join('models', 'recipes')}`),
  });
  copyOnnxruntime(root, join(folder, 'lib', 'node_modules'));
  writeFileSync(join(folder, 'README.txt'), README(exeName));

  let archive: string | undefined;
  if (o.archive !== false && process.platform !== 'win32') {
    archive = join(outDir, `${name}.tar.gz`);
    execFileSync('tar', ['-czf', archive, '-C', outDir, name]);
  }
  return { folder, executable, archive };
}

/** onnxruntime-node's JavaScript and only this platform's native binaries (the npm package holds every platform's). */
function copyOnnxruntime(root: string, modules: string): void {
  const from = join(root, 'node_modules');
  cpSync(join(from, 'onnxruntime-common'), join(modules, 'onnxruntime-common'), { recursive: true });
  const ort = join(from, 'onnxruntime-node');
  const to = join(modules, 'onnxruntime-node');
  mkdirSync(to, { recursive: true });
  copyFileSync(join(ort, 'package.json'), join(to, 'package.json'));
  cpSync(join(ort, 'dist'), join(to, 'dist'), { recursive: true });
  const bin = join(ort, 'bin');
  for (const napi of readdirSync(bin)) {
    const native = join(bin, napi, process.platform, process.arch);
    if (existsSync(native)) cpSync(native, join(to, 'bin', napi, process.platform, process.arch), { recursive: true });
  }
}

if (require.main === module) {
  packageEngine().then(
    (p) =>
      process.stdout.write(
        `packaged the engine in ${p.folder}${p.archive ? `\nand ${p.archive}` : ''}\nstart it with ${p.executable}\n`,
      ),
    (e: unknown) => {
      process.stderr.write(`package:engine failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
