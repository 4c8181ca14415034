/** HTTP range answers as every host's downloader reads them. */

/** Content-Range `bytes 100-199/1000` gives {start: 100, total: 1000}; `bytes *\/1000` (a 416) gives {start: null, total: 1000}. */
export function parseContentRange(header: string | null): { start: number | null; total: number | null } | null {
  const m = header === null ? null : /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(header.trim());
  if (!m) return null;
  return { start: m[1] === undefined ? null : Number(m[1]), total: m[2] === '*' ? null : Number(m[2]) };
}

/** The HTTP statuses worth retrying: the server is overloaded or briefly broken. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** The hint a 404 or 410 deserves: the file is gone from where the catalog says. */
export function missingFileHint(status: number, instead: string): string {
  return status === 404 || status === 410 ? ` (the file is not there: the URL may be out of date; ${instead})` : '';
}
