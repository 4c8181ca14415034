/** The probe of what the in-panel engine needs from UXP's WebAssembly, and what the panel says when it is missing. */
import { BackendError } from '../../plugin/core/errors';
import { probeWasmFeatures, requireWasmFeatures } from '../../plugin/hosts/photoshop/wasmFeatures';

describe('wasm features for the in-panel engine', () => {
  test('Node has WebAssembly with shared memory and SIMD: the probe finds them, nothing is refused', () => {
    expect(probeWasmFeatures()).toEqual({ wasm: true, sharedMemory: true, simd: true });
    expect(() => requireWasmFeatures()).not.toThrow();
  });

  test('the SIMD probe is a real SIMD module: it fails validation once its v128 opcode is broken', () => {
    const simd = jest.spyOn(WebAssembly, 'validate');
    probeWasmFeatures();
    const bytes = new Uint8Array(simd.mock.calls[0][0] as Uint8Array);
    simd.mockRestore();
    const broken = bytes.slice();
    broken[broken.indexOf(0xfd)] = 0xff;
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(WebAssembly.validate(broken)).toBe(false);
  });

  test('each missing feature is named, with what to do instead', () => {
    for (const [f, missing] of [
      [{ wasm: true, sharedMemory: false, simd: true }, /no WebAssembly shared memory, which/],
      [{ wasm: true, sharedMemory: true, simd: false }, /no WebAssembly SIMD, which/],
      [{ wasm: true, sharedMemory: false, simd: false }, /no WebAssembly shared memory and no WebAssembly SIMD/],
      [{ wasm: false, sharedMemory: false, simd: false }, /no WebAssembly, which/],
    ] as const) {
      const e = (() => {
        try {
          requireWasmFeatures(f);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(BackendError);
      expect((e as Error).message).toMatch(missing);
      expect((e as Error).message).toMatch(/npm run serve/);
      expect((e as Error).message).toMatch(/Local engine in Settings/);
    }
  });
});
