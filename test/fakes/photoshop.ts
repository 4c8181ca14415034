/**
 * A faithful in-memory fake of the parts of Photoshop's `photoshop` module the panel uses, enforcing the real
 * contracts: document changes only inside core.executeAsModal (and not nested), getPixels trims the returned
 * bounds to where the layer has pixels, layer ids are unique and stable, image data must be disposed and cannot be
 * used afterwards, and each change is its own history state unless history is suspended (then one named state;
 * resumeHistory(.., false) rolls the document back). Jest maps `photoshop` here (jest.config.js).
 */

export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const EMPTY: Bounds = { left: 0, top: 0, right: 0, bottom: 0 };

let nextId = 1;
const newId = () => nextId++;

export class FakeImageData {
  disposed = false;
  constructor(
    readonly width: number,
    readonly height: number,
    readonly components: number,
    private readonly buf: Uint8Array,
  ) {
    live.add(this);
  }
  readonly componentSize = 8;
  readonly colorSpace = 'RGB';
  readonly chunky = true;
  get hasAlpha(): boolean {
    return this.components === 4 || this.components === 2;
  }
  async getData(_o: { chunky?: boolean } = {}): Promise<Uint8Array> {
    if (this.disposed) throw new Error('imageData has been disposed');
    return this.buf.slice();
  }
  async dispose(): Promise<void> {
    this.disposed = true;
    live.delete(this);
  }
}

/** Image data not yet disposed (a leak in the adapter if any remain after an operation). */
export const live = new Set<FakeImageData>();

export class FakeLayer {
  readonly id = newId();
  layers: FakeLayer[] = [];
  parent: FakeLayer | null = null;
  /** Document-sized RGBA; absent for groups. */
  pixels?: Uint8ClampedArray;
  constructor(
    readonly doc: FakeDocument,
    public name: string,
    readonly kind: 'pixel' | 'group',
    readonly isBackgroundLayer = false,
  ) {
    if (kind === 'pixel') this.pixels = new Uint8ClampedArray(doc.width * doc.height * 4);
  }
  /** The bounds of the layer's non-transparent pixels (Photoshop's layer bounds). */
  get boundsNoEffects(): Bounds {
    if (this.kind === 'group') return this.layers.map((l) => l.boundsNoEffects).reduce(union, EMPTY);
    const { width, height } = this.doc;
    let b: Bounds | null = null;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        if (this.pixels![(y * width + x) * 4 + 3] === 0) continue;
        b = b ? { left: Math.min(b.left, x), top: Math.min(b.top, y), right: Math.max(b.right, x + 1), bottom: Math.max(b.bottom, y + 1) } : { left: x, top: y, right: x + 1, bottom: y + 1 };
      }
    return b ?? EMPTY;
  }
  get bounds(): Bounds {
    return this.boundsNoEffects;
  }
  /** Test helper: fills a rectangle with an opaque colour (no modal needed: it stands for the user's painting). */
  fillRect(b: Bounds, rgb: readonly number[]): void {
    for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) this.pixels!.set([rgb[0], rgb[1], rgb[2], 255], (y * this.doc.width + x) * 4);
  }
}

function union(a: Bounds, b: Bounds): Bounds {
  if (a.right <= a.left) return b;
  if (b.right <= b.left) return a;
  return { left: Math.min(a.left, b.left), top: Math.min(a.top, b.top), right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom) };
}

interface Suspension {
  historySuspensionID: number;
  name: string;
  saved: FakeLayer[];
  savedPixels: Map<FakeLayer, Uint8ClampedArray | undefined>;
}

export class FakeDocument {
  readonly id = newId();
  layers: FakeLayer[] = [];
  activeLayers: FakeLayer[] = [];
  colorSamplers: { position: { x: number; y: number } }[] = [];
  pathItems: { name: string; subPathItems: { pathPoints: { anchor: number[] }[] }[] }[] = [];
  /** Set to emulate Photoshop >= 25 (doc.selection); left undefined for 24.x. */
  selection?: { bounds: Bounds | null };
  /** The selection as a document-sized 0..255 mask; null when nothing is selected. */
  selectionMask: Uint8Array | null = null;
  mode = 'RGBColorMode';
  /** History state names, oldest first. */
  history: string[] = ['Open'];
  suspended: Suspension | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** Test helper: a pixel layer (no modal needed: it stands for the document as opened). */
  addLayer(name: string, background = false): FakeLayer {
    const l = new FakeLayer(this, name, 'pixel', background);
    this.layers.unshift(l);
    this.activeLayers = [l];
    return l;
  }

  /** Test helper: a rectangular selection. */
  select(b: Bounds | null): void {
    if (!b) {
      this.selectionMask = null;
      if (this.selection) this.selection.bounds = null;
      return;
    }
    this.selectionMask = new Uint8Array(this.width * this.height);
    for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) this.selectionMask[y * this.width + x] = 255;
    if (this.selection) this.selection.bounds = { ...b };
  }

  record(name: string): void {
    if (!this.suspended) this.history.push(name);
  }

  allLayers(): FakeLayer[] {
    const out: FakeLayer[] = [];
    const walk = (ls: FakeLayer[]) => ls.forEach((l) => (out.push(l), walk(l.layers)));
    walk(this.layers);
    return out;
  }

  layerById(id: number): FakeLayer {
    const l = this.allLayers().find((x) => x.id === id);
    if (!l) throw new Error(`no layer with id ${id}`);
    return l;
  }

  async createPixelLayer(o: { name?: string } = {}): Promise<FakeLayer> {
    requireModal('createPixelLayer');
    const l = new FakeLayer(this, o.name ?? `Layer ${this.allLayers().length + 1}`, 'pixel');
    const above = this.activeLayers[0];
    const siblings = above?.parent ? above.parent.layers : this.layers;
    siblings.splice(above ? Math.max(0, siblings.indexOf(above)) : 0, 0, l);
    l.parent = above?.parent ?? null;
    this.activeLayers = [l];
    this.record('New Layer');
    return l;
  }

  async createLayerGroup(o: { name?: string; fromLayers?: FakeLayer | FakeLayer[] } = {}): Promise<FakeLayer> {
    requireModal('createLayerGroup');
    const g = new FakeLayer(this, o.name ?? 'Group', 'group');
    const from = o.fromLayers ? (Array.isArray(o.fromLayers) ? o.fromLayers : [o.fromLayers]) : [];
    const first = from[0];
    const siblings = first?.parent ? first.parent.layers : this.layers;
    const at = first ? siblings.indexOf(first) : 0;
    siblings.splice(Math.max(0, at), 0, g);
    g.parent = first?.parent ?? null;
    for (const l of from) {
      const s = l.parent ? l.parent.layers : this.layers;
      s.splice(s.indexOf(l), 1);
      l.parent = g;
      g.layers.push(l);
    }
    this.activeLayers = [g];
    this.record('Group Layers');
    return g;
  }
}

export const app: { documents: FakeDocument[]; activeDocument: FakeDocument | null } = { documents: [], activeDocument: null };

let modal = false;

function requireModal(what: string): void {
  // Photoshop's own wording for a change attempted outside executeAsModal
  if (!modal) throw new Error(`${what}: Error: The command could not be completed because the plugin is not in a modal state (use core.executeAsModal)`);
}

function docById(id: number | undefined): FakeDocument {
  const d = id === undefined ? app.activeDocument : app.documents.find((x) => x.id === id);
  if (!d) throw new Error(`no document with id ${id}`);
  return d;
}

function intersect(a: Bounds, b: Bounds): Bounds {
  const r = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
  return r.right > r.left && r.bottom > r.top ? r : EMPTY;
}

/** Nearest-neighbour scaling of a document-space sampler into a w x h patch. */
function sample(b: Bounds, w: number, h: number, comps: number, at: (x: number, y: number, out: number[]) => void): Uint8Array {
  const out = new Uint8Array(w * h * comps);
  const px: number[] = [0, 0, 0, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      at(Math.floor(b.left + ((x + 0.5) * (b.right - b.left)) / w), Math.floor(b.top + ((y + 0.5) * (b.bottom - b.top)) / h), px);
      for (let c = 0; c < comps; c++) out[(y * w + x) * comps + c] = px[c];
    }
  return out;
}

function scaledSize(requested: Bounds, returned: Bounds, target?: { width?: number; height?: number }): { w: number; h: number } {
  const sx = target?.width ? target.width / (requested.right - requested.left) : target?.height ? target.height / (requested.bottom - requested.top) : 1;
  const sy = target?.height ? target.height / (requested.bottom - requested.top) : sx;
  return { w: Math.max(1, Math.round((returned.right - returned.left) * sx)), h: Math.max(1, Math.round((returned.bottom - returned.top) * sy)) };
}

export const imaging = {
  /** Calls, for tests that check what was asked. */
  calls: [] as { fn: string; options: unknown }[],

  async getPixels(o: { documentID?: number; layerID?: number; sourceBounds?: Bounds; targetSize?: { width?: number; height?: number }; componentSize?: number }) {
    imaging.calls.push({ fn: 'getPixels', options: o });
    const doc = docById(o.documentID);
    const canvas = { left: 0, top: 0, right: doc.width, bottom: doc.height };
    const requested = intersect(o.sourceBounds ?? canvas, canvas);
    const layer = o.layerID === undefined ? undefined : doc.layerById(o.layerID);
    if (layer?.kind === 'group') throw new Error('getPixels: the layer is a group and has no pixels');
    // Photoshop trims to the layer's content (the composite covers the canvas)
    const returned = layer ? intersect(requested, layer.boundsNoEffects) : requested;
    if (returned.right <= returned.left) throw new Error('getPixels: the requested area has no pixels');
    const comps = layer && !layer.isBackgroundLayer ? 4 : 3;
    const { w, h } = scaledSize(requested, returned, o.targetSize);
    const visible = doc.allLayers().filter((l) => l.kind === 'pixel').reverse();
    const data = sample(returned, w, h, comps, (x, y, px) => {
      if (layer) {
        for (let c = 0; c < 4; c++) px[c] = layer.pixels![(y * doc.width + x) * 4 + c];
        return;
      }
      px[0] = px[1] = px[2] = 255;
      for (const l of visible) {
        const i = (y * doc.width + x) * 4;
        const a = l.pixels![i + 3] / 255;
        for (let c = 0; c < 3; c++) px[c] = Math.round(l.pixels![i + c] * a + px[c] * (1 - a));
      }
    });
    return { imageData: new FakeImageData(w, h, comps, data), sourceBounds: returned, level: 0 };
  },

  async getSelection(o: { documentID?: number; sourceBounds?: Bounds; targetSize?: { width?: number; height?: number } }) {
    imaging.calls.push({ fn: 'getSelection', options: o });
    const doc = docById(o.documentID);
    const canvas = { left: 0, top: 0, right: doc.width, bottom: doc.height };
    const requested = intersect(o.sourceBounds ?? canvas, canvas);
    const { w, h } = scaledSize(requested, requested, o.targetSize);
    const m = doc.selectionMask;
    const data = sample(requested, w, h, 1, (x, y, px) => (px[0] = m ? m[y * doc.width + x] : 0));
    return { imageData: new FakeImageData(w, h, 1, data), sourceBounds: requested };
  },

  async createImageDataFromBuffer(buf: Uint8Array, o: { width: number; height: number; components: number; chunky?: boolean; colorSpace: string }) {
    if (buf.length !== o.width * o.height * o.components) throw new Error(`createImageDataFromBuffer: buffer has ${buf.length} values, expected ${o.width * o.height * o.components}`);
    if (o.colorSpace !== 'RGB') throw new Error(`unsupported colour space ${o.colorSpace}`);
    return new FakeImageData(o.width, o.height, o.components, buf.slice());
  },

  async putPixels(o: { documentID?: number; layerID: number; imageData: FakeImageData; targetBounds?: { left: number; top: number } }) {
    requireModal('putPixels');
    imaging.calls.push({ fn: 'putPixels', options: o });
    const doc = docById(o.documentID);
    const layer = doc.layerById(o.layerID);
    if (layer.kind !== 'pixel') throw new Error('putPixels: the target is not a pixel layer');
    const src = await o.imageData.getData();
    const { width, height, components: comps } = o.imageData;
    const left = o.targetBounds?.left ?? 0;
    const top = o.targetBounds?.top ?? 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const dx = left + x;
        const dy = top + y;
        if (dx < 0 || dy < 0 || dx >= doc.width || dy >= doc.height) continue;
        const i = (y * width + x) * comps;
        layer.pixels!.set([src[i], src[i + 1], src[i + 2], comps === 4 ? src[i + 3] : 255], (dy * doc.width + dx) * 4);
      }
    doc.record('Put Pixels');
  },

  async encodeImageData(_o: { imageData: FakeImageData; base64?: boolean }): Promise<string> {
    return 'data:image/jpeg;base64,';
  },
};

/** Set by a test to make the next modal scope report a user cancel after this many progress reports. */
export const testControl = { cancelAfterReports: Infinity, progress: [] as number[] };

let suspensionId = 1;

export const core = {
  async executeAsModal<T>(fn: (ctx: ExecutionContextFake) => Promise<T>, options: { commandName: string }): Promise<T> {
    if (!options?.commandName) throw new Error('executeAsModal: options.commandName is required');
    if (modal) throw new Error('executeAsModal: Photoshop is already in a modal state');
    modal = true;
    let reports = 0;
    const ctx: ExecutionContextFake = {
      get isCancelled() {
        return reports >= testControl.cancelAfterReports;
      },
      onCancel: undefined,
      reportProgress: (p) => {
        reports++;
        if (p.value !== undefined) testControl.progress.push(p.value);
      },
      hostControl: {
        async suspendHistory(p) {
          const doc = docById(p.documentID);
          if (doc.suspended) throw new Error('suspendHistory: history is already suspended for this document');
          const saved = [...doc.layers];
          const savedPixels = new Map(doc.allLayers().map((l) => [l, l.pixels?.slice()] as const));
          doc.suspended = { historySuspensionID: suspensionId++, name: p.name, saved, savedPixels };
          return { historySuspensionID: doc.suspended.historySuspensionID };
        },
        async resumeHistory(s, commit = true) {
          const doc = app.documents.find((d) => d.suspended?.historySuspensionID === s.historySuspensionID);
          if (!doc || !doc.suspended) throw new Error('resumeHistory: unknown history suspension');
          const sus = doc.suspended;
          doc.suspended = null;
          if (commit) doc.history.push(s.finalName ?? sus.name);
          else {
            doc.layers = sus.saved;
            for (const [l, px] of sus.savedPixels) if (px) l.pixels = px;
            for (const l of doc.layers) l.parent = null;
          }
        },
        async registerAutoCloseDocument() {},
        async unregisterAutoCloseDocument() {},
      },
    };
    try {
      return await fn(ctx);
    } finally {
      modal = false;
      for (const d of app.documents) if (d.suspended) throw new Error('executeAsModal ended with history still suspended');
    }
  },
  isModal: () => modal,
};

export interface ExecutionContextFake {
  readonly isCancelled: boolean;
  onCancel: undefined;
  reportProgress(p: { value?: number; commandName?: string }): void;
  hostControl: {
    suspendHistory(p: { documentID: number; name: string }): Promise<{ historySuspensionID: number }>;
    resumeHistory(s: { historySuspensionID: number; finalName?: string }, commit?: boolean): Promise<void>;
    registerAutoCloseDocument(id: number): Promise<void>;
    unregisterAutoCloseDocument(id: number): Promise<void>;
  };
}

export const action = {
  async batchPlay(): Promise<never[]> {
    return [];
  },
};

export const constants = {};

/** Test helper: a fresh application with one open document. */
export function resetPhotoshop(width: number, height: number, opts: { selectionApi?: boolean } = {}): FakeDocument {
  const doc = new FakeDocument(width, height);
  if (opts.selectionApi) doc.selection = { bounds: null };
  app.documents = [doc];
  app.activeDocument = doc;
  modal = false;
  live.clear();
  imaging.calls = [];
  testControl.cancelAfterReports = Infinity;
  testControl.progress = [];
  return doc;
}

export default { app, core, imaging, action, constants };
