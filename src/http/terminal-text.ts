// Text bound for a terminal, made inert: every character that is not printable is replaced by a
// visible escape. That covers C0/C1 controls (ESC sequences, OSC 8 links, BEL), DEL, format
// characters (bidi embeddings, overrides and isolates, LRM/RLM/ALM, zero-width characters, the
// BOM, soft hyphens), line and paragraph separators, lone surrogates and unassigned code points.
// Shared by `explain`/`send` text reports and `authlint lint` text output.

/**
 * One character class, matched one character at a time: linear in the text. Besides the
 * general categories, the characters that render as nothing: Hangul fillers, the combining
 * grapheme joiner, Khmer inherent vowels, Mongolian selectors, variation selectors 17-256.
 */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b-\u180f\u{e0100}-\u{e01ef}]/gu;
/** The same class as a source string, for callers that add alternatives to it. */
export const NOT_PRINTABLE_SOURCE = NOT_PRINTABLE.source;

/** The visible escape of one character: \x1b, \u200b, \u{e0041}. */
export function escapeChar(c: string): string {
  const code = c.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * `s` with every non-printable character escaped (`\x1b`, `\u202e`, `\u{e0001}`). With
 * `keepNewlines`, '\n' and '\t' stay and '\r' is dropped (multi-line text keeps its lines).
 */
export function escapeForTerminal(s: string, keepNewlines = false): string {
  return s.replace(NOT_PRINTABLE, (c) => {
    if (keepNewlines && (c === '\n' || c === '\t')) return c;
    if (keepNewlines && c === '\r') return '';
    return escapeChar(c);
  });
}
