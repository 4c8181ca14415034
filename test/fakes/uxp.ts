/**
 * Fake of UXP's `uxp` module: storage.localFileSystem with a plugin folder backed by a map of files, and a file
 * picker whose answer a test sets. Reads return ArrayBuffer for formats.binary and string for formats.utf8, as
 * UXP does.
 */
import { decodeUtf8, encodeUtf8 } from '../../plugin/codecs/utf8';
import { nativeFallback, nativeFiles } from './uxpFs';

const utf8 = Symbol('utf8');
const binary = Symbol('binary');

export const pluginFiles = new Map<string, Uint8Array>();
/** Where files missing from pluginFiles come from (the UXP harness reads the built plugin folder over HTTP). */
export const pluginFolder: { fallback?: (path: string) => Promise<Uint8Array | undefined> } = {};
export const picker: { next: { name: string; bytes: Uint8Array } | null } = { next: null };

function fileEntry(name: string, bytes: Uint8Array, nativePath = `/plugin/${name}`) {
  return {
    name,
    isFile: true,
    nativePath,
    async getMetadata() {
      return { name, size: bytes.length, isFile: true, isFolder: false };
    },
    async read(o: { format?: symbol } = {}): Promise<string | ArrayBuffer> {
      if (o.format === binary) return bytes.slice().buffer;
      return decodeUtf8(bytes);
    },
  };
}

/**
 * The plugin's data folder: files by path ('models/x/model.json'), folders as a set of paths. As Adobe's Folder and
 * File pages say: createFile refuses an existing file unless {overwrite: true}; nothing is on disk until write();
 * write takes a string (formats.utf8, the default) or an ArrayBuffer (formats.binary).
 */
export const dataFiles = new Map<string, Uint8Array>();
export const dataFolders = new Set<string>();
nativeFallback.find = (path) =>
  path.startsWith(DATA_FOLDER_PATH) ? dataFiles.get(path.slice(DATA_FOLDER_PATH.length)) : undefined;

function dataFolder(prefix: string) {
  const children = () => {
    const names = new Map<string, 'file' | 'folder'>();
    for (const path of [...dataFiles.keys(), ...dataFolders]) {
      if (!path.startsWith(prefix) || path === prefix) continue;
      const rest = path.slice(prefix.length);
      const [head, ...more] = rest.split('/');
      if (head) names.set(head, more.length > 0 || dataFolders.has(prefix + head) ? 'folder' : 'file');
    }
    return names;
  };
  const entry = (name: string, kind: 'file' | 'folder') =>
    kind === 'folder' ? dataFolder(`${prefix}${name}/`) : dataFile(prefix + name);
  return {
    name: prefix.split('/').filter(Boolean).pop() ?? '',
    isFolder: true,
    isFile: false,
    async getEntries() {
      return [...children()].map(([name, kind]) => entry(name, kind));
    },
    async getEntry(path: string) {
      const kind = children().get(path);
      if (!kind) throw new Error(`Could not find an entry of '${path}'`);
      return entry(path, kind);
    },
    async createFolder(name: string) {
      if (dataFiles.has(prefix + name)) throw new Error(`a file named '${name}' exists`);
      dataFolders.add(prefix + name);
      return dataFolder(`${prefix}${name}/`);
    },
    async createFile(name: string, o: { overwrite?: boolean } = {}) {
      if (dataFiles.has(prefix + name) && !o.overwrite) throw new Error(`'${name}' exists; pass {overwrite: true}`);
      return dataFile(prefix + name);
    },
    /** folder.md: renameEntry(entry, newName, {overwrite}); an existing name is refused without overwrite. */
    async renameEntry(e: { name: string }, newName: string, o: { overwrite?: boolean } = {}) {
      const from = prefix + e.name;
      const to = prefix + newName;
      if (
        (dataFiles.has(to) || dataFolders.has(to) || [...dataFiles.keys()].some((p) => p.startsWith(`${to}/`))) &&
        !o.overwrite
      )
        throw new Error(`'${newName}' exists`);
      for (const [p, b] of [...dataFiles])
        if (p === from || p.startsWith(`${from}/`)) (dataFiles.delete(p), dataFiles.set(to + p.slice(from.length), b));
      for (const p of [...dataFolders])
        if (p === from || p.startsWith(`${from}/`)) (dataFolders.delete(p), dataFolders.add(to + p.slice(from.length)));
    },
    /** entry.md: "If the entry is a folder, it must be empty before deletion." */
    async delete() {
      const inner = prefix.slice(0, -1);
      if ([...dataFiles.keys(), ...dataFolders].some((p) => p.startsWith(prefix)))
        throw new Error(`the folder '${inner}' is not empty`);
      dataFolders.delete(inner);
      return 0;
    },
  };
}

/** Where the data folder lies on disk, for nativePath (UXP's fs reads it there: test/fakes/uxpFs.ts). */
export const DATA_FOLDER_PATH =
  '/Users/someone/Library/Application Support/Adobe/UXP/PluginsStorage/PHSP/com.draggan.photoshop/PluginData/';

/**
 * A file of the data folder. file.md: write(data, {format, append}) writes a string (formats.utf8, the default) or
 * an ArrayBuffer (formats.binary), at the end with append: true; nothing is on disk until write().
 */
function dataFile(path: string) {
  const name = path.split('/').pop() ?? path;
  return {
    name,
    isFile: true,
    isFolder: false,
    nativePath: DATA_FOLDER_PATH + path,
    async getMetadata() {
      const b = dataFiles.get(path);
      if (!b) throw new Error(`no such file: ${path}`);
      return { name, size: b.length, isFile: true, isFolder: false };
    },
    async read(o: { format?: symbol } = {}): Promise<string | ArrayBuffer> {
      const b = dataFiles.get(path);
      if (!b) throw new Error(`no such file: ${path}`);
      return o.format === binary ? b.slice().buffer : decodeUtf8(b);
    },
    async write(data: string | ArrayBuffer, w: { format?: symbol; append?: boolean } = {}) {
      if (typeof data === 'string' ? w.format === binary : w.format !== binary)
        throw new Error('write: the data does not match the format');
      const bytes = typeof data === 'string' ? encodeUtf8(data) : new Uint8Array(data.slice(0));
      const before = w.append ? (dataFiles.get(path) ?? new Uint8Array(0)) : new Uint8Array(0);
      const all = new Uint8Array(before.length + bytes.length);
      all.set(before);
      all.set(bytes, before.length);
      dataFiles.set(path, all);
    },
    async delete() {
      if (!dataFiles.delete(path)) throw new Error(`no such file: ${path}`);
      return 0;
    },
  };
}

/** Secure storage's items (the fake keeps them in memory, as bytes, as UXP returns them). */
export const secureItems = new Map<string, Uint8Array>();

export const storage = {
  formats: { utf8, binary },
  secureStorage: {
    async getItem(key: string): Promise<Uint8Array> {
      const v = secureItems.get(key);
      if (!v) throw new Error(`secureStorage: no item '${key}'`);
      return v.slice();
    },
    async setItem(key: string, value: string | ArrayBuffer | ArrayBufferView): Promise<void> {
      const bytes =
        typeof value === 'string'
          ? encodeUtf8(value)
          : value instanceof ArrayBuffer
            ? new Uint8Array(value)
            : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      // secure-storage.md: "rejected when the value is empty"
      if (bytes.length === 0) throw new Error('secureStorage: the value is empty');
      secureItems.set(key, bytes.slice());
    },
    async removeItem(key: string): Promise<void> {
      if (!secureItems.delete(key)) throw new Error(`secureStorage: no item '${key}'`);
    },
  },
  localFileSystem: {
    async getPluginFolder() {
      return {
        async getEntry(path: string) {
          const b = pluginFiles.get(path) ?? (await pluginFolder.fallback?.(path));
          if (!b) throw new Error(`Could not find an entry of '${path}'`);
          return fileEntry(path.split('/').pop() ?? path, b);
        },
      };
    },
    async getDataFolder() {
      return dataFolder('');
    },
    async getFileForOpening() {
      const f = picker.next;
      picker.next = null;
      if (!f) return undefined;
      // a picked file can also be opened through require('fs') by its native path (test/fakes/uxpFs.ts)
      const nativePath = `/Users/someone/Downloads/${f.name}`;
      nativeFiles.set(nativePath, f.bytes);
      return fileEntry(f.name, f.bytes, nativePath);
    },
  },
};

export default { storage };
