/**
 * Files through UXP's storage API: the plugin's own files (model, runtime .wasm) and a user-picked checkpoint.
 * The typings declare these calls as returning `any`, so each result is checked into a small typed shape here.
 */
import { UserFixableError } from '../../core/errors';
import type { PickedCheckpoint } from '../../ui/hostPort';
import { storage } from 'uxp';
import { uxpByteSource } from './uxpByteSource';
import { uxpFs } from './uxpFs';

interface ReadableFile {
  name: string;
  read(options: { format?: symbol }): Promise<unknown>;
}

interface FolderLike {
  getEntry(path: string): Promise<unknown>;
}

function isFile(v: unknown): v is ReadableFile {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { read?: unknown }).read === 'function' &&
    typeof (v as { name?: unknown }).name === 'string'
  );
}

function isFolder(v: unknown): v is FolderLike {
  return typeof v === 'object' && v !== null && typeof (v as { getEntry?: unknown }).getEntry === 'function';
}

function bytesOf(v: unknown, what: string): Uint8Array {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new Error(`${what} could not be read as binary data`);
}

async function pluginFile(path: string): Promise<ReadableFile> {
  const folder: unknown = await storage.localFileSystem.getPluginFolder();
  if (!isFolder(folder)) throw new Error('the plugin folder is not readable');
  const entry: unknown = await folder.getEntry(path).catch(() => undefined);
  if (!isFile(entry)) throw new UserFixableError(`the plugin is missing ${path}; rebuild it with npm run build`);
  return entry;
}

export async function readPluginBytes(path: string): Promise<Uint8Array> {
  return bytesOf(await (await pluginFile(path)).read({ format: storage.formats.binary }), path);
}

export async function readPluginText(path: string): Promise<string> {
  const v = await (await pluginFile(path)).read({ format: storage.formats.utf8 });
  if (typeof v !== 'string') throw new Error(`${path} could not be read as text`);
  return v;
}

/**
 * Shows the open dialog for an official .pkl (localFileSystem: "request" in the manifest). The file is not read
 * here: the import reads it a part at a time (uxpByteSource.ts).
 */
export async function pickBinaryFile(extensions: string[]): Promise<PickedCheckpoint | null> {
  const picked: unknown = await storage.localFileSystem.getFileForOpening({ types: extensions, allowMultiple: false });
  if (!isFile(picked)) return null;
  return { name: picked.name, file: await uxpByteSource(picked, uxpFs, storage.formats.binary) };
}

/**
 * Models imported in the panel, kept as model folders (model.json + weights.safetensors) under `models/` in the
 * plugin's data folder, so they are offered again after Photoshop restarts. Adobe: the data folder needs no
 * permission and persists across upgrades, removed on uninstall (FileSystemProvider.getDataFolder, "Work with files
 * and folders"); Folder.getEntries / createFolder / createFile(name, {overwrite}) and File.write(data, {format:
 * formats.binary}) (Folder, File in uxp/Persistent File Storage).
 */
export interface SavedModel {
  /** The folder's name: the model's id in the picker. */
  name: string;
  modelJson: string;
  weights(): Promise<Uint8Array>;
}

export interface EntryLike {
  name: string;
  isFolder?: boolean;
  isFile?: boolean;
}

export interface WritableFolder extends FolderLike {
  getEntries(): Promise<unknown[]>;
  createFolder(name: string): Promise<unknown>;
  createFile(name: string, options: { overwrite: boolean }): Promise<unknown>;
}

export function isWritableFolder(v: unknown): v is WritableFolder {
  const f = v as Partial<WritableFolder> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.getEntries === 'function' &&
    typeof f.createFolder === 'function' &&
    typeof f.createFile === 'function'
  );
}

/** A folder of the plugin's data folder by name (`models`, `downloads`), made when asked to and missing. */
export async function dataSubfolder(name: string, create: boolean): Promise<WritableFolder | undefined> {
  const data: unknown = await storage.localFileSystem.getDataFolder();
  if (!isWritableFolder(data)) throw new Error("the plugin's data folder is not writable");
  const found = ((await data.getEntries()) as EntryLike[]).find((e) => e.name === name && e.isFolder);
  const folder: unknown = found ?? (create ? await data.createFolder(name) : undefined);
  if (folder === undefined) return undefined;
  if (!isWritableFolder(folder)) throw new Error(`the plugin's ${name} folder is not writable`);
  return folder;
}

export const MODELS_FOLDER = 'models';

const modelsFolder = (create: boolean) => dataSubfolder(MODELS_FOLDER, create);

export async function listSavedModels(): Promise<SavedModel[]> {
  const folder = await modelsFolder(false);
  if (!folder) return [];
  const out: SavedModel[] = [];
  for (const entry of (await folder.getEntries()) as EntryLike[]) {
    // a hidden folder is a model still being written (uxpModelStorage.ts), not one to offer
    if (!entry.isFolder || !isFolder(entry) || entry.name.startsWith('.')) continue;
    const json: unknown = await entry.getEntry('model.json').catch(() => undefined);
    const weights: unknown = await entry.getEntry('weights.safetensors').catch(() => undefined);
    // a folder without both files is an import that did not finish: not a model
    if (!isFile(json) || !isFile(weights)) continue;
    const text = await json.read({ format: storage.formats.utf8 });
    if (typeof text !== 'string') continue;
    out.push({
      name: entry.name,
      modelJson: text,
      weights: async () =>
        bytesOf(await weights.read({ format: storage.formats.binary }), `${entry.name}/weights.safetensors`),
    });
  }
  return out;
}

/** Writes the weights first and model.json last, so a folder with a model.json holds a whole model. */
export async function saveModel(name: string, files: { modelJson: string; weights: Uint8Array }): Promise<void> {
  const models = await modelsFolder(true);
  if (!models) throw new Error("the plugin's models folder could not be created");
  await writeModelFolder(models, name, files);
}

export async function writeModelFolder(
  models: WritableFolder,
  name: string,
  files: { modelJson: string; weights: Uint8Array },
): Promise<void> {
  const existing = ((await models.getEntries()) as EntryLike[]).find((e) => e.name === name);
  const folder: unknown = existing ?? (await models.createFolder(name));
  if (!isWritableFolder(folder)) throw new Error(`the models folder ${name} is not writable`);
  for (const [file, data] of [
    ['weights.safetensors', files.weights.slice().buffer],
    ['model.json', files.modelJson],
  ] as const) {
    const entry = (await folder.createFile(file, { overwrite: true })) as {
      write(data: string | ArrayBuffer, o: { format: symbol }): Promise<unknown>;
    };
    await entry.write(data, { format: typeof data === 'string' ? storage.formats.utf8 : storage.formats.binary });
  }
}
