/**
 * The user's model folder, where `draggan models pull` installs catalog models: `$DRAGGAN_MODELS`, else
 * `~/.draggan/models`. Each model is a package folder named by its catalog id; downloads in progress live in
 * `.downloads/` beside them (same file system, so the finished model is renamed into place, never copied), and a
 * model being written lives in a hidden temporary folder until it is whole.
 */
import { existsSync, readdirSync, rmSync } from 'fs';
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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes staging folders of this id that a killed pull left behind (a second Ctrl-C during the import): hidden,
 * but hundreds of megabytes. Those of a pull still running (its process alive) are left alone.
 */
export function removeStaleStaging(id: string, root: string = modelsRoot()): string[] {
  if (!existsSync(root)) return [];
  const prefix = `.${id}.`;
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const m = name.startsWith(prefix) ? /^(\d+)\.\d+\.tmp(\.old)?$/.exec(name.slice(prefix.length)) : null;
    if (!m || processAlive(Number(m[1]))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
