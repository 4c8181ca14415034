/**
 * Checks the catalog's entries are well-formed: what `draggan models` and the download rely on (unique ids usable
 * as folder names, https URLs, a named licence with its commercial verdict) and the catalog's own rule that an
 * unknown fact is null *and* said to be unverified. Returns every problem, so a test failure lists them all.
 */
import type { CatalogEntry, CheckpointFormat, UnverifiedFact } from './catalogTypes';

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const HTTPS = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/\S*$/;
const SHA256 = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.pkl$/;
const FORMATS: readonly CheckpointFormat[] = [
  'stylegan2-pytorch',
  'stylegan3-pytorch',
  'stylegan2-tf',
  'stylegan1-tf',
  'unknown',
];
const FACTS: readonly UnverifiedFact[] = [
  'bytes',
  'sha256',
  'resolution',
  'format',
  'licence',
  'alignment',
  'conditional',
];

const isSide = (n: number | null) => n !== null && Number.isSafeInteger(n) && n >= 1 && n <= 16384;

function entryProblems(e: CatalogEntry): string[] {
  const p: string[] = [];
  const unverified = new Set(e.unverified);
  // an unknown fact must be admitted: null without 'unverified' would read as "checked and absent"
  const admit = (fact: UnverifiedFact, isNull: boolean) => {
    if (isNull && !unverified.has(fact)) p.push(`${fact} is null but not listed as unverified`);
  };
  if (!ID.test(e.id)) p.push(`id must be lower-case letters, digits and dashes (at most 64), got '${e.id}'`);
  if (e.title.trim() === '') p.push('title is empty');
  if (e.domain.trim() === '') p.push('domain is empty');
  if (e.set.trim() === '') p.push('set is empty');
  if (e.width === null || e.height === null) {
    if (e.width !== e.height) p.push('width and height must both be known or both null');
    admit('resolution', true);
  } else if (!isSide(e.width) || !isSide(e.height))
    p.push(`width x height must be whole numbers of pixels, got ${e.width} x ${e.height}`);
  if (e.content && e.width !== null && e.height !== null && (e.content.width > e.width || e.content.height > e.height))
    p.push('content is larger than the output');
  if (e.urls.length === 0) p.push('no download URL');
  for (const u of e.urls) if (!HTTPS.test(u)) p.push(`URL is not https: ${u}`);
  if (e.download !== 'direct' && e.download !== 'browser')
    p.push(`download must be direct or browser, got '${String(e.download)}'`);
  if (!FILE_NAME.test(e.fileName)) p.push(`fileName must be a plain .pkl file name, got '${e.fileName}'`);
  if (e.bytes !== null && !(Number.isSafeInteger(e.bytes) && e.bytes > 0))
    p.push(`bytes must be a positive whole number, got ${e.bytes}`);
  admit('bytes', e.bytes === null);
  if (e.sha256 !== null && !SHA256.test(e.sha256)) p.push(`sha256 must be 64 lower-case hex digits, got '${e.sha256}'`);
  admit('sha256', e.sha256 === null);
  if (e.licence.name.trim() === '') p.push('licence has no name');
  if (!HTTPS.test(e.licence.url)) p.push(`licence URL is not https: ${e.licence.url}`);
  if (typeof e.licence.commercial !== 'boolean') p.push('licence.commercial must be true or false');
  if (e.alignment !== 'ffhq' && e.alignment !== 'none')
    p.push(`alignment must be ffhq or none, got '${String(e.alignment)}'`);
  if (!FORMATS.includes(e.format)) p.push(`format '${String(e.format)}' is not one of ${FORMATS.join(', ')}`);
  if (e.format === 'unknown' && !unverified.has('format')) p.push('format is unknown but not listed as unverified');
  admit('conditional', e.conditional === null);
  if (e.sources.length === 0) p.push('no source cited');
  for (const s of e.sources) if (!HTTPS.test(s)) p.push(`source is not an https URL: ${s}`);
  for (const f of e.unverified) if (!FACTS.includes(f)) p.push(`unverified names an unknown fact '${String(f)}'`);
  if (new Set(e.unverified).size !== e.unverified.length) p.push('unverified lists a fact twice');
  return p;
}

/** Every problem of every entry, as "id: problem" lines; empty when the catalog is well-formed. */
export function validateCatalog(entries: readonly CatalogEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const files = new Map<string, string>();
  for (const e of entries) {
    if (seen.has(e.id)) problems.push(`${e.id}: id is used twice`);
    seen.add(e.id);
    // the same file listed twice under two ids would be two installs of one model
    for (const u of e.urls) {
      const other = files.get(u);
      if (other !== undefined) problems.push(`${e.id}: URL ${u} is also ${other}'s`);
      files.set(u, e.id);
    }
    for (const p of entryProblems(e)) problems.push(`${e.id}: ${p}`);
  }
  return problems;
}
