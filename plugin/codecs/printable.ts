/**
 * Text that came from a file (a name in a checkpoint, a key in model.json), made safe to show on a terminal:
 * control characters (escape sequences, carriage returns, C1 codes such as CSI) and bidirectional overrides are
 * written as \x.. / \u.... escapes, and an over-long string is cut, so a file can neither repaint the screen nor
 * flood it.
 */

// C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates, BOM
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export const PRINTABLE_MAX = 120;

export function printable(text: string, max = PRINTABLE_MAX): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return escapeControls(cut);
}

/** Escapes the unsafe characters only (no cut): for whole messages, whose own newlines and tabs are kept. */
export function escapeControls(text: string, keep: readonly string[] = []): string {
  return text.replace(UNSAFE, (c) => {
    if (keep.includes(c)) return c;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
