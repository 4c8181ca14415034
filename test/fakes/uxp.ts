/**
 * Fake of UXP's `uxp` module: storage.localFileSystem with a plugin folder backed by a map of files, and a file
 * picker whose answer a test sets. Reads return ArrayBuffer for formats.binary and string for formats.utf8, as
 * UXP does.
 */
const utf8 = Symbol('utf8');
const binary = Symbol('binary');

export const pluginFiles = new Map<string, Uint8Array>();
export const picker: { next: { name: string; bytes: Uint8Array } | null } = { next: null };

function fileEntry(name: string, bytes: Uint8Array) {
  return {
    name,
    isFile: true,
    async read(o: { format?: symbol } = {}): Promise<string | ArrayBuffer> {
      if (o.format === binary) return bytes.slice().buffer;
      return new TextDecoder().decode(bytes);
    },
  };
}

export const storage = {
  formats: { utf8, binary },
  localFileSystem: {
    async getPluginFolder() {
      return {
        async getEntry(path: string) {
          const b = pluginFiles.get(path);
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
