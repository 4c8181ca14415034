import { readFileSync } from 'fs';
import { UserFixableError } from '../../core/errors';
import { UsageError } from './args';

/** The environment variable every command that takes a token reads when no token option is given. */
export const TOKEN_ENV = 'DRAGGAN_TOKEN';

function checked(token: string, from: string): string {
  const t = token.trim();
  if (!t) throw new UserFixableError(`${from} is empty; a bearer token is one word`);
  if (/\s/.test(t)) throw new UserFixableError(`${from} contains white space; a bearer token is one word`);
  return t;
}

function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserFixableError(`cannot read the token file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return checked(text, `the token file ${path}`);
}

/**
 * The bearer token of serve, load and drag --backend remote: `--token-file F` (recommended: it stays out of
 * `ps`), else `--token T`, else the DRAGGAN_TOKEN environment variable; undefined when none is given.
 */
export function resolveToken(
  o: { token?: string; 'token-file'?: string },
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (o.token !== undefined && o['token-file'] !== undefined)
    throw new UsageError('give --token or --token-file, not both', command);
  if (o['token-file'] !== undefined) return readTokenFile(o['token-file']);
  if (o.token !== undefined) return checked(o.token, '--token');
  const fromEnv = env[TOKEN_ENV];
  return fromEnv === undefined ? undefined : checked(fromEnv, `the ${TOKEN_ENV} environment variable`);
}
