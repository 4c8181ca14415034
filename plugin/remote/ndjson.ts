/**
 * The lines of an NDJSON body as they arrive. Falls back to reading the whole body where a fetch has no streaming
 * body (some embedded runtimes): the events then come at once, which is late but still correct.
 */
export async function* ndjsonLines(res: Response): AsyncGenerator<string> {
  const body = res.body;
  if (!body || typeof body.getReader !== 'function') {
    for (const line of (await res.text()).split('\n')) if (line.trim()) yield line;
    return;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim()) yield line;
      }
    }
    buffered += decoder.decode();
    if (buffered.trim()) yield buffered;
  } finally {
    reader.releaseLock();
  }
}
