/**
 * A faithful in-memory fake of the parts of Photoshop's `photoshop` module the panel uses, as strict as Adobe's
 * documentation (AdobeDocs/uxp-photoshop, src/pages/ps-reference/media/): document changes only inside
 * core.executeAsModal (and not nested); getPixels trims the returned bounds to where the layer has pixels, answers
 * from a smaller cache (pyramid) level when the target size allows, with sourceBounds relative to that level, and
 * has no pixels for groups, adjustment and fill layers (imaging.md); putPixels takes only left/top of targetBounds
 * (imaging.md: "Dimension keys width and height are not used"); after a user cancel, every Photoshop call in the
 * scope throws, and when the scope ends by an exception the suspended history is rolled back, by a normal return
 * committed (executeasmodal.md, "User cancellation", "History state suspension"); layer ids are unique and stable;
 * image data must be disposed and cannot be used afterwards. Jest maps `photoshop` here (jest.config.js); the UXP
 * harness bundles it for the page (test/e2e/uxp/fakeHost.ts).
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

/** Photoshop's LayerKind values (constants.LayerKind) the fake knows; adjustment kinds stand for all of them. */
export type FakeLayerKind =
  | 'pixel'
  | 'group'
  | 'text'
  | 'smartObject'
  | 'curves'
  | 'levels'
  | 'hueSaturation'
  | 'solidColor'
  | 'gradientFill';

/** Kinds with pixels of their own (text and smart objects read as rendered); the rest have none to read or write. */
const WITH_PIXELS: readonly FakeLayerKind[] = ['pixel', 'text', 'smartObject'];

export class FakeLayer {
  readonly id = newId();
  private layerName: string;
  layers: FakeLayer[] = [];
  parent: FakeLayer | null = null;
  /** classes/layer.md: `visible`, "True when the layer is visible" (read and write, no modal scope documented). */
  visible = true;
  /** Document-sized RGBA; absent for groups, adjustment and fill layers. */
  pixels?: Uint8ClampedArray;
  /**
   * The user (pixel) layer mask, document-sized grey (255 reveals), once putLayerMask wrote one. imaging.md does not
   * say what a new mask holds outside the written bounds: the fake leaves 0 there, so a test that relies on it fails.
   */
  mask?: Uint8ClampedArray;
  constructor(
    readonly doc: FakeDocument,
    name: string,
    readonly kind: FakeLayerKind,
    readonly isBackgroundLayer = false,
  ) {
    this.layerName = name;
    if (WITH_PIXELS.includes(kind)) this.pixels = new Uint8ClampedArray(doc.width * doc.height * 4);
  }
  get name(): string {
    return this.layerName;
  }
  /** Renaming changes the document: only in a modal scope, and a history state. */
  set name(name: string) {
    requireModal('layer.name');
    this.layerName = name;
    this.doc.record('Rename Layer');
  }
  /** The bounds of the layer's non-transparent pixels (Photoshop's layer bounds). */
  get boundsNoEffects(): Bounds {
    if (this.kind === 'group') return this.layers.map((l) => l.boundsNoEffects).reduce(union, EMPTY);
    // adjustment and fill layers cover the canvas
    if (!this.pixels) return { left: 0, top: 0, right: this.doc.width, bottom: this.doc.height };
    const { width, height } = this.doc;
    let b: Bounds | null = null;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        if (this.pixels![(y * width + x) * 4 + 3] === 0) continue;
        b = b
          ? {
              left: Math.min(b.left, x),
              top: Math.min(b.top, y),
              right: Math.max(b.right, x + 1),
              bottom: Math.max(b.bottom, y + 1),
            }
          : { left: x, top: y, right: x + 1, bottom: y + 1 };
      }
    return b ?? EMPTY;
  }
  get bounds(): Bounds {
    return this.boundsNoEffects;
  }
  /** Test helper: fills a rectangle with an opaque colour (no modal needed: it stands for the user's painting). */
  fillRect(b: Bounds, rgb: readonly number[]): void {
    for (let y = b.top; y < b.bottom; y++)
      for (let x = b.left; x < b.right; x++)
        this.pixels!.set([rgb[0], rgb[1], rgb[2], 255], (y * this.doc.width + x) * 4);
  }
}

function union(a: Bounds, b: Bounds): Bounds {
  if (a.right <= a.left) return b;
  if (b.right <= b.left) return a;
  return {
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right),
    bottom: Math.max(a.bottom, b.bottom),
  };
}

interface Suspension {
  historySuspensionID: number;
  name: string;
  saved: FakeLayer[];
  savedPixels: Map<FakeLayer, Uint8ClampedArray | undefined>;
  savedAnimation: FakeAnimation | null;
}

/** One frame of a frame animation: the layers it shows (by id) and its delay in seconds. */
export interface FakeFrame {
  visible: number[];
  delay: number;
}

/** A document's Timeline in frame-animation mode, with the frames selected in it (indices). */
export interface FakeAnimation {
  frames: FakeFrame[];
  selected: number[];
}

export class FakeDocument {
  readonly id = newId();
  layers: FakeLayer[] = [];
  activeLayers: FakeLayer[] = [];
  /** Samplers at document pixels (classes/colorsampler.md: "in pixels"). */
  colorSamplers: { position: { x: number; y: number } }[] = [];
  /**
   * Path anchors: the fake takes them as document pixels, the unit of every UXP DOM coordinate that names one;
   * classes/pathpoint.md names none (docs/photoshop.md, finding 5).
   */
  pathItems: { name: string; subPathItems: { pathPoints: { anchor: number[] }[] }[] }[] = [];
  /** Set to emulate Photoshop >= 25 (doc.selection); left undefined for 24.x. */
  selection?: { bounds: Bounds | null };
  /** The selection as a document-sized 0..255 mask; null when nothing is selected. */
  selectionMask: Uint8Array | null = null;
  mode = 'RGBColorMode';
  /** History state names, oldest first. */
  history: string[] = ['Open'];
  suspended: Suspension | null = null;
  /** The frame animation made by batchPlay's timeline commands; null until makeFrameAnimation. */
  animation: FakeAnimation | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
    public name = 'Untitled-1',
  ) {}

  /** Test helper: a layer, pixel unless told (no modal needed: it stands for the document as opened). */
  addLayer(name: string, background = false, kind: FakeLayerKind = 'pixel'): FakeLayer {
    const l = new FakeLayer(this, name, kind, background);
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
    for (let y = b.top; y < b.bottom; y++)
      for (let x = b.left; x < b.right; x++) this.selectionMask[y * this.width + x] = 255;
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

export const app = {
  documents: [] as FakeDocument[],
  activeDocument: null as FakeDocument | null,

  /**
   * DocumentCreateOptions (objects/createoptions/documentcreateoptions.md): a transparent fill gives one empty pixel
   * layer "Layer 1", any other fill a Background layer of that colour; the new document becomes the active one.
   */
  async createDocument(o: { name?: string; width?: number; height?: number; mode?: string; fill?: string } = {}) {
    requireModal('createDocument');
    const { width = 2100, height = 1500 } = o;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
      throw new Error(`createDocument: width and height must be whole pixels (got ${width} x ${height})`);
    if (o.mode !== undefined && o.mode !== 'RGBColorMode') throw new Error(`createDocument: the fake makes RGB only`);
    const doc = new FakeDocument(width, height, o.name ?? `Untitled-${app.documents.length + 1}`);
    doc.history = ['New'];
    if (o.fill === 'transparent') doc.addLayer('Layer 1');
    else {
      const v = o.fill === 'black' ? 0 : 255;
      doc.addLayer('Background', true).fillRect({ left: 0, top: 0, right: width, bottom: height }, [v, v, v]);
    }
    app.documents.push(doc);
    app.activeDocument = doc;
    return doc;
  },
};

let modal = false;
/** Set once the user has cancelled the current modal scope: from then on, Photoshop calls in it throw. */
let cancelled = false;

function requireLive(what: string): void {
  if (cancelled) throw new Error(`${what}: the modal scope was cancelled by the user`);
}

function requireModal(what: string): void {
  requireLive(what);
  // Photoshop's own wording for a change attempted outside executeAsModal
  if (!modal)
    throw new Error(
      `${what}: Error: The command could not be completed because the plugin is not in a modal state (use core.executeAsModal)`,
    );
}

function docById(id: number | undefined): FakeDocument {
  const d = id === undefined ? app.activeDocument : app.documents.find((x) => x.id === id);
  if (!d) throw new Error(`no document with id ${id}`);
  return d;
}

function intersect(a: Bounds, b: Bounds): Bounds {
  const r = {
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  };
  return r.right > r.left && r.bottom > r.top ? r : EMPTY;
}

/** Nearest-neighbour scaling of a document-space sampler into a w x h patch. */
function sample(
  b: Bounds,
  w: number,
  h: number,
  comps: number,
  at: (x: number, y: number, out: number[]) => void,
): Uint8Array {
  const out = new Uint8Array(w * h * comps);
  const px: number[] = [0, 0, 0, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      at(
        Math.floor(b.left + ((x + 0.5) * (b.right - b.left)) / w),
        Math.floor(b.top + ((y + 0.5) * (b.bottom - b.top)) / h),
        px,
      );
      for (let c = 0; c < comps; c++) out[(y * w + x) * comps + c] = px[c];
    }
  return out;
}

function scaledSize(
  requested: Bounds,
  returned: Bounds,
  target?: { width?: number; height?: number },
): { w: number; h: number } {
  const sx = target?.width
    ? target.width / (requested.right - requested.left)
    : target?.height
      ? target.height / (requested.bottom - requested.top)
      : 1;
  const sy = target?.height ? target.height / (requested.bottom - requested.top) : sx;
  return {
    w: Math.max(1, Math.round((returned.right - returned.left) * sx)),
    h: Math.max(1, Math.round((returned.bottom - returned.top) * sy)),
  };
}

/**
 * The pyramid level Photoshop may answer from: the smallest cache (level L is 1/2^L of the canvas) still at least as
 * large as the target size, up to the "Performance Cache Levels" preference (imaging.md, getPixels).
 */
function cacheLevel(requested: Bounds, target: { width?: number; height?: number } | undefined): number {
  if (!target) return 0;
  let level = 0;
  const fits = (l: number) =>
    (!target.width || (requested.right - requested.left) / 2 ** l >= target.width) &&
    (!target.height || (requested.bottom - requested.top) / 2 ** l >= target.height);
  while (level < testControl.cacheLevels && fits(level + 1)) level++;
  return level;
}

export const imaging = {
  /** Calls, for tests that check what was asked. */
  calls: [] as { fn: string; options: unknown }[],

  async getPixels(o: {
    documentID?: number;
    layerID?: number;
    sourceBounds?: Bounds;
    targetSize?: { width?: number; height?: number };
    componentSize?: number;
  }) {
    requireLive('getPixels');
    imaging.calls.push({ fn: 'getPixels', options: o });
    const doc = docById(o.documentID);
    const canvas = { left: 0, top: 0, right: doc.width, bottom: doc.height };
    const requested = intersect(o.sourceBounds ?? canvas, canvas);
    const layer = o.layerID === undefined ? undefined : doc.layerById(o.layerID);
    if (layer && !layer.pixels)
      throw new Error(`getPixels: the layer "${layer.name}" (${layer.kind}) has no pixel data`);
    // Photoshop trims to the layer's content (the composite covers the canvas)
    const trimmed = layer ? intersect(requested, layer.boundsNoEffects) : requested;
    if (trimmed.right <= trimmed.left) throw new Error('getPixels: the requested area has no pixels');
    // answered from a cache level: the bounds are that level's pixels, the region they cover a little wider
    const level = cacheLevel(requested, o.targetSize);
    const k = 2 ** level;
    const levelBounds = {
      left: Math.floor(trimmed.left / k),
      top: Math.floor(trimmed.top / k),
      right: Math.ceil(trimmed.right / k),
      bottom: Math.ceil(trimmed.bottom / k),
    };
    const returned = intersect(
      {
        left: levelBounds.left * k,
        top: levelBounds.top * k,
        right: levelBounds.right * k,
        bottom: levelBounds.bottom * k,
      },
      canvas,
    );
    const comps = layer && !layer.isBackgroundLayer ? 4 : 3;
    const { w, h } = scaledSize(requested, returned, o.targetSize);
    const visible = doc
      .allLayers()
      .filter((l) => l.kind === 'pixel' && l.visible)
      .reverse();
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
    testControl.levels.push(level);
    return { imageData: new FakeImageData(w, h, comps, data), sourceBounds: levelBounds, level };
  },

  async getSelection(o: {
    documentID?: number;
    sourceBounds?: Bounds;
    targetSize?: { width?: number; height?: number };
  }) {
    requireLive('getSelection');
    imaging.calls.push({ fn: 'getSelection', options: o });
    const doc = docById(o.documentID);
    const canvas = { left: 0, top: 0, right: doc.width, bottom: doc.height };
    const requested = intersect(o.sourceBounds ?? canvas, canvas);
    const { w, h } = scaledSize(requested, requested, o.targetSize);
    const m = doc.selectionMask;
    const data = sample(requested, w, h, 1, (x, y, px) => (px[0] = m ? m[y * doc.width + x] : 0));
    return { imageData: new FakeImageData(w, h, 1, data), sourceBounds: requested };
  },

  async createImageDataFromBuffer(
    buf: Uint8Array,
    o: { width: number; height: number; components: number; chunky?: boolean; colorSpace: string },
  ) {
    requireLive('createImageDataFromBuffer');
    if (buf.length !== o.width * o.height * o.components)
      throw new Error(
        `createImageDataFromBuffer: buffer has ${buf.length} values, expected ${o.width * o.height * o.components}`,
      );
    // imaging.md: mask and selection data is one grey component ("components: 1, colorSpace: Grayscale")
    if (o.colorSpace === 'Grayscale' ? o.components !== 1 : o.colorSpace !== 'RGB')
      throw new Error(`unsupported colour space ${o.colorSpace} with ${o.components} components`);
    return new FakeImageData(o.width, o.height, o.components, buf.slice());
  },

  async putPixels(o: {
    documentID?: number;
    layerID: number;
    imageData: FakeImageData;
    targetBounds?: { left: number; top: number };
  }) {
    requireModal('putPixels');
    imaging.calls.push({ fn: 'putPixels', options: o });
    const doc = docById(o.documentID);
    const layer = doc.layerById(o.layerID);
    // imaging.md, putPixels: "The target layer must be a pixel layer"
    if (layer.kind !== 'pixel') throw new Error('putPixels: the target is not a pixel layer');
    const src = await o.imageData.getData();
    const { width, height, components: comps } = o.imageData;
    // only left and top are used: width and height, if given, change nothing (imaging.md)
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

  /** imaging.md, putLayerMask: one grey component; only left/top of targetBounds; replace (default true) drops the old mask. */
  async putLayerMask(o: {
    documentID?: number;
    layerID: number;
    kind?: string;
    imageData: FakeImageData;
    replace?: boolean;
    targetBounds?: { left: number; top: number };
  }) {
    requireModal('putLayerMask');
    imaging.calls.push({ fn: 'putLayerMask', options: o });
    const doc = docById(o.documentID);
    const layer = doc.layerById(o.layerID);
    if ((o.kind ?? 'user') !== 'user') throw new Error('putLayerMask: only "user" masks are accepted');
    if (!layer.pixels) throw new Error('putLayerMask: the layer has no pixels to mask');
    if (o.imageData.components !== 1) throw new Error('putLayerMask: the image data must have a single grey component');
    const src = await o.imageData.getData();
    const { width, height } = o.imageData;
    if (o.replace !== false || !layer.mask) layer.mask = new Uint8ClampedArray(doc.width * doc.height);
    const left = o.targetBounds?.left ?? 0;
    const top = o.targetBounds?.top ?? 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const dx = left + x;
        const dy = top + y;
        if (dx >= 0 && dy >= 0 && dx < doc.width && dy < doc.height)
          layer.mask[dy * doc.width + dx] = src[y * width + x];
      }
    doc.record('Put Layer Mask');
  },

  async encodeImageData(_o: { imageData: FakeImageData; base64?: boolean }): Promise<string> {
    return 'data:image/jpeg;base64,';
  },
};

/**
 * Set by a test: cancelAfterReports makes the next modal scope see a user cancel after this many progress reports;
 * cacheLevels is Photoshop's "Performance Cache Levels" preference (its default is 4; 0 = always full resolution);
 * levels lists the cache level each getPixels answered from.
 */
export const testControl = {
  cancelAfterReports: Infinity,
  progress: [] as number[],
  cacheLevels: 4,
  levels: [] as number[],
};

let suspensionId = 1;

export const core = {
  async executeAsModal<T>(fn: (ctx: ExecutionContextFake) => Promise<T>, options: { commandName: string }): Promise<T> {
    if (!options?.commandName) throw new Error('executeAsModal: options.commandName is required');
    if (modal) throw new Error('executeAsModal: Photoshop is already in a modal state');
    modal = true;
    cancelled = false;
    let reports = 0;
    const ctx: ExecutionContextFake = {
      get isCancelled() {
        return cancelled;
      },
      onCancel: undefined,
      reportProgress: (p) => {
        requireLive('reportProgress');
        reports++;
        if (p.value !== undefined) testControl.progress.push(p.value);
        if (reports >= testControl.cancelAfterReports) cancelled = true;
      },
      hostControl: {
        async suspendHistory(p) {
          requireLive('suspendHistory');
          const doc = docById(p.documentID);
          if (doc.suspended) throw new Error('suspendHistory: history is already suspended for this document');
          const saved = [...doc.layers];
          const savedPixels = new Map(doc.allLayers().map((l) => [l, l.pixels?.slice()] as const));
          const savedAnimation = doc.animation && (JSON.parse(JSON.stringify(doc.animation)) as FakeAnimation);
          doc.suspended = { historySuspensionID: suspensionId++, name: p.name, saved, savedPixels, savedAnimation };
          return { historySuspensionID: doc.suspended.historySuspensionID };
        },
        async resumeHistory(s, commit = true) {
          requireLive('resumeHistory');
          const doc = app.documents.find((d) => d.suspended?.historySuspensionID === s.historySuspensionID);
          if (!doc || !doc.suspended) throw new Error('resumeHistory: unknown history suspension');
          resume(doc, commit, s.finalName);
        },
        async registerAutoCloseDocument(id) {
          requireLive('registerAutoCloseDocument');
          autoClose.add(docById(id));
        },
        async unregisterAutoCloseDocument(id) {
          requireLive('unregisterAutoCloseDocument');
          autoClose.delete(docById(id));
        },
      },
    };
    // when the scope ends Photoshop resumes any suspension left: committed on a normal return, rolled back when the
    // target function threw (executeasmodal.md, "History state suspension")
    let ok = false;
    try {
      const r = await fn(ctx);
      ok = true;
      return r;
    } finally {
      modal = false;
      cancelled = false;
      for (const d of app.documents) if (d.suspended) resume(d, ok);
      // documents registered for auto-close are closed as the scope exits, however it ends (executeasmodal.md)
      for (const d of autoClose) closeDocument(d);
      autoClose.clear();
    }
  },
  isModal: () => modal,
};

function resume(doc: FakeDocument, commit: boolean, finalName?: string): void {
  const sus = doc.suspended!;
  doc.suspended = null;
  if (commit) doc.history.push(finalName ?? sus.name);
  else {
    doc.layers = sus.saved;
    for (const [l, px] of sus.savedPixels) if (px) l.pixels = px;
    for (const l of doc.layers) l.parent = null;
    doc.animation = sus.savedAnimation;
  }
}

/** Documents a modal scope registered to close when it ends. */
const autoClose = new Set<FakeDocument>();

function closeDocument(doc: FakeDocument): void {
  app.documents = app.documents.filter((d) => d !== doc);
  if (app.activeDocument === doc) app.activeDocument = app.documents.at(-1) ?? null;
}

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

/** What batchPlay answers for a command it cannot play: a result descriptor, not a throw. */
function failed(message: string): { _obj: 'error'; message: string; result: number } {
  return { _obj: 'error', message, result: -128 };
}

/**
 * The timeline commands a frame animation is made with, as rrlyman/FaceTags plays them (tagGif.js); no Adobe page
 * describes them, so the fake takes exactly those shapes and answers anything else as Photoshop answers an unknown
 * command. Make Frames From Layers gives one frame per top-level layer, bottom first, each showing its own layer; a
 * Background layer stays visible in every frame (what Photoshop does there is not documented: the fake assumes the
 * worse case, so a document with one fails a test that wants one layer per frame).
 */
function playTimeline(doc: FakeDocument, d: Record<string, unknown>): object {
  const anim = doc.animation;
  switch (d._obj) {
    case 'makeFrameAnimation':
      if (anim) return failed('The command "Make Frame Animation" is not currently available.');
      doc.animation = { frames: [{ visible: doc.layers.map((l) => l.id), delay: 0 }], selected: [0] };
      doc.record('Make Frame Animation');
      return {};
    case 'animationFramesFromLayers': {
      if (!anim) return failed('The command "Make Frames From Layers" is not currently available.');
      const bottomUp = [...doc.layers].reverse();
      const background = bottomUp.find((l) => l.isBackgroundLayer);
      anim.frames = bottomUp.map((l) => ({
        visible: background && background !== l ? [background.id, l.id] : [l.id],
        delay: 0,
      }));
      anim.selected = [anim.frames.length - 1];
      doc.record('Make Frames From Layers');
      return {};
    }
    case 'animationSelectAll':
      if (!anim) return failed('The command "Select All Frames" is not currently available.');
      anim.selected = anim.frames.map((_, i) => i);
      return {};
    case 'set': {
      const t = d._target as { _ref?: string; _enum?: string; _value?: string }[] | undefined;
      const to = d.to as { _obj?: string; animationFrameDelay?: unknown } | undefined;
      const frameTarget =
        Array.isArray(t) &&
        t.length === 1 &&
        t[0]._ref === 'animationFrameClass' &&
        t[0]._enum === 'ordinal' &&
        t[0]._value === 'targetEnum';
      if (!frameTarget || to?._obj !== 'animationFrameClass')
        return failed('The command "Set" is not currently available.');
      if (!anim) return failed('The command "Set" is not currently available: no frame animation.');
      const delay = to.animationFrameDelay;
      if (typeof delay !== 'number' || !(delay >= 0)) return failed('animationFrameDelay must be seconds (a number)');
      for (const i of anim.selected) anim.frames[i].delay = delay;
      doc.record('Set Frame Delay');
      return {};
    }
    default:
      return failed('The command "<unknown>" is not currently available.');
  }
}

export const action = {
  /** Descriptors played, for tests that check what was asked. */
  played: [] as Record<string, unknown>[],

  async batchPlay(descriptors: Record<string, unknown>[], _options: object = {}): Promise<object[]> {
    const results: object[] = [];
    for (const d of descriptors) {
      requireModal(`batchPlay ${String(d._obj)}`);
      action.played.push(d);
      const dialog = (d._options as { dialogOptions?: string } | undefined)?.dialogOptions;
      // a command that may show a dialog would stop for the user: the panel must say dontDisplay
      const r =
        dialog !== 'dontDisplay'
          ? failed(`${String(d._obj)}: dialogOptions must be "dontDisplay" (was ${String(dialog)})`)
          : app.activeDocument
            ? playTimeline(app.activeDocument, d)
            : failed('no document is open');
      results.push(r);
      // without continueOnError, a batch stops at its first failure
      if ('_obj' in r && r._obj === 'error') break;
    }
    return results;
  },
};

export const constants = {
  NewDocumentMode: { RGB: 'RGBColorMode', GRAYSCALE: 'grayscaleMode' },
  DocumentFill: { WHITE: 'white', BLACK: 'black', TRANSPARENT: 'transparent' },
};

/** Test helper: a fresh application with one open document. */
export function resetPhotoshop(width: number, height: number, opts: { selectionApi?: boolean } = {}): FakeDocument {
  const doc = new FakeDocument(width, height);
  if (opts.selectionApi) doc.selection = { bounds: null };
  app.documents = [doc];
  app.activeDocument = doc;
  modal = false;
  cancelled = false;
  live.clear();
  imaging.calls = [];
  testControl.cancelAfterReports = Infinity;
  testControl.cacheLevels = 4;
  testControl.levels = [];
  testControl.progress = [];
  action.played = [];
  autoClose.clear();
  return doc;
}

export default { app, core, imaging, action, constants };
