/**
 * Fake of UXP's `uxp` module: storage.localFileSystem with a plugin folder backed by a map of files, and a file
 * picker whose answer a test sets. Reads return ArrayBuffer for formats.binary and string for formats.utf8, as
 * UXP does.
 */
import { decodeUtf8, encodeUtf8 } from '../../plugin/codecs/utf8';
import { nativeFiles } from './uxpFs';

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
  const entry = (name: string, kind: 'file' | 'folder') => (kind === 'folder' ? dataFolder(`${prefix}${name}/`) : fileEntry(name, dataFiles.get(prefix + name)!));
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
      return {
        name,
        isFile: true,
        async write(data: string | ArrayBuffer, w: { format?: symbol } = {}) {
          if (typeof data === 'string' ? w.format === binary : w.format !== binary) throw new Error('write: the data does not match the format');
          dataFiles.set(prefix + name, typeof data === 'string' ? encodeUtf8(data) : new Uint8Array(data.slice(0)));
        },
      };
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
      const bytes = typeof value === 'string' ? encodeUtf8(value) : value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
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
