import {
  DRAG_METHODS,
  DRAG_SETTINGS,
  dragSettings,
  type DragHyperParameters,
  type DragMethod,
  type DragSetting,
  type DragSettingName,
} from '../../core/dragSettings';
import { rangeText } from '../../core/limit';
import { settingProblem } from '../../core/settingProblem';
import { UsageError } from './args';

/** --method: one method (drag), or a comma-separated list to compare on the same pairs (eval). */
export function methodsFromArgs(command: string, text: string | undefined, several: boolean): DragMethod[] {
  if (text === undefined) return ['draggan'];
  const names = text.split(',').map((m) => m.trim());
  const bad = names.find((m) => !DRAG_METHODS.includes(m as DragMethod));
  if (bad !== undefined)
    throw new UsageError(
      `--method must be ${DRAG_METHODS.join(' or ')}${several ? ' (or several, comma-separated)' : ''}, got '${bad}'`,
      command,
    );
  if (!several && names.length > 1) throw new UsageError('--method takes one method here', command);
  if (new Set(names).size !== names.length) throw new UsageError(`--method names a method twice: '${text}'`, command);
  return names as DragMethod[];
}

/** The options of the drag settings (read from the table). */
export type HyperParameterOption = {
  [K in DragSettingName]: (typeof DRAG_SETTINGS)[K] extends { cli: { flag: infer F extends string } } ? F : never;
}[DragSettingName];

/** The drag settings the command line sets (every table entry with a `cli` option), by option name. */
function cliSettings(): { name: DragSettingName; flag: string; arg: string; setting: DragSetting }[] {
  return dragSettings().flatMap(([name, s]) => (s.cli ? [{ name, flag: s.cli.flag, arg: s.cli.arg, setting: s }] : []));
}

/** What an option takes, as a usage error says it: "a number from 1 to 512 (hint)", "w+ or w". */
function expected(s: DragSetting): string {
  return s.kind === 'choice' ? s.values.join(' or ') : rangeText(s.limit);
}

/** The options that set drag settings, shared by `drag`, `photo` and `eval` (read from the table of drag settings). */
export function hyperParameterOptions(): Record<HyperParameterOption, 'value'> {
  return Object.fromEntries(cliSettings().map((s) => [s.flag, 'value' as const])) as Record<
    HyperParameterOption,
    'value'
  >;
}

/** --help's synopsis of the drag settings: "[--lr LR] [--steps N] ...". */
export function hyperParameterSynopsis(except: readonly string[] = []): string {
  return cliSettings()
    .filter((s) => !except.includes(s.flag))
    .map((s) => `[--${s.flag} ${s.arg}]`)
    .join(' ');
}

const HELP_INDENT = 22;
const HELP_WIDTH = 118;

/** Words on lines of at most HELP_WIDTH columns, each line after the first indented to the help column. */
function wrapHelp(text: string): string {
  const lines: string[] = [''];
  for (const word of text.split(' ')) {
    const line = lines[lines.length - 1];
    if (line !== '' && HELP_INDENT + line.length + 1 + word.length > HELP_WIDTH) lines.push(word);
    else lines[lines.length - 1] = line === '' ? word : `${line} ${word}`;
  }
  return lines.join(`\n${' '.repeat(HELP_INDENT)}`);
}

/** --help's lines for the drag settings, in the usage's two columns. */
export function hyperParameterHelp(except: readonly string[] = []): string {
  return cliSettings()
    .filter((s) => !except.includes(s.flag))
    .map((s) => {
      const left = `  --${s.flag} ${s.arg}`;
      return `${left.length < HELP_INDENT ? left.padEnd(HELP_INDENT) : `${left}\n${' '.repeat(HELP_INDENT)}`}${wrapHelp(s.setting.help)}`;
    })
    .join('\n');
}

/**
 * The drag settings the user gave, each checked here against the table, before any model loads (the model's own
 * bounds follow when the edit opens on the model's defaults). `except`: options the command reads itself (eval's
 * --method list).
 */
export function hyperParametersFromArgs(
  command: string,
  v: Partial<Record<HyperParameterOption, string>>,
  except: readonly HyperParameterOption[] = [],
): Partial<DragHyperParameters> {
  const given: Record<string, number | string> = {};
  for (const s of cliSettings()) {
    const text = v[s.flag as HyperParameterOption];
    if (text === undefined || except.includes(s.flag as HyperParameterOption)) continue;
    const value = s.setting.kind === 'choice' ? text : text.trim() === '' ? NaN : Number(text);
    if (settingProblem(s.name, value)) {
      const hint = s.setting.kind === 'number' && s.setting.limit.hint ? ` (${s.setting.limit.hint})` : '';
      throw new UsageError(`--${s.flag} must be ${expected(s.setting)}, got '${text}'${hint}`, command);
    }
    given[s.name] = value;
  }
  return given as Partial<DragHyperParameters>;
}
