/**
 * What the in-panel engine needs from UXP's WebAssembly, probed before it starts. onnxruntime-web 1.30 ships only
 * threaded SIMD builds (ort-wasm-simd-threaded*.wasm): each imports its memory as shared, so it cannot be instantiated
 * without a shared WebAssembly.Memory whatever numThreads is, and it is SIMD code throughout. UXP documents
 * WebAssembly (guides/code-samples) but says nothing of shared memory or SIMD, so the panel asks, and where one is
 * missing says so and sends the user to the local engine rather than failing deep inside the runtime. (The last
 * onnxruntime-web with builds needing neither, 1.18, cannot take the wasm as bytes, which UXP needs:
 * docs/photoshop.md, finding 22.)
 */
import { BackendError } from '../../core/errors';
import { START_LOCAL_ENGINE } from '../../ui/localEngineHelp';

export interface WasmFeatures {
  wasm: boolean;
  sharedMemory: boolean;
  simd: boolean;
}

/** The smallest module with a v128 result: it validates only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b,
  0x03,
  0x02,
  0x01,
  0x00,
  0x0a,
  0x16,
  0x01,
  0x14,
  0x00,
  0xfd,
  0x0c,
  ...new Array<number>(16).fill(0),
  0x0b,
]);

export function probeWasmFeatures(): WasmFeatures {
  const W = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (!W) return { wasm: false, sharedMemory: false, simd: false };
  let sharedMemory = false;
  try {
    sharedMemory = new W.Memory({ initial: 1, maximum: 1, shared: true }).buffer !== undefined;
  } catch {
    // no shared memory here
  }
  let simd = false;
  try {
    simd = W.validate(SIMD_PROBE);
  } catch {
    // no SIMD here
  }
  return { wasm: true, sharedMemory, simd };
}

/** Throws what a user can act on when the in-panel engine cannot start here. */
export function requireWasmFeatures(f: WasmFeatures = probeWasmFeatures()): void {
  const missing = [
    !f.wasm && 'WebAssembly',
    f.wasm && !f.sharedMemory && 'WebAssembly shared memory',
    f.wasm && !f.simd && 'WebAssembly SIMD',
  ].filter((m): m is string => !!m);
  if (missing.length === 0) return;
  throw new BackendError(
    `the in-panel engine cannot start in this Photoshop: its UXP has no ${missing.join(' and no ')}, which the bundled onnxruntime build needs. ` +
      `To edit here, ${START_LOCAL_ENGINE} (or a remote endpoint).`,
    [{ backend: 'wasm', error: `missing ${missing.join(', ')}` }],
  );
}
