import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

const PACKAGE_NAME = 'draggan-photoshop';

/**
 * The folder holding this package's package.json, found by walking up from this module: the same answer from the
 * sources (plugin/hosts/node) and from the bundle (dist/node), wherever the package is installed.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // an unreadable package.json further down is not ours: keep walking
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package folder above ${from}`);
  }
}

/** The demo model that ships with the package (`models/bundled`). */
export function bundledModelDir(): string {
  return join(packageRoot(), 'models', 'bundled');
}
