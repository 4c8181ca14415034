/** Whether this host can run the WebGPU provider: a `navigator.gpu` that hands out an adapter. */

export interface WebGpuAvailability {
  available: boolean;
  /** Why not (for the user: what to do), or which adapter was found. */
  reason: string;
}

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
}
interface GpuAdapterLike {
  info?: AdapterInfo;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** The adapter, or why there is none. */
async function requestWebGpuAdapter(): Promise<{ adapter?: GpuAdapterLike; reason: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return { adapter: undefined, reason: 'this browser has no WebGPU (navigator.gpu is missing); use wasm, or a browser with WebGPU enabled' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { adapter: undefined, reason: `WebGPU could not be asked for an adapter (${e instanceof Error ? e.message : String(e)}); use wasm` };
  }
  if (!adapter) {
    return { adapter: undefined, reason: 'WebGPU found no usable graphics adapter (the GPU is missing, blocklisted or disabled in this browser); use wasm' };
  }
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture, info?.description].filter((s) => s).join(' ');
  return { adapter, reason: `adapter: ${name || 'unnamed'}` };
}

/**
 * WebGPU is offered only when `navigator.gpu.requestAdapter()` returns an adapter: `navigator.gpu` alone is not
 * enough (Chromium exposes it on machines whose GPU it will not use). Never throws.
 */
export async function probeWebGpu(): Promise<WebGpuAvailability> {
  const { adapter, reason } = await requestWebGpuAdapter();
  return { available: !!adapter, reason };
}
