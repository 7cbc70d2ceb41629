/**
 * Program strings made safe to show, in the view and in the terminal: clipped (a 1 MB name must not reach
 * layout or scrollback), control and bidi-override characters made visible (they could hide or reorder text,
 * or, in a terminal, move the cursor, clear the screen or forge a hyperlink).
 */

/** Longest text a row (or a summary line) shows for one field; the view's tooltip shows a little more. */
export const MAX_ROW_TEXT = 300;

// C0/C1 controls, DEL, line/paragraph separators, bidi embeddings/overrides/isolates, zero-width marks.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/g;

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/** A control character as the escape a developer would type (`\n`, `\x1b`, `\u202e`): always visible, in any font. */
function visible(ch: string): string {
  const named = NAMED_ESCAPES[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A program string made safe and short for display. */
export function displayText(s: string, max = MAX_ROW_TEXT): string {
  const clipped = s.length > max ? s.slice(0, max) : s;
  const safe = clipped.replace(UNSAFE_CHARS, visible);
  return s.length > max ? `${safe}… (${Math.round(s.length).toLocaleString('en-US')} chars)` : safe;
}

