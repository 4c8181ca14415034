/** The panel's settings, as stored by the host; every bound comes from the engine's one table of limits. */
import { DRAG_DEFAULTS, type DragDefaults } from '../engine/core/defaults';
import { limitProblem, type LimitName } from '../engine/core/limits';
import { DRAG_METHODS, type DragMethod } from '../engine/core/types';

/**
 * Engines the panel runs itself; 'remote' is an endpoint; 'local-server' is `draggan serve` on this computer
 * (`npm run serve`), found by the host (HostPort.findLocalServer).
 */
export type LocalBackend = 'wasm' | 'webgpu';
export type PanelBackend = LocalBackend | 'remote' | 'local-server';

/** Backends whose engine is a DragGAN endpoint: the models are the endpoint's. */
export const servedBackend = (b: PanelBackend): b is 'remote' | 'local-server' => b === 'remote' || b === 'local-server';

export interface Settings {
  backend: PanelBackend;
  remoteUrl: string;
  remoteToken: string;
  /** Keep the token across sessions (a page's localStorage is plain text); off: only for this tab's session. */
  rememberToken: boolean;
  lr: number;
  maxSteps: number;
  r1: number;
  r2: number;
  lambda: number;
  mode: 'w+' | 'w';
  /** 'draggan': the official loop; 'robust': see DragMethod (plugin/engine/core/types.ts). */
  method: DragMethod;
  /** A preview every this many steps (rendering costs about a step). */
  previewEvery: number;
  /** The seed to generate (an empty field draws a random one, see fieldValues.ts). */
  seed: number;
  psi: number;
  /** Steps of GAN inversion when a photo is brought in. */
  invertSteps: number;
}

type NumberKey = 'lr' | 'maxSteps' | 'r1' | 'r2' | 'lambda' | 'previewEvery' | 'psi' | 'invertSteps' | 'seed';
const NUMBER_KEYS: readonly NumberKey[] = ['lr', 'maxSteps', 'r1', 'r2', 'lambda', 'previewEvery', 'psi', 'invertSteps', 'seed'];

export function defaultSettings(d: DragDefaults): Settings {
  return {
    backend: 'wasm',
    remoteUrl: '',
    remoteToken: '',
    rememberToken: false,
    lr: d.lr,
    maxSteps: DRAG_DEFAULTS.maxSteps,
    r1: d.r1,
    r2: d.r2,
    lambda: d.lambda,
    mode: DRAG_DEFAULTS.mode,
    method: 'draggan',
    previewEvery: DRAG_DEFAULTS.previewEvery,
    seed: DRAG_DEFAULTS.seed,
    psi: DRAG_DEFAULTS.psi,
    invertSteps: DRAG_DEFAULTS.invertSteps,
  };
}

/** Stored values win where they are valid; anything malformed or out of bounds falls back to the default. */
export function mergeSettings(base: Settings, stored: Partial<Settings>): Settings {
  const out: Settings = { ...base };
  for (const k of NUMBER_KEYS) {
    const v = stored[k];
    if (typeof v === 'number' && limitProblem(k, v) === undefined) out[k] = v;
  }
  if (stored.backend === 'wasm' || stored.backend === 'webgpu' || stored.backend === 'remote' || stored.backend === 'local-server') out.backend = stored.backend;
  if (stored.mode === 'w+' || stored.mode === 'w') out.mode = stored.mode;
  if (DRAG_METHODS.includes(stored.method as DragMethod)) out.method = stored.method as DragMethod;
  if (typeof stored.remoteUrl === 'string') out.remoteUrl = stored.remoteUrl;
  if (typeof stored.remoteToken === 'string') out.remoteToken = stored.remoteToken;
  if (typeof stored.rememberToken === 'boolean') out.rememberToken = stored.rememberToken;
  return out;
}

const capitalise = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}.`;

/** The first problem with the numbers, said as what to change; undefined when they are usable. */
export function settingsProblem(s: Settings): string | undefined {
  for (const k of NUMBER_KEYS) {
    const p = limitProblem(k as LimitName, s[k]);
    if (p) return capitalise(k === 'seed' ? `${p} (or leave it empty for a random one)` : p);
  }
  if (s.backend === 'remote' && !/^https?:\/\/./.test(s.remoteUrl)) return 'Remote engine: enter the endpoint URL (http:// or https://) in Settings.';
  return undefined;
}

