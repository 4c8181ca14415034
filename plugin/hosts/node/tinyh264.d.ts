/**
 * tinyh264's emscripten build (h264bsd in WebAssembly, its wasm inlined as base64): the C API on the module's heap.
 * Loaded through webpack-loaders/tinyH264Loader.cjs, which makes it a CommonJS module Node can run.
 */
declare module 'tinyh264/lib/TinyH264.js' {
  export interface TinyH264Module {
    HEAPU8: Uint8Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    _h264bsdAlloc(): number;
    _h264bsdInit(storage: number, noOutputReordering: number): number;
    /** One NAL unit (with its start code) in; 1 when it completed a picture (at *picture, *width x *height). */
    _h264bsdDecode(
      storage: number,
      data: number,
      length: number,
      picture: number,
      width: number,
      height: number,
    ): number;
    _h264bsdShutdown(storage: number): void;
    _h264bsdFree(storage: number): void;
    getValue(pointer: number, type: 'i32' | 'i8*'): number;
  }
  const createTinyH264: () => Promise<TinyH264Module>;
  export default createTinyH264;
}
