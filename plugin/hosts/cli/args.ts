import { rangeText } from '../../core/limit';
import { LIMITS, limitProblem, type LimitName } from '../../core/limits';
import { UserFixableError } from '../../core/errors';

/** A command-line mistake: shown with the command's usage, exit code 2. */
export class UsageError extends UserFixableError {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `value` options take an argument (`--out x` or `--out=x`); `flag` options take none; `list` may repeat. */
export type OptionKind = 'value' | 'flag' | 'list';

export interface CommandSpec<O extends string> {
  readonly name: string;
  readonly options: Readonly<Record<O, OptionKind>>;
  /** Names of the positional arguments, all required, in order (shown in errors). */
  readonly positionals: readonly string[];
}

export interface ParsedArgs<O extends string> {
  readonly positionals: readonly string[];
  readonly values: Partial<Record<O, string>>;
  readonly flags: ReadonlySet<O>;
  /** Every value of each `list` option, in order. */
  readonly lists: Partial<Record<O, string[]>>;
}

/**
 * A deliberately small parser: long options only, each at most once, `--` ends the options. Every mistake is a
 * UsageError naming the option, so the user never sees a generic "invalid arguments".
 */
export function parseArgs<O extends string>(spec: CommandSpec<O>, argv: readonly string[]): ParsedArgs<O> {
  const kinds: Partial<Record<string, OptionKind>> = spec.options;
  const positionals: string[] = [];
  const values: Partial<Record<O, string>> = {};
  const flags = new Set<O>();
  const lists: Partial<Record<O, string[]>> = {};
  const seen = new Set<string>();
  const fail = (msg: string): never => {
    throw new UsageError(msg, spec.name);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) fail(`unknown option ${arg} (options are spelled with two dashes, e.g. --out)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = kinds[name];
    if (kind === undefined) {
      const known = Object.keys(kinds).map((k) => `--${k}`);
      fail(`unknown option --${name} for '${spec.name}'${known.length ? ` (options: ${known.join(', ')})` : ''}`);
    }
    if (seen.has(name) && kind !== 'list') fail(`--${name} is given more than once`);
    seen.add(name);
    const key = name as O;
    if (kind === 'flag') {
      if (eq >= 0) fail(`--${name} takes no value`);
      flags.add(key);
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      // a following long option means the value was forgotten (a single dash is fine: --psi -0.5)
      if (next === undefined || (next.startsWith('--') && next.length > 2)) fail(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (value === '') fail(`--${name} needs a value`);
    if (kind === 'list') (lists[key] ??= []).push(value);
    else values[key] = value;
  }
  const want = spec.positionals;
  if (positionals.length < want.length)
    fail(
      `missing ${want
        .slice(positionals.length)
        .map((p) => `<${p}>`)
        .join(' ')}`,
    );
  if (positionals.length > want.length) fail(`unexpected argument '${positionals[want.length]}'`);
  return { positionals, values, flags, lists };
}

/** An integer option in [min, max]. */
export function intOption(command: string, name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${text}'`, command);
  }
  return n;
}

/** A finite number option. */
export function numberOption(command: string, name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number, got '${text}'`, command);
  return n;
}

/** A numeric option bounded by the engine's table of limits (the same bounds the panel and the server use). */
export function limitOption(command: string, option: string, limit: LimitName, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || limitProblem(limit, n)) {
    const l = LIMITS[limit];
    throw new UsageError(`--${option} must be ${rangeText(l)}, got '${text}'${l.hint ? ` (${l.hint})` : ''}`, command);
  }
  return n;
}
