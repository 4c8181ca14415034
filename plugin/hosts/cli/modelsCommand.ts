import { existsSync, readdirSync, rmSync } from 'fs';
import { join } from 'path';
import { UserFixableError } from '../../core/errors';
import { CATALOG } from '../../model/catalog/catalogData';
import { downloadUrls, findEntry } from '../../model/catalog/catalogLookup';
import type { CatalogEntry } from '../../model/catalog/catalogTypes';
import { importability } from '../../model/catalog/importability';
import { installedDir, isInstalled, modelsRoot } from '../node/modelStore';
import { createProgress, type Progress } from '../node/progress';
import { pullModel } from '../node/pullModel';
import { intOption, parseArgs, UsageError, type CommandSpec } from './args';
import type { CliIo } from './cliIo';

const listSpec: CommandSpec<'json'> = { name: 'models', options: { json: 'flag' }, positionals: [] };
const infoSpec: CommandSpec<'json'> = { name: 'models', options: { json: 'flag' }, positionals: ['id'] };
const rmSpec: CommandSpec<never> = { name: 'models', options: {}, positionals: ['id'] };
type PullOption = 'url' | 'sha256' | 'bytes' | 'force' | 'retries' | 'json';
const pullSpec: CommandSpec<PullOption> = {
  name: 'models',
  options: { url: 'value', sha256: 'value', bytes: 'value', force: 'flag', retries: 'value', json: 'flag' },
  positionals: ['id'],
};

const yesNo = (b: boolean | null) => (b === null ? '?' : b ? 'yes' : 'no');
const size = (e: CatalogEntry) => (e.width === null || e.height === null ? '?' : `${e.width}x${e.height}`);

/** One entry as `--json` prints it: the catalog's facts plus what is true on this machine. */
function describeEntry(e: CatalogEntry, root: string) {
  const imp = importability(e);
  return {
    ...e,
    commercial: e.licence.commercial,
    importable: imp.ok,
    ...(imp.ok ? {} : { notImportable: { reason: imp.reason, instead: imp.instead } }),
    installed: isInstalled(e.id, root),
    dir: installedDir(e.id, root),
  };
}

function list(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(listSpec, argv);
  const root = modelsRoot();
  if (args.flags.has('json')) {
    io.stdout.write(
      `${JSON.stringify({ command: 'models', root, models: CATALOG.map((e) => describeEntry(e, root)) })}\n`,
    );
    return 0;
  }
  const rows = CATALOG.map((e) => [
    e.id,
    size(e),
    e.licence.name,
    yesNo(e.licence.commercial),
    yesNo(importability(e).ok),
    yesNo(isInstalled(e.id, root)),
    e.title,
  ]);
  const head = ['ID', 'SIZE', 'LICENCE', 'COMMERCIAL', 'IMPORTS', 'INSTALLED', 'TITLE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  io.stdout.write(`${[head, ...rows].map(line).join('\n')}\n\n`);
  io.stdout.write(
    `models folder: ${root} (set DRAGGAN_MODELS to change it)\n` +
      `'draggan models info ID' shows a model's sources, licence terms and why it does not import; 'draggan models pull ID' installs one.\n`,
  );
  return 0;
}

function info(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(infoSpec, argv);
  const root = modelsRoot();
  const e = findEntry(args.positionals[0]);
  const d = describeEntry(e, root);
  if (args.flags.has('json')) {
    io.stdout.write(`${JSON.stringify({ command: 'models info', ...d })}\n`);
    return 0;
  }
  const imp = importability(e);
  const lines = [
    `${e.id}: ${e.title}`,
    `  draws:       ${e.domain}`,
    `  size:        ${size(e)}${e.content ? ` (picture ${e.content.width}x${e.content.height} inside)` : ''}`,
    `  licence:     ${e.licence.name} (${e.licence.url}); commercial use: ${yesNo(e.licence.commercial)}${e.licence.note ? `; ${e.licence.note}` : ''}`,
    `  alignment:   ${e.alignment === 'ffhq' ? 'FFHQ face alignment (photos are aligned before inversion)' : 'none'}`,
    `  format:      ${e.format}`,
    `  imports:     ${imp.ok ? 'yes' : `no: ${imp.reason}. Instead: ${imp.instead}`}`,
    `  download:    ${e.urls.join(' ')}${e.download === 'browser' ? ' (in a browser)' : ''}`,
    `  bytes:       ${e.bytes ?? 'not published'}; sha256: ${e.sha256 ?? 'not published'}`,
    `  unverified:  ${e.unverified.length ? e.unverified.join(', ') : 'nothing'}`,
    `  sources:     ${e.sources.join('\n               ')}`,
    `  installed:   ${d.installed ? d.dir : 'no'}`,
  ];
  if (e.note) lines.push(`  note:        ${e.note}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Download progress in megabytes, made once the size is known (the first answer says it). */
function downloadBar(io: CliIo, id: string) {
  const mb = (n: number) => Math.round(n / 1e5) / 10;
  let bar: Progress | undefined;
  let totalBytes: number | null = null;
  return {
    update(done: number, t: number | null) {
      // a resumed attempt learns the size anew (and a server may change it): a new bar then
      if (!bar || t !== totalBytes) {
        totalBytes = t;
        bar = createProgress(io.stderr, `pull ${id}`, mb(t ?? 0));
      }
      bar.update(mb(done), 'MB');
    },
    note(text: string) {
      io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}pull ${id}: ${text}\n`);
    },
    finish(note: string) {
      bar?.finish(note);
    },
  };
}

async function pull(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(pullSpec, argv);
  const v = args.values;
  const e = findEntry(args.positionals[0]);
  if (v.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(v.sha256))
    throw new UsageError(`--sha256 must be 64 hex digits, got '${v.sha256}'`, 'models');
  const bytes = v.bytes === undefined ? e.bytes : intOption('models', 'bytes', v.bytes, 1, Number.MAX_SAFE_INTEGER);
  const retries = v.retries === undefined ? 5 : intOption('models', 'retries', v.retries, 0, 100);
  const base = process.env.DRAGGAN_CATALOG_BASE;
  const urls = downloadUrls(e, { url: v.url, base: base === '' ? undefined : base });
  const delayEnv = Number(process.env.DRAGGAN_RETRY_DELAY_MS);
  const baseDelay = Number.isFinite(delayEnv) && delayEnv >= 0 ? delayEnv : 1000;
  const root = modelsRoot();
  const bar = downloadBar(io, e.id);
  const stop = new AbortController();
  // Ctrl-C keeps the partial download, so the same command resumes it
  const onSigint = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let result;
  try {
    result = await pullModel({
      entry: e,
      urls,
      root,
      expectedBytes: bytes,
      expectedSha256: v.sha256 ?? e.sha256,
      force: args.flags.has('force'),
      retries,
      retryDelayMs: (n) => baseDelay * 2 ** (n - 1),
      onProgress: (done, total) => bar.update(done, total),
      onNote: (text) => bar.note(text),
      onImport: () => bar.finish('downloaded, importing'),
      signal: stop.signal,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const summary = {
    command: 'models pull',
    id: e.id,
    dir: result.dir,
    url: result.url,
    bytes: result.bytes,
    sha256: result.sha256,
    resumed: result.resumedAttempts,
    licence: e.licence,
  };
  if (args.flags.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout.write(
      `installed ${e.id} in ${result.dir} (${(result.bytes / 1e6).toFixed(1)} MB downloaded, sha256 ${result.sha256})\n` +
        `licence: ${e.licence.name}; commercial use: ${yesNo(e.licence.commercial)}${e.licence.note ? ` (${e.licence.note})` : ''}\n` +
        `use it with --model ${e.id}\n`,
    );
  }
  return 0;
}

function remove(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(rmSpec, argv);
  // only catalog ids: the id becomes a path, so nothing else may reach rm
  const e = findEntry(args.positionals[0]);
  const root = modelsRoot();
  const dir = installedDir(e.id, root);
  const downloads = join(root, '.downloads');
  const partials = existsSync(downloads) ? readdirSync(downloads).filter((f) => f.startsWith(`${e.id}--`)) : [];
  if (!existsSync(dir) && partials.length === 0) throw new UserFixableError(`${e.id} is not installed (in ${root})`);
  rmSync(dir, { recursive: true, force: true });
  for (const f of partials) rmSync(join(downloads, f), { force: true });
  io.stdout.write(`removed ${e.id} (${dir}${partials.length ? ' and its partial download' : ''})\n`);
  return 0;
}

/** `draggan models [list | info ID | pull ID | rm ID]`: the model catalog and the user's installed models. */
export async function modelsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'list' || sub.startsWith('--')) return list(sub === 'list' ? rest : argv, io);
  if (sub === 'info') return info(rest, io);
  if (sub === 'pull') return pull(rest, io);
  if (sub === 'rm') return remove(rest, io);
  throw new UsageError(`unknown subcommand '${sub}' (list, info, pull or rm)`, 'models');
}
