/**
 * The one seam every host drives (the CLI, the server's clients, the panel in Photoshop, the pages): an Engine is a
 * model on some compute — here, in a Web Worker, or on a remote endpoint — that generates, renders, inverts and
 * opens drag sessions. Hosts never learn more about where the work runs than `description` and `notes`.
 */

import type { CropBox } from '../codecs/image8';
import type { Image8 } from '../codecs/image8';
import type { DragHyperParameters } from '../core/dragSettings';
import type { EditState } from '../core/editState';
import type { DragSessionLike } from '../core/session';
import type { FaceAlignment, FaceModelKind, Point } from '../core/types';
import type { HostTensor } from '../graph/tensor';
import type { RgbImage } from '../invert/rgbImage';
import type { InvertSchedule } from '../invert/types';
import type { ModelPackage } from '../model/modelPackage';
import type { Affine } from '../faces/affine';
import type { FaceSearchControl } from '../faces/facesInPhoto';
import type { FramedFace, PhotoComposite } from './photoFaces';

/** What a host needs to know of the model an engine runs. */
export interface ModelSummary {
  /** The id the model is addressed by (an endpoint's model id, or the local package's name). */
  id: string;
  name: string;
  /** The model card's words: what it draws, and its licence. */
  description: string;
  license: string;
  /** The image's height (and width, for a square model). */
  resolution: number;
  /** The image's width where it is not `resolution` (StyleGAN-Human's portrait generators: half of it). */
  width?: number;
  numWs: number;
  wDim: number;
  zDim: number;
  /** Feature maps DragGAN can use (StyleGAN3: one per layer); absent: StyleGAN2's blocks, log2(resolution) - 1. */
  numBlocks?: number;
  /** Every drag setting's default for it: its card's (model.json `draggan`), else the table's. */
  defaults: DragHyperParameters;
  /** How a photo is framed for it (model.json `alignment`): 'ffhq' or 'procedural' faces, or 'none' (the centred square). */
  alignment: FaceAlignment;
  /** Which face finder reads its faces (model.json `face_model`). */
  faceModel: FaceModelKind;
  /** What it draws (model.json `domain`), '' when its card does not say. */
  domain: string;
}

export interface InversionProgress {
  step: number;
  steps: number;
  /** The best PSNR so far (what a Stop now would keep), in dB. */
  psnr?: number;
  /** The projection's phase: one w for every layer, then each layer's own. */
  phase?: 'w' | 'w+';
  /** When this step found a new best fit: its latent and image (what a Stop now keeps). */
  best?: { latent: HostTensor; image: Image8 };
}

export interface InversionOptions {
  /** Total projection steps (W then W+). */
  steps?: number;
  /** Wall-clock budget; the plan is shortened to fit. */
  timeBudgetSeconds?: number;
  /** Which plan: see InvertSchedule (default 'fast'). */
  schedule?: InvertSchedule;
  /** Start from this W+ latent of a neighbouring image (a clip's previous frame): see InvertOptions.startLatent. */
  startLatent?: HostTensor;
  /** Stops after the current step; the best latent so far is returned (cancelled: true). */
  signal?: AbortSignal;
  onProgress?(p: InversionProgress): void;
}

export interface InversionResult {
  /** The best W+ latent found, [1, num_ws, w_dim]. */
  latent: HostTensor;
  /** Its image, where the engine has it at hand (saves a render). */
  image?: Image8;
  /** The centred box of the input that was fitted (a square, or a portrait model's W:H), in its pixels. */
  crop?: CropBox;
  psnr: number;
  steps: number;
  cancelled: boolean;
}

export interface TuningResult {
  /** The per-image model (a model folder's contents). */
  model: ModelPackage;
  /** Its image at the pivot latent. */
  image: Image8;
  psnr: number;
  steps: number;
  cancelled: boolean;
}

export interface Engine {
  /** What really runs, e.g. "onnxruntime-web 1.30 (wasm, 1 thread) in a Web Worker". */
  readonly description: string;
  /** Why the engine is not what was asked for (a backend that fell back), one sentence each; empty when it is. */
  readonly notes: readonly string[];
  readonly model: ModelSummary;
  /**
   * Steps a host should ask of one run() call: 1 where the engine shares the host's thread (so it can yield and
   * repaint between steps), more where each call crosses a worker or a network.
   */
  readonly stepsPerCall: number;
  /** A seed's W+ latent (numpy-exact z, truncation psi), [1, num_ws, w_dim]. */
  generate(seed: number, psi: number, signal?: AbortSignal): Promise<HostTensor>;
  /** A latent's image as shown (8-bit RGBA, converted where the engine runs). */
  render(latent: HostTensor, signal?: AbortSignal): Promise<Image8>;
  /** GAN inversion of a photo (any size; the centred square is fitted). */
  invert(image: RgbImage, o?: InversionOptions): Promise<InversionResult>;
  /** A drag session on a latent; hyper-parameters default to the model's (`model.defaults`). */
  openDrag(w0: HostTensor, hp?: Partial<DragHyperParameters>): Promise<DragSessionLike>;
  /**
   * Builds ahead what a drag's steps will run for these handles (their number matters, not their places), with or
   * without a mask, so that the next drag's first step costs what the others do (building is seconds at 512 px).
   * Hosts call it while the user places points and need not await it. Absent where nothing is built ahead.
   */
  prepareDrag?(handles: readonly Point[], masked: boolean, hp?: Partial<DragHyperParameters>): Promise<void>;
  /**
   * Where the content under `points` of one latent's image is in another's (DragGAN's tracking: the nearest feature
   * of the model's feature block within `radius` px of `near`, default the points themselves). Absent where the
   * engine cannot (remote).
   */
  track?(
    from: HostTensor,
    points: readonly Point[],
    to: HostTensor,
    o?: { near?: readonly Point[]; radius?: number },
  ): Promise<Point[]>;
  /**
   * Every face the model's face finder (its card's `face_model`) sees in a photo, each cut out as the card's
   * `alignment` asks; absent where the engine has no face models (a remote endpoint). A Stop resolves it with none.
   */
  findFaces?(photo: Image8, control?: FaceSearchControl): Promise<FramedFace[]>;
  /** An edit of a framed face carried back into the full-size photo (plugin/faces/compositeEdit.ts), where the engine runs. */
  composite?(photo: Image8, toPhoto: Affine, reconstruction: Image8, edited: Image8): Promise<PhotoComposite>;
  /** Frames (in playing order, one size) as an H.264 MP4 at VIDEO_FPS, where the engine runs: a page's worker. */
  encodeVideo?(frames: Image8[]): Promise<Uint8Array>;
  /**
   * A drag session that continues a state (another session's snapshot(), a request's): it goes on exactly where that
   * state was. The state's hyper-parameters were checked where they entered; its parts are checked against the model.
   */
  resumeDrag(state: EditState): Promise<DragSessionLike>;
  /** Pivotal tuning of the generator to a photo at its inverted latent; absent where the engine cannot. */
  tune?(
    latent: HostTensor,
    image: RgbImage,
    o?: { steps?: number; signal?: AbortSignal; onProgress?(p: InversionProgress): void },
  ): Promise<TuningResult>;
  release(): Promise<void>;
}
