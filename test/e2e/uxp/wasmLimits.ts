/**
 * WebAssembly as a UXP might give it, one limit per harness run (test/e2e/uxpHarness.test.ts). Adobe documents only
 * that "UXP also supports WebAssembly" (guides/code-samples/index.md): not threads, shared memory or SIMD, and
 * the Global Members reference (uxp-api/reference-js/global-members/index.md) lists no `Atomics`. Each function runs
 * in the page before the panel's bundle (Playwright addInitScript), so each is self-contained.
 */

/** No `Atomics` global (onnxruntime-web's glue reads Atomics.waitAsync as it starts). */
export function withoutAtomics(): void {
  delete (globalThis as { Atomics?: unknown }).Atomics;
}

/** No shared WebAssembly.Memory (the threaded builds import their memory as shared). */
export function withoutSharedWasmMemory(): void {
  const Real = WebAssembly.Memory;
  WebAssembly.Memory = function Memory(d: WebAssembly.MemoryDescriptor) {
    if (d.shared) throw new TypeError('shared WebAssembly.Memory is not available');
    return new Real(d);
  } as unknown as typeof WebAssembly.Memory;
}

/**
 * A WebAssembly without SIMD: a module that uses v128 (in a function type or a function's locals, where every SIMD
 * module has it) fails to validate and to compile, as it does in an engine without the proposal.
 */
export function withoutSimd(): void {
  const V128 = 0x7b;
  const usesV128 = (src: BufferSource): boolean => {
    const b =
      src instanceof ArrayBuffer ? new Uint8Array(src) : new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    let p = 8;
    const u = (): number => {
      let r = 0;
      let shift = 0;
      let x: number;
      do {
        x = b[p++];
        r += (x & 0x7f) * 2 ** shift;
        shift += 7;
      } while (x & 0x80);
      return r;
    };
    while (p < b.length) {
      const id = b[p++];
      const len = u();
      const end = p + len;
      if (id === 1) {
        // type section: (0x60 params results)*
        for (let n = u(); n > 0; n--) {
          p++;
          for (let k = 0; k < 2; k++) for (let m = u(); m > 0; m--) if (b[p++] === V128) return true;
        }
      } else if (id === 10) {
        // code section: each body's locals come first as (count, type) pairs
        for (let n = u(); n > 0; n--) {
          const size = u();
          const next = p + size;
          for (let m = u(); m > 0; m--) {
            u();
            if (b[p++] === V128) return true;
          }
          p = next;
        }
      }
      p = end;
    }
    return false;
  };
  const refuse = () => new WebAssembly.CompileError('WebAssembly SIMD (v128) is not supported here');
  const W = WebAssembly as unknown as Record<string, unknown>;
  const validate = WebAssembly.validate;
  W.validate = (bytes: BufferSource) => !usesV128(bytes) && validate(bytes);
  const compile = WebAssembly.compile;
  W.compile = (bytes: BufferSource) => (usesV128(bytes) ? Promise.reject(refuse()) : compile(bytes));
  const instantiate = WebAssembly.instantiate as (
    s: BufferSource | WebAssembly.Module,
    i?: WebAssembly.Imports,
  ) => Promise<unknown>;
  W.instantiate = (s: BufferSource | WebAssembly.Module, i?: WebAssembly.Imports) =>
    !(s instanceof WebAssembly.Module) && usesV128(s) ? Promise.reject(refuse()) : instantiate(s, i);
  const RealModule = WebAssembly.Module;
  W.Module = function Module(bytes: BufferSource) {
    if (usesV128(bytes)) throw refuse();
    return new RealModule(bytes);
  };
  (W.Module as { prototype: unknown }).prototype = RealModule.prototype;
  // its statics (imports, exports, customSections) from the real one
  Object.setPrototypeOf(W.Module, RealModule);
  // streaming compiles read a Response: refused outright (the panel passes bytes; a page would fall back to bytes)
  W.compileStreaming = () => Promise.reject(refuse());
  W.instantiateStreaming = () => Promise.reject(refuse());
}
