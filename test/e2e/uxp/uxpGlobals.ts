/**
 * How the UXP harness reshapes Chromium before the panel's bundle runs, one entry per global, each with the Adobe
 * page that settles it. Sources are AdobeDocs/uxp-photoshop at commit 6edd63f (2026-07), paths under src/pages/.
 * "Not listed" means the global is absent from UXP's Global Members reference (uxp-api/reference-js/global-members/,
 * which lists crypto, storage, data transfers, HTML DOM / elements / events, ImageBlob, path and streams): the
 * harness treats an undocumented global as missing, so the panel never relies on one.
 */

export interface UxpGlobalChange {
  /** What is changed, as a path from globalThis. */
  name: string;
  change: 'removed' | 'restricted' | 'added';
  /** The Adobe page (path under AdobeDocs/uxp-photoshop src/pages/) and what it says. */
  doc: string;
}

const GLOBALS_INDEX = 'uxp-api/reference-js/global-members/index.md';

export const UXP_GLOBAL_CHANGES: readonly UxpGlobalChange[] = [
  {
    // first: its stand-in draws with the canvas methods removed below
    name: 'ImageBlob',
    change: 'added',
    doc: 'uxp-api/reference-js/global-members/image-blob/image-blob.md: UXP 7+, Photoshop; raw pixels ("image/uncompressed") for URL.createObjectURL. The stand-in re-encodes them as PNG for Chromium',
  },
  {
    name: 'TextDecoder',
    change: 'removed',
    doc: `${GLOBALS_INDEX}: not listed (no Encoding API); Adobe's wasm-rust-sample bundles its own`,
  },
  { name: 'TextEncoder', change: 'removed', doc: `${GLOBALS_INDEX}: not listed (no Encoding API)` },
  { name: 'Worker', change: 'removed', doc: `${GLOBALS_INDEX}: not listed (no Web Workers)` },
  { name: 'SharedWorker', change: 'removed', doc: `${GLOBALS_INDEX}: not listed` },
  {
    name: 'SharedArrayBuffer',
    change: 'removed',
    doc: `${GLOBALS_INDEX}: not listed; guides/code-samples/index.md names WebAssembly but not threads`,
  },
  {
    name: 'OffscreenCanvas',
    change: 'removed',
    doc: `${GLOBALS_INDEX}: not listed; guides/uxp-guide/unsupported/index.md: "HTML5 Canvas" unsupported`,
  },
  { name: 'structuredClone', change: 'removed', doc: `${GLOBALS_INDEX}: not listed` },
  { name: 'createImageBitmap', change: 'removed', doc: `${GLOBALS_INDEX}: not listed` },
  {
    name: 'ImageData',
    change: 'removed',
    doc: `${GLOBALS_INDEX}: not listed (the canvas context has no pixel access)`,
  },
  { name: 'navigator.gpu', change: 'removed', doc: `${GLOBALS_INDEX}: not listed (no WebGPU, no WebGL)` },
  {
    name: 'fetch',
    change: 'restricted',
    doc: 'uxp-api/reference-js/global-members/data-transfers/fetch.md: init takes method, headers, body, credentials only (no signal): the harness ignores init.signal',
  },
  {
    name: 'Element.prototype.toggleAttribute',
    change: 'removed',
    doc: 'uxp-api/reference-js/global-members/html-dom/element.md: getAttribute, setAttribute, removeAttribute, hasAttribute; no toggleAttribute (Lit 3 calls it for ?attr= bindings)',
  },
  {
    // after ImageBlob, whose object URLs it keeps
    name: 'URL',
    change: 'restricted',
    doc: `${GLOBALS_INDEX}: no URL class listed; image-blob/image-blob.md uses URL.createObjectURL only: the harness leaves createObjectURL / revokeObjectURL and removes the constructor`,
  },
  {
    name: 'performance',
    change: 'removed',
    doc: `${GLOBALS_INDEX}: not listed (onnxruntime-web's wasm glue reads performance.timeOrigin + performance.now())`,
  },
  {
    name: 'SVGElement pointer events',
    change: 'restricted',
    doc: 'uxp-api/known-issues.md: "UXP\'s SVG renderer is targeted for simple icons" and "Interactive elements swallow most events": a pointer event aimed at an SVG element reaches no listener',
  },
  {
    name: 'CanvasRenderingContext2D.prototype.drawImage/getImageData/putImageData/createImageData',
    change: 'removed',
    doc: 'uxp-api/reference-js/global-members/html-dom/canvas-rendering-context2-d.md: paths, fills, strokes and gradients only',
  },
];

/**
 * Runs in the page before any of its scripts (Playwright addInitScript): applies UXP_GLOBAL_CHANGES. Self-contained,
 * as it is serialised into the page.
 */
export function shapeLikeUxp(names: string[]): void {
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of names) {
    if (name === 'ImageBlob') {
      const put = CanvasRenderingContext2D.prototype.putImageData as (
        this: CanvasRenderingContext2D,
        d: ImageData,
        x: number,
        y: number,
      ) => void;
      const RealImageData = ImageData;
      g.ImageBlob = class ImageBlob extends Blob {
        constructor(
          data: ArrayBuffer,
          o: { type: string; width: number; height: number; components: number; pixelFormat: string },
        ) {
          if (o.type !== 'image/uncompressed' || o.components !== 4 || o.pixelFormat !== 'RGBA')
            throw new Error(`the ImageBlob stand-in takes RGBA only, not ${JSON.stringify(o)}`);
          if (data.byteLength !== o.width * o.height * 4)
            throw new Error('ImageBlob: ByteLength not matching the required size');
          const c = document.createElement('canvas');
          c.width = o.width;
          c.height = o.height;
          put.call(c.getContext('2d')!, new RealImageData(new Uint8ClampedArray(data), o.width, o.height), 0, 0);
          super([Uint8Array.from(atob(c.toDataURL('image/png').split(',')[1]), (ch) => ch.charCodeAt(0))], {
            type: 'image/png',
          });
        }
      };
      // the test counts object URLs not yet revoked
      const live = new Set<string>();
      g.liveObjectUrls = live;
      const create = URL.createObjectURL.bind(URL);
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.createObjectURL = (b: Blob) => {
        const u = create(b);
        live.add(u);
        return u;
      };
      URL.revokeObjectURL = (u: string) => {
        live.delete(u);
        revoke(u);
      };
    } else if (name === 'Element.prototype.toggleAttribute')
      delete (Element.prototype as unknown as Record<string, unknown>).toggleAttribute;
    else if (name === 'URL') {
      const statics = {
        createObjectURL: URL.createObjectURL.bind(URL),
        revokeObjectURL: URL.revokeObjectURL.bind(URL),
      };
      Object.defineProperty(globalThis, 'URL', { value: statics, writable: true, configurable: true });
    } else if (name === 'performance')
      Object.defineProperty(globalThis, 'performance', { value: undefined, writable: true, configurable: true });
    else if (name === 'SVGElement pointer events') {
      for (const type of ['pointerdown', 'pointermove', 'pointerup', 'mousedown', 'mouseup', 'click']) {
        window.addEventListener(
          type,
          (e) => {
            if (e.composedPath()[0] instanceof SVGElement) e.stopImmediatePropagation();
          },
          true,
        );
      }
    } else if (name === 'navigator.gpu')
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    else if (name === 'fetch') {
      const real = g.fetch as typeof fetch;
      // UXP's fetch takes no AbortSignal: the signal is dropped, the request runs to its end
      g.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const rest: RequestInit = { ...init };
        delete rest.signal;
        return real(input, rest);
      };
    } else if (name.startsWith('CanvasRenderingContext2D.prototype.')) {
      const proto = CanvasRenderingContext2D.prototype as unknown as Record<string, unknown>;
      for (const m of name.slice('CanvasRenderingContext2D.prototype.'.length).split('/')) delete proto[m];
    } else delete g[name];
  }
}

/**
 * UXP before 7.3 (Photoshop 25.2; the panel runs from 24.4, UXP 7.0): uxp-api/reference-js/global-members/
 * data-transfers/response.md, the page that documents `Response` and its `body` stream, says "Since: v7.3.0". A run
 * with this before the bundle (Playwright addInitScript) has no `Response.body`.
 * Self-contained, as it is serialised into the page.
 */
export function withoutResponseBody(): void {
  delete (Response.prototype as unknown as Record<string, unknown>).body;
}
