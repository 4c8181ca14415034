/** Where progress goes: a Node stream, or anything with the same few members (tests). */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Progress {
  /** `done` out of the total; `note` says what is happening now. */
  update(done: number, note?: string): void;
  /** Completes the bar (or prints the last line) with an optional closing note. */
  finish(note?: string): void;
}

const REDRAW_MS = 100;

/**
 * A progress bar on a terminal; on anything else (a pipe, a CI log) plain lines, only when the note changes or
 * another tenth is done, so logs stay short and free of control characters.
 */
export function createProgress(
  stream: TextStream,
  label: string,
  total: number,
  now: () => number = Date.now,
): Progress {
  const tty = stream.isTTY === true;
  let lastDraw = -Infinity;
  let lastNote: string | undefined;
  let lastTenth = -1;
  let finished = false;

  const fraction = (done: number) => (total > 0 ? Math.min(1, Math.max(0, done / total)) : 1);

  const draw = (done: number, note: string) => {
    // some terminals (and `script`) report 0 columns: assume 80 then
    const columns = stream.columns || 80;
    const f = fraction(done);
    const pct = `${Math.round(f * 100)}`.padStart(3);
    const tail = ` ${pct}% ${done}/${total}${note ? ` ${note}` : ''}`;
    const width = Math.max(10, Math.min(40, columns - label.length - tail.length - 4));
    const filled = Math.round(f * width);
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`;
    // \x1b[K clears what a longer previous line left behind
    stream.write(`\r${line.slice(0, columns - 1)}\x1b[K`);
  };

  return {
    update(done, note = '') {
      if (finished) return;
      if (tty) {
        const t = now();
        if (t - lastDraw >= REDRAW_MS || note !== lastNote) {
          lastDraw = t;
          lastNote = note;
          draw(done, note);
        }
        return;
      }
      const tenth = Math.floor(fraction(done) * 10);
      if (note !== lastNote || tenth > lastTenth) {
        lastNote = note;
        lastTenth = tenth;
        stream.write(`${label}: ${done}/${total}${note ? ` ${note}` : ''}\n`);
      }
    },
    finish(note = 'done') {
      if (finished) return;
      finished = true;
      if (tty) {
        draw(total, note);
        stream.write('\n');
      } else {
        stream.write(`${label}: ${note}\n`);
      }
    },
  };
}
