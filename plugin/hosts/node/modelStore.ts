/**
 * The user's model folder, where `draggan models pull` installs catalog models: `$DRAGGAN_MODELS`, else
 * `~/.draggan/models`. Each model is a package folder named by its catalog id; downloads in progress live in
 * `.downloads/` beside them (same file system, so the finished model is renamed into place, never copied), and a
 * model being written lives in a hidden temporary folder until it is whole.
 */
import { existsSync } from 'fs';
import { homedir } from 'os';
import { join, resolve } from 'path';
import { MODEL_JSON, WEIGHTS_FILE } from './modelFiles';

export function modelsRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.DRAGGAN_MODELS;
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : join(homedir(), '.draggan', 'models');
}

/** Where the model with this catalog id is (or would be) installed. */
export function installedDir(id: string, root: string = modelsRoot()): string {
  return join(root, id);
}

/** A complete package: both files there (a folder a crash left behind without them does not count). */
export function isInstalled(id: string, root: string = modelsRoot()): boolean {
  const dir = installedDir(id, root);
  return existsSync(join(dir, MODEL_JSON)) && existsSync(join(dir, WEIGHTS_FILE));
}

/** The resumable download of a catalog file. */
export function partialPath(id: string, fileName: string, root: string = modelsRoot()): string {
  return join(root, '.downloads', `${id}--${fileName}.partial`);
}

/** A fresh hidden folder name for writing a model before it is renamed to its id. */
export function stagingDir(id: string, root: string = modelsRoot()): string {
  return join(root, `.${id}.${process.pid}.${Date.now()}.tmp`);
}
