/** The panel's settings, as stored by the host; the drag settings and every bound come from the engine's tables. */
import { DRAG_DEFAULTS } from '../core/defaults';
import {
  dragSettings,
  type DragHyperParameters,
  type DragSetting,
  type DragSettingName,
  type PanelDragSettings,
} from '../core/dragSettings';
import { limitProblem, type LimitName } from '../core/limits';
import { settingProblem } from '../core/settingProblem';

/**
 * Engines the panel runs itself; 'remote' is an endpoint; 'local-server' is `draggan serve` on this computer
 * (`npm run serve`), found by the host (HostPort.findLocalServer).
 */
export type LocalBackend = 'wasm' | 'webgpu';
export type PanelBackend = LocalBackend | 'remote' | 'local-server';

/** Backends whose engine is a DragGAN endpoint: the models are the endpoint's. */
export const servedBackend = (b: PanelBackend): b is 'remote' | 'local-server' =>
  b === 'remote' || b === 'local-server';

/** The drag settings the panel shows (the table's entries with a `panel` field), in the table's order. */
export function panelSettings(): [DragSettingName, DragSetting][] {
  return dragSettings().filter(([, s]) => s.panel !== undefined);
}

export type Settings = PanelDragSettings & {
  backend: PanelBackend;
  remoteUrl: string;
  remoteToken: string;
  /** Keep the token across sessions (a page's localStorage is plain text); off: only for this tab's session. */
  rememberToken: boolean;
  /** A preview every this many steps (rendering costs about a step). */
  previewEvery: number;
  /** The seed to generate (an empty field draws a random one, see fieldValues.ts). */
  seed: number;
  psi: number;
  /** Steps of GAN inversion when a photo is brought in. */
  invertSteps: number;
  /** How "Download video" and "Apply as animation" play the drag's frames (engine/frameTimeline.ts). */
  ease: boolean;
  loop: boolean;
};

/** The panel's numbers that are not drag settings, bounded by LIMITS. */
type NumberKey = 'previewEvery' | 'psi' | 'invertSteps' | 'seed';
const NUMBER_KEYS: readonly NumberKey[] = ['previewEvery', 'psi', 'invertSteps', 'seed'];

/** The panel's first settings: the model's drag defaults where given (else the table's), the rest from DRAG_DEFAULTS. */
export function defaultSettings(model: Partial<DragHyperParameters> = {}): Settings {
  const drag: Record<string, unknown> = {};
  for (const [name, s] of panelSettings()) drag[name] = (model as Record<string, unknown>)[name] ?? s.default;
  return {
    ...(drag as PanelDragSettings),
    backend: 'wasm',
    remoteUrl: '',
    remoteToken: '',
    rememberToken: false,
    previewEvery: DRAG_DEFAULTS.previewEvery,
    seed: DRAG_DEFAULTS.seed,
    psi: DRAG_DEFAULTS.psi,
    invertSteps: DRAG_DEFAULTS.invertSteps,
    ease: DRAG_DEFAULTS.ease,
    loop: DRAG_DEFAULTS.loop,
  };
}

/** The drag settings of the panel's settings, as the engine takes them (it fills in the model's for the rest). */
export function dragSettingsOf(s: Settings): Partial<DragHyperParameters> {
  const values = s as unknown as Record<string, unknown>;
  return Object.fromEntries(panelSettings().map(([name]) => [name, values[name]])) as Partial<DragHyperParameters>;
}

/** Stored values win where they are valid; anything malformed or out of bounds falls back to the default. */
export function mergeSettings(base: Settings, stored: Partial<Settings>): Settings {
  const out: Settings = { ...base };
  for (const k of NUMBER_KEYS) {
    const v = stored[k];
    if (typeof v === 'number' && limitProblem(k, v) === undefined) out[k] = v;
  }
  const given = stored as Record<string, unknown>;
  const drag = out as unknown as Record<string, unknown>;
  for (const [name] of panelSettings())
    if (given[name] !== undefined && settingProblem(name, given[name]) === undefined) drag[name] = given[name];
  if (
    stored.backend === 'wasm' ||
    stored.backend === 'webgpu' ||
    stored.backend === 'remote' ||
    stored.backend === 'local-server'
  )
    out.backend = stored.backend;
  if (typeof stored.remoteUrl === 'string') out.remoteUrl = stored.remoteUrl;
  if (typeof stored.remoteToken === 'string') out.remoteToken = stored.remoteToken;
  for (const k of ['rememberToken', 'ease', 'loop'] as const) if (typeof stored[k] === 'boolean') out[k] = stored[k];
  return out;
}

const capitalise = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}.`;

/** The first problem with the numbers, said as what to change; undefined when they are usable. */
export function settingsProblem(s: Settings): string | undefined {
  const values = s as unknown as Record<string, unknown>;
  for (const [name] of panelSettings()) {
    const p = settingProblem(name, values[name]);
    if (p) return capitalise(p);
  }
  for (const k of NUMBER_KEYS) {
    const p = limitProblem(k as LimitName, s[k]);
    if (p) return capitalise(k === 'seed' ? `${p} (or leave it empty for a random one)` : p);
  }
  if (s.backend === 'remote' && !/^https?:\/\/./.test(s.remoteUrl))
    return 'Remote engine: enter the endpoint URL (http:// or https://) in Settings.';
  return undefined;
}
