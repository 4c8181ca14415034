/**
 * Files through UXP's storage API: the plugin's own files (model, runtime .wasm) and a user-picked checkpoint.
 * The typings declare these calls as returning `any`, so each result is checked into a small typed shape here.
 */
import { UserFixableError } from '../../engine/core/errors';
import { storage } from 'uxp';

interface ReadableFile {
  name: string;
  read(options: { format?: symbol }): Promise<unknown>;
}

interface FolderLike {
  getEntry(path: string): Promise<unknown>;
}

function isFile(v: unknown): v is ReadableFile {
  return typeof v === 'object' && v !== null && typeof (v as { read?: unknown }).read === 'function' && typeof (v as { name?: unknown }).name === 'string';
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

/** Shows the open dialog for an official .pkl (localFileSystem: "request" in the manifest). */
export async function pickBinaryFile(extensions: string[]): Promise<{ name: string; bytes: Uint8Array } | null> {
  const picked: unknown = await storage.localFileSystem.getFileForOpening({ types: extensions, allowMultiple: false });
  if (!isFile(picked)) return null;
  return { name: picked.name, bytes: bytesOf(await picked.read({ format: storage.formats.binary }), picked.name) };
}
