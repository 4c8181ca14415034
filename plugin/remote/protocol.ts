import type { CropBox } from '../codecs/image8';
import type { DragHyperParameters } from '../core/dragSettings';
import type { FaceAlignment, HandleTarget, Point } from '../core/types';

/**
 * The DragGAN remote protocol (docs/api/openapi.yaml). Bumped on any incompatible change; client and server both
 * check it, so a mismatch is reported as such instead of as a confusing validation error.
 */
export const PROTOCOL_VERSION = 1;

/** Every route lives under this prefix, so a future version can be served side by side. */
export const API_PREFIX = '/v1';

/** Sent by both sides on every response / request. */
export const PROTOCOL_HEADER = 'draggan-protocol';

export const ROUTES = {
  models: `${API_PREFIX}/models`,
  generate: `${API_PREFIX}/generate`,
  invert: `${API_PREFIX}/invert`,
  dragSteps: `${API_PREFIX}/drag-steps`,
  prepare: `${API_PREFIX}/prepare`,
  healthz: '/healthz',
  readyz: '/readyz',
} as const;

/** What runs a server's graphs, as its /readyz reports it (servers before this field leave it out). */
export interface EngineReport {
  /** The runtime's backend: 'cpu', 'cuda', ... */
  device: string;
  /** Intra-op threads of a CPU runtime, where the server knows them. */
  threads?: number;
  /** The runtime's own words, e.g. "onnxruntime-node 1.30.0 (CPU)". */
  description: string;
}

/** /readyz (and /healthz, without `engine`). */
export interface ReadyResponse {
  protocol: number;
  status: 'ok' | 'ready' | 'starting' | 'draining';
  running?: number;
  queued?: number;
  engine?: EngineReport;
}

/** A float32 tensor on the wire: the shape and the little-endian bytes in base64. */
export interface WireTensor {
  shape: number[];
  data: string;
}

/** EditState on the wire (see stateCodec.ts); every float array is base64 of its little-endian bytes. */
/** Drag settings on the wire, each under its DRAG_SETTINGS entry's `wire` name (settingsCodec.ts). */
export type WireSettings = Record<string, number | string>;

export interface WireDragState {
  hp: WireSettings;
  /** [1, num_ws, w_dim] float32: the latent the edit started from. */
  w0: WireTensor;
  /** float32: the optimised rows (W+ mode) or the one shared w (W mode). */
  params: string;
  /** Adam moments as float64 (exactly what the local optimiser keeps) and its step count. */
  adam: { m: string; v: string; t: number };
  pairs: HandleTarget[];
  tracked: Point[];
  steps: number;
  /** Where tracking started; the server recomputes the reference features from it. */
  anchor?: { latent: string; handles: Point[] };
  /** Fixed region (1 = keep) as bytes, the model's width x resolution (height), row-major. */
  fixed?: string;
}

/** Every required drag setting's default for the model (its card's, else the table's) and the truncation psi. */
export type ModelDefaults = DragHyperParameters & { psi: number };

export interface ModelInfo {
  id: string;
  name: string;
  description: string;
  license: string;
  /** The image's height (and its width, for a square model). */
  resolution: number;
  /** The image's width where it is not `resolution` (StyleGAN-Human's portraits); absent: a square. */
  width?: number;
  zDim: number;
  wDim: number;
  numWs: number;
  /** Feature maps (StyleGAN3: one per layer); absent from older servers: StyleGAN2's blocks. */
  numBlocks?: number;
  defaults: ModelDefaults;
  /** How a photo is framed for the model (model.json `alignment`); servers before this field leave it out. */
  alignment?: FaceAlignment;
}

export interface ModelsResponse {
  protocol: number;
  models: ModelInfo[];
}

/** Which previews a request wants: a PNG (for display) and/or the exact float image [1, C, R, R]. */
export type PreviewKind = 'png' | 'f32' | 'both' | 'none';

export interface WirePreview {
  step: number;
  width: number;
  height: number;
  /** base64 PNG. */
  png?: string;
  /** The generator's float image, exactly as a local session would give it. */
  image?: WireTensor;
}

export interface GenerateRequest {
  model: string;
  seed?: number;
  psi?: number;
  latent?: WireTensor;
  preview?: PreviewKind;
}

export interface GenerateResponse {
  protocol: number;
  model: string;
  latent: WireTensor;
  preview?: WirePreview;
}

/** The image to invert: a PNG, or interleaved 8-bit RGB / RGBA with its size. */
export type WireImage = { png: string } | { width: number; height: number; channels: 3 | 4; data: string };

export interface InvertRequest {
  model: string;
  image: WireImage;
  /** Projection steps (default: the engine's; the server's time limit shortens the plan to fit). */
  steps?: number;
  seed?: number;
  preview?: PreviewKind;
}

export interface InvertResponse {
  protocol: number;
  model: string;
  latent: WireTensor;
  /** PSNR (dB) of the latent's image against the (cropped, resized) input. */
  psnr: number;
  steps: number;
  /** True when the time limit or a shutdown stopped it: the latent is the best so far. */
  cancelled: boolean;
  /** The centred box of the input that was fitted: a square, or (`width` given) a portrait model's W:H box. */
  crop: CropBox;
  preview?: WirePreview;
}

/** One projection step of a streamed /v1/invert (the request said Accept: application/x-ndjson or text/event-stream). */
export interface InvertStepEvent {
  type: 'step';
  /** 1-based, out of `steps` (the plan may shrink to fit the time limit, so `steps` can change). */
  step: number;
  steps: number;
  phase: 'w' | 'w+';
  loss: number;
  /** This step's PSNR and the best so far (what a stop now would return), in dB. */
  psnr: number;
  bestPsnr: number;
}

/**
 * The best fit so far of a streamed /v1/invert, so a client that stops the run keeps it (as a local Stop does).
 * Sent when the best improved, at most about once a second (see routeInvert), and before the result when the
 * result's fit was not sent yet. `step`: the step that found it; `crop`: as in the result.
 */
export interface InvertBestEvent {
  type: 'best';
  step: number;
  latent: WireTensor;
  psnr: number;
  crop: CropBox;
}

/** The end of a streamed /v1/invert: exactly the fields of the JSON answer (InvertResponse). */
export interface InvertResultEvent extends InvertResponse {
  type: 'result';
}

export interface DragStepsRequest {
  model: string;
  state: WireDragState;
  /** Steps to run in this request at most (the state's hp.maxSteps caps the total). */
  steps: number;
  /** Stream an intermediate preview every this many steps (0 = only the final one). */
  previewEvery?: number;
  preview?: PreviewKind;
}

/**
 * Builds ahead what a drag's steps will run (Engine.prepareDrag): for this many handles (their places do not matter),
 * with or without a mask, under these settings. A client sends it while the user places points.
 */
export interface PrepareRequest {
  model: string;
  handles: Point[];
  /** Whether the drag will have a mask (the whole feature map runs then). */
  masked: boolean;
  hp: WireSettings;
}

export interface PrepareResponse {
  protocol: number;
  model: string;
  /** What building took on the server, in milliseconds. */
  ms: number;
}

/**
 * Why a drag-steps request ended. 'steps-done': the request's step budget is spent (more may follow);
 * 'time-limit' / 'shutdown': the server stopped early but the state returned is complete and continues exactly.
 */
export type WireStopReason = 'converged' | 'step-cap' | 'steps-done' | 'time-limit' | 'shutdown';

export interface StepEvent {
  type: 'step';
  step: number;
  points: Point[];
  loss: number;
  ms: number;
  /** Features on exact windows around the handles, or the whole map. */
  path?: 'window' | 'whole';
}

export interface StartEvent {
  type: 'start';
  protocol: number;
  model: string;
}

export interface PreviewEvent {
  type: 'preview';
  preview: WirePreview;
}

export interface ResultEvent {
  type: 'result';
  protocol: number;
  reason: WireStopReason;
  steps: number;
  points: Point[];
  state: WireDragState;
  preview?: WirePreview;
}

export interface ErrorBody {
  code: string;
  message: string;
  /** The request field at fault, as a dotted path. */
  field?: string;
}

export interface ErrorEvent {
  type: 'error';
  protocol: number;
  error: ErrorBody;
  /** True when the same request may succeed on another replica or later. */
  retryable: boolean;
}

export type DragStreamEvent = StartEvent | StepEvent | PreviewEvent | ResultEvent | ErrorEvent;

export type InvertStreamEvent = StartEvent | InvertStepEvent | InvertBestEvent | InvertResultEvent | ErrorEvent;

/** What a client that wants /v1/invert's progress sends as Accept; it still takes plain JSON from older servers. */
export const STREAM_ACCEPT = 'application/x-ndjson, application/json;q=0.5';

/** The body of every non-2xx JSON answer. */
export interface ErrorResponse {
  protocol: number;
  error: ErrorBody;
}
