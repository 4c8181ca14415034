/**
 * The part of UXP's `uxp` module the panel uses. @adobe/cc-ext-uxp-types declares `uxp` too, but it also redeclares
 * DOM globals (fetch, RequestInit) in ways that break the other hosts' code and lacks storage.localFileSystem, so
 * the panel declares the few calls it makes here, as the UXP reference documents them.
 */
declare module 'uxp' {
  export namespace storage {
    namespace formats {
      const utf8: symbol;
      const binary: symbol;
    }
    interface LocalFileSystemProvider {
      getPluginFolder(): Promise<unknown>;
      getDataFolder(): Promise<unknown>;
      getFileForOpening(options?: {
        types?: string[];
        allowMultiple?: boolean;
        initialDomain?: symbol;
      }): Promise<unknown>;
    }
    const localFileSystem: LocalFileSystemProvider;
    /** uxp-api/reference-js/modules/uxp/key-value-storage/secure-storage.md */
    namespace secureStorage {
      function getItem(key: string): Promise<Uint8Array>;
      function setItem(key: string, value: string | ArrayBuffer | ArrayBufferView): Promise<void>;
      function removeItem(key: string): Promise<void>;
    }
  }
}
