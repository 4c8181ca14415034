/** The built CLI (dist/node/draggan.js) for tests that run it as a user does; rebuilt first when any source is newer. */
import { spawnSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { ROOT } from './referenceImage';

export const BUNDLE = join(ROOT, 'dist/node/draggan.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the bundle unless it is newer than every source, so a test never passes on a stale build. */
export function ensureBundle(): void {
  const sources = Math.max(newestSource(join(ROOT, 'plugin')), statSync(join(ROOT, 'webpack.config.js')).mtimeMs);
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < sources) {
    const b = spawnSync(process.execPath, [require.resolve('webpack-cli/bin/cli.js'), '--mode', 'production'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`npm run build failed:\n${b.stdout}\n${b.stderr}`);
  }
}
