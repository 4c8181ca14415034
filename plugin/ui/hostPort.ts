/**
 * The port a host (Photoshop, a web page, Photopea) implements for the panel. The panel never learns which host it
 * runs in beyond these capabilities; every optional method is a button that only shows where the host has it.
 */
import type { Image8 } from '../codecs/image8';
import type { HandleTarget } from '../core/types';
import type { Engine } from '../engine/engine';
import type { TimelineOptions } from '../engine/frameTimeline';
import type { PhotoComposite } from '../engine/photoFaces';
import type { ModelSource } from '../engine/modelSource';
import type { HostTensor } from '../graph/tensor';
import type { CheckpointFile } from '../model/byteSource';
import type { CatalogHost } from './catalogHost';
import type { LocalBackend, Settings } from './settings';

/** A model the picker offers; without a source it is one the remote endpoint serves (its id is the endpoint's). */
export interface ModelEntry {
  id: string;
  label: string;
  source?: ModelSource;
}

/** A local engine that answered: where, and what it runs on in a few words ("CPU, 8 threads") if it says. */
export interface LocalServer {
  url: string;
  engine?: string;
}

/** A .pkl the user picked: its name, and the file as the host can read it (bytes, a page's File, a ByteSource). */
export interface PickedCheckpoint {
  name: string;
  file: CheckpointFile;
}

/** An image the host read for editing, already at the model's size (width x resolution). */
export interface HostSource {
  image: Image8;
  /** Flexible region from the host's selection (1 = may change), model resolution; absent when there is none. */
  mask?: Uint8Array;
  /** Where it came from, for the status line ("Layer 1, 420 x 380 px"). */
  label: string;
  /** Its own size before it was fitted to the model's box, for a note on very small, large or long images. */
  size?: { width: number; height: number };
  /**
   * The same picture at its own size (a page's whole image; Photoshop's layer square), where the host has it: faces
   * are found in it for a face model, and the edit is carried back into it at that size.
   */
  photo?: Image8;
}

/** A clip the host read: its frames in order, each at the model's size (width x resolution). */
export interface HostClip {
  frames: Image8[];
  /** Where it came from, for the status line ("walk.mp4 (24 frames)"). */
  label: string;
  /** The frame the host points at as the key frame (0-based; Photoshop's active layer); the first when absent. */
  key?: number;
}

export interface EditResult {
  image: Image8;
  /**
   * The model's image of the source the host read, when the edit started from one (not from a seed): with it the
   * host can apply what the edit changed to its own full-resolution pixels instead of pasting `image` up-scaled.
   */
  reconstruction?: Image8;
  latent: HostTensor;
  /** Handles where the edit started, their targets, and where tracking ended. */
  pairs: HandleTarget[];
  tracked: HandleTarget['handle'][];
  /** Previews taken during the run, oldest first (for frame export). */
  frames: Image8[];
  /**
   * When the edit started from a face cut out of the host's picture: the edit carried back into that picture at its
   * own size (run where the engine runs: the page's worker), for the host to write out.
   */
  inPhoto?(): Promise<PhotoComposite>;
  /** How the frames are played in a video or an animation: the panel's Ease and Loop settings. */
  timeline: TimelineOptions;
  /** The frames as an MP4, played on `timeline`, encoded where the engine runs (a page's worker). */
  video?(): Promise<Uint8Array>;
}

export interface HostAction {
  id: string;
  /** The button's words, and its accessible name and tooltip where `short` stands in for them. */
  label: string;
  /** The words on a narrow panel (panelStyles.ts, .wide/.narrow), so the action bar keeps to two rows at 300 px. */
  short?: string;
  /** Works on the last drag's frames: offered only once a drag has recorded some. */
  needsFrames?: boolean;
  run(result: EditResult): Promise<void>;
}

export interface HostPort {
  readonly name: string;
  /**
   * The origin a remote endpoint must allow for this host's requests (`draggan serve --allow-origin`): a web page's
   * own. Left out where requests carry no page origin (Photoshop).
   */
  readonly pageOrigin?: string;
  /** The host keeps the remote token in its own secure storage (Photoshop): no "remember" choice is offered. */
  readonly secureTokenStorage?: boolean;
  /** Models offered in the picker; the first is the default. */
  listModels(): Promise<ModelEntry[]>;
  /** Asks the user for an official .pkl; null when they cancel. The file is read later, a part at a time. */
  pickCheckpoint?(): Promise<PickedCheckpoint | null>;
  /**
   * Imports a picked .pkl and keeps it, so listModels offers it next time (Photoshop: the plugin's data folder).
   * Without it the panel hands the file to the engine, which imports it for this session only.
   */
  importCheckpoint?(file: PickedCheckpoint): Promise<ModelEntry>;
  /** "Get models…": the catalog's downloads into this host's own storage; hosts that keep none leave it out. */
  readonly catalog?: CatalogHost;
  /** The engines this host can run itself, in order of preference: wasm always, WebGPU where an adapter exists. */
  localBackends(): Promise<LocalBackend[]>;
  /**
   * `draggan serve` running on this computer (`npm run serve`), or null when none answers; hosts that cannot reach
   * one leave it out. Asked at start and when the user picks the local engine.
   */
  findLocalServer?(): Promise<LocalServer | null>;
  /** Starts the model on one of those (in a Web Worker where the host has workers, else in this thread). */
  openEngine(source: ModelSource, backend: LocalBackend): Promise<Engine>;
  /**
   * Reads the host's current image (active layer / selection / document / opened file), its centred box of the
   * model's aspect at the model's `modelWidth` x `resolution` (a portrait model's is half as wide as tall).
   */
  readSource?(resolution: number, modelWidth?: number): Promise<HostSource>;
  readonly readSourceLabel?: string;
  /**
   * "Open video/frames…": a clip's frames at the model's size (a page decodes a video file itself), `onFrame` told
   * as each is read. Hosts without a clip flow leave it out.
   */
  readClip?(resolution: number, modelWidth: number, onFrame?: (done: number, total: number) => void): Promise<HostClip>;
  /** The clip button's words where they are not "Open video/frames…" (Photoshop: "Clip from layers"). */
  readonly readClipLabel?: string;
  /** A dragged clip's MP4 out (a page downloads it). */
  saveClip?(video: Uint8Array): Promise<void>;
  /**
   * A dragged clip's frames (in order, at the model's size; `indices`: each one's place in the clip read, as a Stop
   * keeps only those done) kept by the host itself: Photoshop's frame animation.
   */
  applyClip?(frames: readonly Image8[], indices: readonly number[]): Promise<void>;
  readonly applyClipLabel?: string;
  /** Points placed in the host itself (colour samplers, a pen path), in model pixels of the last read source. */
  readPoints?(resolution: number, modelWidth?: number): Promise<HandleTarget[]>;
  /** The main "use this result" action: a new layer in Photoshop / Photopea, a PNG download in a page. */
  apply(result: EditResult): Promise<void>;
  readonly applyLabel: string;
  /** Further actions, e.g. downloads of the latent and the frames. */
  readonly extraActions?: readonly HostAction[];
  /** Small persistent key-value store for settings (async where secrets come from a host's secure storage). */
  loadSettings(): Partial<Settings> | Promise<Partial<Settings>>;
  saveSettings(s: Settings): void;
}
