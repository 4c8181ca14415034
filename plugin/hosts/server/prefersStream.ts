/** The q-value an Accept header gives a media type: its own entry, else `type/*`, else `*\/*`; 0 when absent. */
function qualityOf(entries: { type: string; q: number }[], mediaType: string): number {
  const family = `${mediaType.split('/')[0]}/*`;
  for (const want of [mediaType, family, '*/*']) {
    const e = entries.find((x) => x.type === want);
    if (e) return e.q;
  }
  return 0;
}

/**
 * Whether a request's Accept header prefers an event stream (NDJSON or server-sent events) to one JSON answer.
 * A tie goes to JSON: clients from before /v1/invert streamed send "application/json, application/x-ndjson" and
 * must keep getting the JSON they parse; a missing header (curl, old scripts) is JSON too.
 */
export function prefersStream(accept: string | undefined): boolean {
  if (!accept) return false;
  const entries = accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const v = q === undefined ? 1 : Number(q.slice(2));
    return { type, q: Number.isFinite(v) ? v : 0 };
  });
  const stream = Math.max(qualityOf(entries, 'application/x-ndjson'), qualityOf(entries, 'text/event-stream'));
  return stream > 0 && stream > qualityOf(entries, 'application/json');
}
