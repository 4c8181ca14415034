/** Whether this host can run the WebGPU provider: a `navigator.gpu` that hands out an adapter. */

export interface WebGpuAvailability {
  available: boolean;
  /** Why not, saying what to do; or, when available, which adapter was found. */
  reason: string;
  /** The adapter's vendor, architecture and description, when there is one (e.g. "google swiftshader"). */
  adapter?: string;
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

/**
 * WebGPU is offered only when `navigator.gpu.requestAdapter()` returns an adapter: `navigator.gpu` alone is not
 * enough (Chromium exposes it on machines whose GPU it will not use). Never throws.
 */
export async function probeWebGpu(): Promise<WebGpuAvailability> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu)
    return {
      available: false,
      reason: 'this browser has no WebGPU (navigator.gpu is missing); use wasm, or a browser with WebGPU enabled',
    };
  try {
    const found = await gpu.requestAdapter();
    if (!found) {
      return {
        available: false,
        reason:
          'WebGPU found no usable graphics adapter (the GPU is missing, blocklisted or disabled in this browser); use wasm',
      };
    }
    const info = found.info;
    const adapter =
      [info?.vendor, info?.architecture, info?.description].filter((s) => s).join(' ') || 'unnamed adapter';
    return { available: true, reason: `adapter: ${adapter}`, adapter };
  } catch (e) {
    return {
      available: false,
      reason: `WebGPU could not be asked for an adapter (${e instanceof Error ? e.message : String(e)}); use wasm`,
    };
  }
}
