/** The panel's settings, as stored by the host. */
import type { DragDefaults } from '../stylegan2/config';

export type BackendChoice = 'wasm' | 'webgpu' | 'remote';

export interface Settings {
  backend: BackendChoice;
  remoteUrl: string;
  remoteToken: string;
  lr: number;
  maxSteps: number;
  r1: number;
  r2: number;
  lambda: number;
  mode: 'w+' | 'w';
  /** A preview every this many steps (rendering costs about a step). */
  previewEvery: number;
  seed: number;
  psi: number;
  /** Steps of GAN inversion when a photo is brought in. */
  invertSteps: number;
}

export function defaultSettings(d: DragDefaults): Settings {
  return { backend: 'wasm', remoteUrl: '', remoteToken: '', lr: d.lr, maxSteps: 200, r1: d.r1, r2: d.r2, lambda: d.lambda, mode: 'w+', previewEvery: 2, seed: 0, psi: 0.7, invertSteps: 300 };
}

/** Stored values win where they are valid; anything malformed falls back to the default. */
export function mergeSettings(base: Settings, stored: Partial<Settings>): Settings {
  const out: Settings = { ...base };
  const num = (k: 'lr' | 'maxSteps' | 'r1' | 'r2' | 'lambda' | 'previewEvery' | 'seed' | 'psi' | 'invertSteps') => {
    const v = stored[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  };
  (['lr', 'maxSteps', 'r1', 'r2', 'lambda', 'previewEvery', 'seed', 'psi', 'invertSteps'] as const).forEach(num);
  if (stored.backend === 'wasm' || stored.backend === 'webgpu' || stored.backend === 'remote') out.backend = stored.backend;
  if (stored.mode === 'w+' || stored.mode === 'w') out.mode = stored.mode;
  if (typeof stored.remoteUrl === 'string') out.remoteUrl = stored.remoteUrl;
  if (typeof stored.remoteToken === 'string') out.remoteToken = stored.remoteToken;
  return out;
}

/** The first problem with the numbers, said as what to change; undefined when they are usable. */
export function settingsProblem(s: Settings): string | undefined {
  if (!(s.lr > 0 && s.lr < 1)) return 'Learning rate must be between 0 and 1 (the official default is 0.002 for faces, 0.001 otherwise).';
  if (!(Number.isInteger(s.maxSteps) && s.maxSteps >= 1 && s.maxSteps <= 5000)) return 'Step cap must be a whole number from 1 to 5000.';
  if (!(Number.isInteger(s.invertSteps) && s.invertSteps >= 1 && s.invertSteps <= 5000)) return 'Inversion steps must be a whole number from 1 to 5000.';
  if (!(s.r1 >= 1 && s.r2 >= 1)) return 'Radii r1 and r2 must be at least 1 (they are given at 512 px and scaled).';
  if (!(s.lambda >= 0)) return 'Lambda (mask weight) must be 0 or more.';
  if (!(Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 0xffffffff)) return 'Seed must be a whole number from 0 to 4294967295 (or leave it empty for a random one).';
  if (!(s.previewEvery >= 1)) return 'Preview every must be 1 or more steps.';
  if (!(s.psi >= 0 && s.psi <= 2)) return 'Truncation psi must be between 0 and 2 (0.7 is usual).';
  if (s.backend === 'remote' && !/^https?:\/\//.test(s.remoteUrl)) return 'Remote backend: enter the endpoint URL (http:// or https://) in Settings.';
  return undefined;
}
