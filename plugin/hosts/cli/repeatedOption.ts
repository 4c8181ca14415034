import { UsageError } from './args';

/**
 * Pulls every `--name X` / `--name=X` out of argv, for the options that may be given more than once
 * (`--model` of serve, `--endpoint` of load); parseArgs, which allows each option once, gets the rest.
 */
export function takeRepeated(
  argv: readonly string[],
  name: string,
  command: string,
): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2))
        throw new UsageError(`--${name} needs a value`, command);
      values.push(next);
      i++;
    } else if (arg.startsWith(`--${name}=`)) {
      const v = arg.slice(name.length + 3);
      if (v === '') throw new UsageError(`--${name} needs a value`, command);
      values.push(v);
    } else rest.push(arg);
  }
  return { values, rest };
}
