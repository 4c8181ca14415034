/**
 * Fake of UXP's `uxp` module: storage.localFileSystem with a plugin folder backed by a map of files, and a file
 * picker whose answer a test sets. Reads return ArrayBuffer for formats.binary and string for formats.utf8, as
 * UXP does.
 */
import { decodeUtf8, encodeUtf8 } from '../../plugin/codecs/utf8';

const utf8 = Symbol('utf8');
const binary = Symbol('binary');

export const pluginFiles = new Map<string, Uint8Array>();
/** Where files missing from pluginFiles come from (the UXP harness reads the built plugin folder over HTTP). */
export const pluginFolder: { fallback?: (path: string) => Promise<Uint8Array | undefined> } = {};
export const picker: { next: { name: string; bytes: Uint8Array } | null } = { next: null };

function fileEntry(name: string, bytes: Uint8Array) {
  return {
    name,
    isFile: true,
    async read(o: { format?: symbol } = {}): Promise<string | ArrayBuffer> {
      if (o.format === binary) return bytes.slice().buffer;
      return decodeUtf8(bytes);
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
      return {};
    },
    async getFileForOpening() {
      const f = picker.next;
      picker.next = null;
      return f ? fileEntry(f.name, f.bytes) : undefined;
    },
  },
};

export default { storage };
