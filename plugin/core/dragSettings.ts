/**
 * The one table of drag settings. Each entry says everything about one setting: its type, bounds and default, how
 * model.json, the wire, the command line and the panel spell it, and its help text. The hyper-parameter type, the
 * defaults, the validator, the CLI's options and help, the wire codec and the panel's Settings form are all read
 * from it, so a setting added here reaches every one of them.
 */
import { limit, type Limit } from './limit';

/** What a model allows on top of the fixed limits. */
export interface ModelShape {
  numWs: number;
  /** Synthesis blocks (4 px ... resolution). */
  numBlocks: number;
}

interface SettingCommon {
  /** One sentence for --help and the panel's tooltip. */
  readonly help: string;
  /** Its key on the wire (a drag state's `hp`, a model's `defaults`). */
  readonly wire: string;
  /** Its key in model.json's `draggan` section, where a model's card may set it. */
  readonly modelJson?: string;
  /** Its command-line option (without the dashes) and how --help shows its value. */
  readonly cli?: { readonly flag: string; readonly arg: string };
  /** Its field in the panel's Settings. */
  readonly panel?: { readonly label: string; readonly step?: string };
  /** Left out of the hyper-parameters unless given: the engine then decides (see each help). */
  readonly optional?: true;
}

export interface NumberSetting extends SettingCommon {
  readonly kind: 'number';
  readonly limit: Limit;
  /** The largest value this model takes, where the model bounds it more tightly than the limit. */
  readonly modelMax?: (m: ModelShape) => number;
  /** Where a model bounds the setting, its default is cut to the model's largest value. */
  readonly default?: number;
}

export interface ChoiceSetting extends SettingCommon {
  readonly kind: 'choice';
  /** How a message names it. */
  readonly what: string;
  readonly values: readonly string[];
  /** The panel's name for each value. */
  readonly labels: readonly string[];
  readonly default: string;
}

export type DragSetting = NumberSetting | ChoiceSetting;

export const DRAG_SETTINGS = {
  lr: {
    kind: 'number',
    limit: limit('the learning rate', 0, 1, {
      minIncluded: false,
      hint: 'the official default is 0.002 for faces, 0.001 otherwise',
    }),
    default: 0.001,
    modelJson: 'lr',
    wire: 'lr',
    cli: { flag: 'lr', arg: 'LR' },
    panel: { label: 'Learning rate', step: '0.0005' },
    help: "Adam step size: 0.002 for faces, cats, cars; 0.001 otherwise (default: the model's)",
  },
  maxSteps: {
    kind: 'number',
    limit: limit('the step cap', 0, 100000, { integer: true }),
    default: 300,
    wire: 'maxSteps',
    cli: { flag: 'steps', arg: 'N' },
    panel: { label: 'Step cap', step: '10' },
    help: 'The drag stops here if the handles have not arrived (default 300, as in the paper)',
  },
  r1: {
    kind: 'number',
    limit: limit('r1 (the motion-supervision radius, at 512 px)', 1, 512, { hint: 'the official value is 3' }),
    default: 3,
    modelJson: 'r1',
    wire: 'r1',
    cli: { flag: 'r1', arg: 'R' },
    panel: { label: 'r1 (motion)', step: '1' },
    help: "Motion-supervision radius, in pixels at 512 px (default: the model's)",
  },
  r2: {
    kind: 'number',
    limit: limit('r2 (the tracking radius, at 512 px)', 1, 512, { hint: 'the official value is 12' }),
    default: 12,
    modelJson: 'r2',
    wire: 'r2',
    cli: { flag: 'r2', arg: 'R' },
    panel: { label: 'r2 (tracking)', step: '1' },
    help: "Point-tracking search radius, in pixels at 512 px (default: the model's)",
  },
  lambda: {
    kind: 'number',
    limit: limit('lambda (the weight that keeps the unmasked region still)', 0, 10000),
    default: 20,
    modelJson: 'lambda',
    wire: 'lambda',
    cli: { flag: 'lambda', arg: 'L' },
    panel: { label: 'Lambda (mask)', step: '1' },
    help: "With a mask: how strongly the area outside it is held to how it was (0 = free; too high and the handles cannot move; default: the model's)",
  },
  featureIdx: {
    kind: 'number',
    limit: limit('feature_idx', 0, 64, { integer: true }),
    modelMax: (m: ModelShape) => m.numBlocks - 1,
    default: 5,
    modelJson: 'feature_idx',
    wire: 'featureIdx',
    cli: { flag: 'feature-idx', arg: 'K' },
    help: "The synthesis block whose features are pulled and tracked (default: the model's; 5 = the 128 px block)",
  },
  optimisedRows: {
    kind: 'number',
    limit: limit('the number of optimised W+ rows', 1, 64, { integer: true }),
    modelMax: (m: ModelShape) => m.numWs,
    default: 6,
    wire: 'optimisedRows',
    help: 'Leading W+ rows optimised (official: 6; fewer where the model has fewer)',
  },
  mode: {
    kind: 'choice',
    what: 'the latent mode',
    values: ['w+', 'w'],
    labels: ['W+', 'W'],
    default: 'w+',
    wire: 'mode',
    cli: { flag: 'mode', arg: 'w+|w' },
    panel: { label: 'Latent' },
    help: 'W+: each of the first 6 style rows moves freely (default); W: one shared style vector',
  },
  method: {
    kind: 'choice',
    what: 'the drag method',
    values: ['draggan', 'robust'],
    labels: ['DragGAN', 'Robust'],
    default: 'draggan',
    optional: true,
    wire: 'method',
    cli: { flag: 'method', arg: 'draggan|robust' },
    panel: { label: 'Method' },
    help: 'DragGAN: the official loop, step for step (default). Robust: handles stay on their content (patch tracking, sub-pixel, on finer features), lagging handles get most of the pull, and close handles do not fight over the same features; faster with many points (docs/landmark-benchmark.md)',
  },
  stopDistance: {
    kind: 'number',
    limit: limit('the stop distance', 0, 1024),
    optional: true,
    wire: 'stopDistance',
    help: 'Stop when every handle is within this many pixels of its target (default: 1 for up to 5 points, 0.5 with the robust method; else 2)',
  },
} as const satisfies Record<string, DragSetting>;

type Table = typeof DRAG_SETTINGS;
export type DragSettingName = keyof Table;
type ValueOf<S> = S extends { kind: 'choice'; values: readonly (infer V)[] } ? V : number;
type Flat<T> = { -readonly [K in keyof T]: T[K] };

/** Every setting of a drag: the required ones, and the optional ones where given. */
export type DragHyperParameters = Flat<
  { [K in DragSettingName as Table[K] extends { optional: true } ? never : K]: ValueOf<Table[K]> } & {
    [K in DragSettingName as Table[K] extends { optional: true } ? K : never]?: ValueOf<Table[K]>;
  }
>;

/** The value type of one setting. */
export type DragSettingValue<K extends DragSettingName> = ValueOf<Table[K]>;

/** The settings the panel shows, under their names (how its stored settings spell them too). */
export type PanelDragSettings = Flat<{
  [K in DragSettingName as Table[K] extends { panel: object } ? K : never]-?: ValueOf<Table[K]>;
}>;

/** A model's DragGAN defaults as its model.json spells them (the `draggan` section). */
export type DragDefaults = Flat<{
  [K in DragSettingName as Table[K] extends { modelJson: infer J extends string } ? J : never]: ValueOf<Table[K]>;
}>;

/** 'w+': each optimised row free; 'w': one w shared by the optimised rows. */
export type LatentMode = ValueOf<Table['mode']>;

/**
 * How handles are tracked and pulled: 'draggan' is the official loop, step for step; 'robust' keeps each handle on
 * its content (plugin/drag/robustTracking.ts) and pulls lagging handles harder over discs that do not overlap
 * (plugin/drag/robustSupervision.ts), with no extra generator pass.
 */
export type DragMethod = ValueOf<Table['method']>;
export const DRAG_METHODS: readonly DragMethod[] = DRAG_SETTINGS.method.values;

/** The table as data, for the code that walks every setting (a setting added to the table is walked too). */
export function dragSettings(): [DragSettingName, DragSetting][] {
  return Object.entries(DRAG_SETTINGS) as [DragSettingName, DragSetting][];
}

/** How a message names a setting. */
export const settingWhat = (s: DragSetting): string => (s.kind === 'number' ? s.limit.what : s.what);
