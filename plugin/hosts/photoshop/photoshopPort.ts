/** The panel's host in Photoshop: the active layer or selection in, new grouped layers out. */
import { centredBox } from '../../codecs/centredBox';
import { cropImage8, cropPixels, flattenOnWhite } from '../../codecs/image8';
import { app } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { Image8 } from '../../codecs/image8';
import type { HandleTarget, Point } from '../../core/types';
import { openLocalEngine } from '../../engine/localEngine';
import type { ModelSource } from '../../engine/modelSource';
import type { Engine } from '../../engine/engine';
import { byteSourceOf } from '../../model/byteSource';
import { importCheckpointFrom } from '../../model/importCheckpoint';
import { parseModelPackage, serializeModelPackage, type ModelPackage } from '../../model/modelPackage';
import type { SavedModel } from './uxpFiles';
import { ortWebProviders } from '../../runtime/ortWeb';
import type {
  EditResult,
  HostAction,
  HostClip,
  HostPort,
  HostSource,
  LocalServer,
  ModelEntry,
  PickedCheckpoint,
} from '../../ui/hostPort';
import { yieldToEventLoop } from '../../ui/yieldToEventLoop';
import type { LocalBackend, Settings } from '../../ui/settings';
import { loadStoredSettings, storeSettings } from '../browser/settingsStore';
import { findLocalServer } from './localServer';
import { PhotoshopSourceError } from './photoshopErrors';
import { compositeOnSource, FULL_COMPOSITE_MAX_SIDE, maskedEditOf } from './compositeOnSource';
import {
  checkReadable,
  editRegion,
  readRegionPixels,
  readSelectionMask,
  selectionBounds,
  sourceLayer,
  type ReadAs,
} from './readDocument';
import { pairsFromPaths, pairsFromSamplers } from './readPoints';
import { docToModel, inside, squareAround, type Region } from './region';
import { clipLayers, quoted } from './clipLayers';
import { framesInSelection } from './clipInSelection';
import { readToken, writeToken } from './secureToken';
import { panelCaution, requirePanelMemory } from './panelMemory';
import { CATALOG } from '../../model/catalog/catalogData';
import { downloadedModelLabel } from '../../model/catalog/catalogLookup';
import type { ModelStorage } from '../../model/download/modelStorage';
import { readCatalogOverrides, type CatalogHost } from '../../ui/catalogHost';
import { requireWasmFeatures } from './wasmFeatures';
import { writeAnimation } from './writeAnimation';
import { writeEdit } from './writeEdit';
import { playedFrames } from '../../engine/frameTimeline';
import { UserFixableError } from '../../core/errors';

/** Files the build puts in the plugin folder. */
export const PLUGIN_FILES = {
  modelJson: 'model/model.json',
  weights: 'model/weights.safetensors',
  wasm: 'ort-wasm-simd-threaded.wasm',
};
/** The face models' folder in the plugin (face-api's files and the bundled model's landmark detector). */
export const FACE_FILES_DIR = 'faces/';

export interface PluginFiles {
  text(path: string): Promise<string>;
  bytes(path: string): Promise<Uint8Array>;
  pick?(extensions: string[]): Promise<PickedCheckpoint | null>;
  /** Imported models kept in the plugin's data folder (uxpFiles.listSavedModels / saveModel). */
  saved?: {
    list(): Promise<SavedModel[]>;
    save(name: string, files: { modelJson: string; weights: Uint8Array }): Promise<void>;
  };
}

export class PhotoshopPort implements HostPort {
  readonly name = 'Photoshop';
  readonly applyLabel = 'Apply as layer';
  readonly readSourceLabel = 'Use layer / selection';
  readonly readClipLabel = 'Clip from layers';
  readonly applyClipLabel = 'Apply clip as animation';
  /** The token lives in UXP's secure storage (secureToken.ts). */
  readonly secureTokenStorage = true;
  /** The square last read, in the document it was read from: results go back there. */
  /** What readSource read: the document, its square and the layer (to apply an edit to its own pixels). */
  private source: { docId: number; region: Region; layer: Layer | undefined } | null = null;
  /** The last clip read: its document (the animation is named after it), frame layers and selection square. */
  private clip: { docId: number; name: string; layers: Layer[]; region: Region | undefined } | null = null;
  private wasm?: Promise<Uint8Array>;
  /** The token as last read from or written to secure storage. */
  private token?: string;

  /** "Get models…": downloads into the data folder's models/, listed with the imported ones (uxpModelStorage.ts). */
  readonly catalog?: CatalogHost;

  constructor(
    private readonly files: PluginFiles,
    catalogStorage?: ModelStorage,
  ) {
    if (catalogStorage) {
      this.catalog = {
        storage: catalogStorage,
        // UXP's fetch (network.domains in the manifest); no stream or AbortSignal is relied on (chunkedDownload.ts)
        fetch: (url, init) => fetch(url, init),
        overrides: readCatalogOverrides(globalThis.localStorage),
        pickerId: (id) => savedId(id),
        caution: panelCaution,
      };
    }
  }

  private doc(): Document {
    const doc = app.activeDocument;
    if (!doc) throw new PhotoshopSourceError('no document is open: open an image in Photoshop first');
    return doc;
  }

  /** The active document, refused unless RGB: getPixels is asked for RGB and the model draws RGB. */
  private rgbDoc(): Document {
    const doc = this.doc();
    if (String(doc.mode) !== 'RGBColorMode')
      throw new PhotoshopSourceError('the document is not in RGB mode: use Image > Mode > RGB Color, then try again');
    return doc;
  }

  async listModels(): Promise<ModelEntry[]> {
    const json = await this.files.text(PLUGIN_FILES.modelJson);
    const cfg: unknown = JSON.parse(json);
    const name =
      typeof cfg === 'object' && cfg !== null && typeof (cfg as { name?: unknown }).name === 'string'
        ? (cfg as { name: string }).name
        : 'bundled model';
    let pkg: Promise<ModelPackage> | undefined;
    const load = () => (pkg ??= this.files.bytes(PLUGIN_FILES.weights).then((w) => parseModelPackage(json, w)));
    const bundled: ModelEntry = { id: 'bundled', label: `${name} (bundled)`, source: { kind: 'package', load } };
    // a damaged saved model must not hide the bundled one: it is left out, and the others are listed
    const saved = (await this.files.saved?.list().catch(() => [])) ?? [];
    return [
      bundled,
      ...saved.map((m) =>
        savedEntry(m.name, () => m.weights().then((w) => parseModelPackage(m.modelJson, w)), savedLabel(m)),
      ),
    ];
  }

  /** Imports an official .pkl here (nothing in it runs) and keeps it in the data folder for the next session. */
  async importCheckpoint(file: PickedCheckpoint): Promise<ModelEntry> {
    const pkg = await importCheckpointFrom(byteSourceOf(file.file), { name: file.name.replace(/\.pkl$/i, '') });
    const taken = new Set(((await this.files.saved?.list().catch(() => [])) ?? []).map((m) => m.name));
    const base =
      pkg.config.name
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^[-.]+/, '')
        .slice(0, 60) || 'model';
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    await this.files.saved?.save(name, serializeModelPackage(pkg));
    return savedEntry(name, async () => pkg);
  }

  get pickCheckpoint(): (() => Promise<PickedCheckpoint | null>) | undefined {
    const pick = this.files.pick;
    return pick && (() => pick(['pkl']));
  }

  /** UXP has no WebGPU and no workers: wasm on one thread, in the panel, yielding between steps. */
  async localBackends(): Promise<LocalBackend[]> {
    return ['wasm'];
  }

  /** `npm run serve` on this computer: the native engine, many times faster than wasm in the panel. */
  findLocalServer(): Promise<LocalServer | null> {
    return findLocalServer();
  }

  async openEngine(source: ModelSource): Promise<Engine> {
    // what this UXP's WebAssembly has, checked first and shown in Settings ("Running: …")
    requireWasmFeatures();
    // a model too large for the panel is refused from its shape, before a graph is built
    if (source.kind === 'package') requirePanelMemory((await source.load()).config);
    // UXP cannot fetch the runtime's .wasm by URL: read it from the plugin folder and hand the bytes over
    this.wasm ??= this.files.bytes(PLUGIN_FILES.wasm);
    // the face models ship in the plugin's faces/ folder (webpack.config.js); read when a face is first looked for
    const faceFiles = {
      text: (name: string) => this.files.text(`${FACE_FILES_DIR}${name}`),
      bytes: (name: string) => this.files.bytes(`${FACE_FILES_DIR}${name}`),
    };
    return openLocalEngine(
      source,
      'wasm',
      { 'ort-web': { devices: ['wasm'], provider: ortWebProviders({ wasmBinary: await this.wasm }) } },
      { where: 'in the panel', yieldNow: yieldToEventLoop, faceFiles },
    );
  }

  /**
   * The selection's, layer's or canvas's square at the model's resolution; for a portrait model, the centred box of
   * its aspect in that square (where Apply puts the result back), the selection mask cut the same way.
   */
  async readSource(resolution: number, modelWidth = resolution): Promise<HostSource> {
    const doc = this.rgbDoc();
    const { region, from } = await editRegion(doc);
    const layer = sourceLayer(doc);
    const image = inModelBox(flattenOnWhite(await readRegionPixels(doc, layer, region, resolution)), modelWidth);
    const squareMask = await readSelectionMask(doc, region, resolution);
    const box = centredBox(resolution, resolution, modelWidth, resolution);
    const mask = squareMask && box.width !== resolution ? cropPixels(squareMask, resolution, 1, box) : squareMask;
    this.source = { docId: doc.id, region, layer };
    // the square at its own size too, where an edit of a face found in it can be composited back at full size
    const photo =
      region.side <= FULL_COMPOSITE_MAX_SIDE
        ? flattenOnWhite(await readRegionPixels(doc, layer, region, region.side))
        : undefined;
    const width = Math.round((region.side * modelWidth) / resolution);
    return {
      image,
      mask,
      label: `${from} (${width} x ${region.side} px)`,
      size: { width, height: region.side },
      ...(photo ? { photo } : {}),
    };
  }

  /**
   * "Clip from layers": each frame layer read as Use layer reads one (inside the selection where there is one, else
   * its own square; at the model's size), the active layer as the key frame. Every frame is checked before any is
   * read, so a bad one is named at once. Nothing in the document changes.
   */
  async readClip(
    resolution: number,
    modelWidth = resolution,
    onFrame?: (done: number, total: number) => void,
  ): Promise<HostClip> {
    const doc = this.rgbDoc();
    const selection = await selectionBounds(doc);
    const regionOf = (l: Layer) => squareAround(selection ?? l.boundsNoEffects, doc.width, doc.height);
    const {
      frames: layers,
      key,
      hidden,
    } = clipLayers(doc, {
      sameSize: !selection,
      check: (l) => checkReadable(l, regionOf(l), AS_FRAME),
    });
    const regions = layers.map(regionOf);
    const frames: Image8[] = [];
    for (const [i, layer] of layers.entries()) {
      const square = await readRegionPixels(doc, layer, regions[i], resolution, AS_FRAME);
      frames.push(inModelBox(flattenOnWhite(square), modelWidth));
      onFrame?.(frames.length, layers.length);
    }
    this.clip = { docId: doc.id, name: doc.name, layers, region: selection ? regions[0] : undefined };
    const where = selection ? ', inside the selection' : '';
    const left = hidden.length ? `; hidden, so left out: ${quoted(hidden)}` : '';
    return { frames, key, label: `${layers.length} layers of ${doc.name}${where}${left}` };
  }

  /**
   * A dragged clip as a frame animation in a new document, one history step (the animation writer of a drag). Read
   * inside a selection, each frame is placed as Apply places an edit: over its own layer, at the selection's square,
   * in a document of the source's size; else the frames are the model's squares.
   */
  async applyClip(frames: readonly Image8[], indices: readonly number[]): Promise<void> {
    const read = this.clip;
    const name = `${read?.name || 'DragGAN'} clip`;
    if (!read?.region) return void (await writeAnimation(frames, name));
    // documents.md promises array access and forEach (not every Array method)
    const open: Document[] = [];
    app.documents.forEach((d) => open.push(d));
    const doc = open.find((d) => d.id === read.docId);
    if (!doc)
      throw new PhotoshopSourceError(
        `the document "${read.name}" the clip was read from is closed: open it again, then Clip from layers`,
      );
    const layers = indices.map((i) => read.layers[i]);
    await writeAnimation(framesInSelection(doc, layers, read.region, frames, AS_FRAME), name);
  }

  async readPoints(resolution: number, modelWidth = resolution): Promise<HandleTarget[]> {
    const doc = this.doc();
    const region = this.source?.docId === doc.id ? this.source.region : (await editRegion(doc)).region;
    // a portrait model's pixels start at its centred box in the square
    const shift = centredBox(resolution, resolution, modelWidth, resolution).x;
    const toModel = (p: Point) => {
      const q = docToModel(p, region, resolution);
      return { x: q.x - shift, y: q.y };
    };
    const fits = (p: Point) => inside({ x: p.x, y: p.y }, resolution) && p.x <= modelWidth - 1;
    const pairs = [...pairsFromSamplers(doc), ...pairsFromPaths(doc)].map((p) => ({
      handle: toModel(p.handle),
      target: toModel(p.target),
    }));
    const usable = pairs.filter((p) => fits(p.handle) && fits(p.target));
    if (pairs.length > 0 && usable.length === 0)
      throw new PhotoshopSourceError(
        'the points lie outside the edited area: place them inside the layer or selection that was read',
      );
    return usable;
  }

  async apply(r: EditResult): Promise<void> {
    const doc = this.doc();
    const read = this.source?.docId === doc.id ? this.source : null;
    // a generated image (nothing read from this document) goes over the canvas's centred square (a portrait one over
    // the centred box of its aspect in it)
    const region = read?.region ?? (await editRegion(doc)).region;
    // an edit of what was read goes onto the layer's own pixels at full size, masked to what changed (up-scaled only
    // where too large); an edit of a face cut out of it comes back through that face's alignment
    const masked =
      read && r.inPhoto
        ? maskedEditOf(await r.inPhoto(), read.region)
        : read && r.reconstruction
          ? await compositeOnSource(doc, read.layer, region, r.reconstruction, r.image)
          : null;
    await writeEdit(doc, r.image, r.pairs, region, masked ?? undefined);
  }

  readonly extraActions: readonly HostAction[] = [
    { id: 'animation', label: 'Apply as animation', needsFrames: true, run: (r) => this.applyAnimation(r) },
  ];

  /**
   * The drag's frames, played on the panel's timeline (its Ease and Loop settings), as a frame animation in a new
   * document named after the layer that was read: the source document is left as it is.
   */
  async applyAnimation(r: EditResult): Promise<void> {
    if (r.frames.length === 0)
      throw new UserFixableError('no frames yet: a drag records its frames as it runs; run one, then apply it');
    await writeAnimation(playedFrames(r.frames, r.timeline), this.source?.layer?.name ?? 'DragGAN drag');
  }

  /** The settings from localStorage, the token from secure storage (one stored in localStorage by an older version moves). */
  async loadSettings(): Promise<Partial<Settings>> {
    const local = loadStoredSettings(globalThis.localStorage);
    if (typeof local.remoteToken === 'string' && local.remoteToken) {
      await writeToken(local.remoteToken).catch(() => undefined);
      storeSettings(globalThis.localStorage, { ...local, remoteToken: '' } as Settings);
    }
    this.token ??= await readToken();
    return { ...local, remoteToken: this.token };
  }

  saveSettings(s: Settings): void {
    storeSettings(globalThis.localStorage, { ...s, remoteToken: '' });
    if (s.remoteToken === this.token) return;
    this.token = s.remoteToken;
    // a failed write only means the token is asked for again next time
    void writeToken(s.remoteToken).catch(() => undefined);
  }
}

const savedId = (name: string) => `saved:${name}`;

/** A clip's frame layer refused by name, with what to do: hidden layers are left out of a clip. */
const AS_FRAME: ReadAs = {
  name: (l) => `the frame layer "${l.name}"`,
  instead: 'hide it or leave it out of the selected layers (hidden layers are not frames), then Clip from layers again',
};

/** A square read at the model's resolution, cut to the model's centred box (a portrait model's is narrower). */
function inModelBox(square: Image8, modelWidth: number): Image8 {
  const box = centredBox(square.height, square.height, modelWidth, square.height);
  return box.width === square.width ? square : cropImage8(square, box);
}

/**
 * A catalog download (uxpModelStorage installs it as models/ID, its model.json named with the catalog's title) by its
 * title; an imported .pkl by its folder's name.
 */
function savedLabel(m: SavedModel): string {
  const e = CATALOG.find((c) => c.id === m.name);
  let name: unknown;
  try {
    name = (JSON.parse(m.modelJson) as { name?: unknown }).name;
  } catch {
    name = undefined;
  }
  return e && name === e.title ? downloadedModelLabel(e) : `${m.name} (imported)`;
}

function savedEntry(name: string, load: () => Promise<ModelPackage>, label = `${name} (imported)`): ModelEntry {
  let pkg: Promise<ModelPackage> | undefined;
  return { id: savedId(name), label, source: { kind: 'package', load: () => (pkg ??= load()) } };
}
