/**
 * Messages between a page and the engine in its Web Worker. Requests carry an id; the worker answers each with
 * events (progress, steps, previews) and one final reply. Everything is structured-cloneable data.
 */
import type { Image8 } from '../codecs/image8';
import type { EditState } from '../core/editState';
import {
  BackendError,
  CheckpointError,
  DragInputError,
  EndpointBusyError,
  EndpointUnreachableError,
  FaceInputError,
  FaceModelError,
  InvertInputError,
  ModelConfigError,
  ProtocolMismatchError,
  RemoteError,
  TokenRefusedError,
  UnknownModelError,
  UserFixableError,
} from '../core/errors';

import type { DragHyperParameters } from '../core/dragSettings';
import type { RunResult } from '../core/session';
import type { Point, StepReport } from '../core/types';
import type { InversionProgress, ModelSummary } from './engine';
import type { HostTensor } from '../graph/tensor';
import type { RgbImage } from '../invert/rgbImage';
import type { InvertSchedule } from '../invert/types';
import type { ModelSource } from './modelSource';
import type { Affine } from '../faces/affine';
import type { FaceSearchProgress } from '../faces/landmarkFaceSearch';

export type WorkerRequest =
  /** `faces`: the URL of the folder the face models are shipped in (the worker reads them when first asked). */
  | { op: 'open'; source: Exclude<ModelSource, { kind: 'package' }>; backend: string; faces?: string }
  | { op: 'generate'; seed: number; psi: number }
  | { op: 'render'; latent: HostTensor }
  | {
      op: 'invert';
      image: RgbImage;
      steps?: number;
      timeBudgetSeconds?: number;
      schedule?: InvertSchedule;
      startLatent?: HostTensor;
    }
  /** `paced`: previews on a time budget (a PreviewBudget in the worker) instead of every `previewEvery` steps. */
  | { op: 'drag'; state: EditState; steps?: number; previewEvery?: number; preview: boolean; paced: boolean }
  | { op: 'prepareDrag'; handles: Point[]; masked: boolean; hp: Partial<DragHyperParameters> }
  | { op: 'track'; from: HostTensor; points: Point[]; to: HostTensor; near?: Point[]; radius?: number }
  | { op: 'tune'; latent: HostTensor; image: RgbImage; steps?: number }
  | { op: 'faces'; photo: Image8 }
  | { op: 'composite'; photo: Image8; toPhoto: Affine; reconstruction: Image8; edited: Image8 }
  | { op: 'encodeVideo'; frames: Image8[] }
  | { op: 'release' };

/** Stops the request with that id after its current step (drag, invert, tune keep what they reached). */
export interface CancelMessage {
  op: 'cancel';
  id: number;
}

export type ToWorker = ({ id: number } & WorkerRequest) | CancelMessage;

export interface OpenReply {
  description: string;
  notes: string[];
  model: ModelSummary;
  canTune: boolean;
  canFindFaces: boolean;
}

export interface DragReply {
  state: EditState;
  result: RunResult;
}

export type WorkerEvent =
  | { kind: 'progress'; progress: InversionProgress }
  | { kind: 'step'; report: StepReport; state: EditState }
  | { kind: 'preview'; image: Image8; step: number }
  | { kind: 'faceSearch'; progress: FaceSearchProgress };

export interface WireFailure {
  name: string;
  message: string;
  /** Extra fields of the error (CheckpointError's code, BackendError's failures). */
  code?: string;
  failures?: { backend: string; error: string }[];
}

export type FromWorker =
  | { id: number; event: WorkerEvent }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireFailure };

export function failureOf(e: unknown): WireFailure {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const f: WireFailure = { name: e.name, message: e.message };
  if (e instanceof CheckpointError) f.code = e.code;
  if (e instanceof BackendError) f.failures = [...e.failures];
  return f;
}

const USER_FIXABLE: Record<string, (m: string) => UserFixableError> = {
  UserFixableError: (m) => new UserFixableError(m),
  DragInputError: (m) => new DragInputError(m),
  InvertInputError: (m) => new InvertInputError(m),
  FaceInputError: (m) => new FaceInputError(m),
  FaceModelError: (m) => new FaceModelError(m),
  ModelConfigError: (m) => new ModelConfigError(m),
  RemoteError: (m) => new RemoteError(m),
  EndpointUnreachableError: (m) => new EndpointUnreachableError(m),
  TokenRefusedError: (m) => new TokenRefusedError(m),
  ProtocolMismatchError: (m) => new ProtocolMismatchError(m),
  UnknownModelError: (m) => new UnknownModelError(m),
  EndpointBusyError: (m) => new EndpointBusyError(m),
};

/** The error as the worker threw it: the same class for the user-fixable ones, so hosts classify it alike. */
export function errorOf(f: WireFailure): Error {
  if (f.name === 'CheckpointError')
    return new CheckpointError((f.code ?? 'unsupported') as CheckpointError['code'], f.message);
  if (f.name === 'BackendError') return new BackendError(f.message, f.failures);
  const make = USER_FIXABLE[f.name];
  if (make) return make(f.message);
  const e = new Error(f.message);
  e.name = f.name;
  return e;
}
