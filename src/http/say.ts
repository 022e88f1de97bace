// Sentences that quote values: `say` is a template tag that builds the string as usual and
// remembers where each interpolated value sits, so redaction can search those values for
// secrets and leave our own words alone (a password "account" must not turn "the account is
// locked" into "the … is locked"). A value that is itself a said sentence keeps its own spans.
// Numbers are ours (status codes, counts, sizes); strings are values.

export type Span = [number, number];

const MAX_REMEMBERED = 2000;
const spans = new Map<string, Span[]>();

/** Where the quoted values of a sentence built with say are; undefined when it was not. */
export function textSpans(text: string): Span[] | undefined {
  return spans.get(text);
}

export function say(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  const found: Span[] = [];
  values.forEach((v, i) => {
    const s = String(v);
    const inner = typeof v === 'string' ? spans.get(s) : undefined;
    if (inner) for (const [a, b] of inner) found.push([out.length + a, out.length + b]);
    else if (typeof v !== 'number' && s !== '') found.push([out.length, out.length + s.length]);
    out += s + (strings[i + 1] ?? '');
  });
  remember(out, found);
  return out;
}

/** Joins sentences (or values) as say would interpolate them. */
export function joinSaid(parts: string[], sep: string): string {
  const strings = Object.assign(['', ...parts.slice(1).map(() => sep), ''].slice(0, parts.length + 1), { raw: [] as string[] }) as unknown as TemplateStringsArray;
  return parts.length === 0 ? say`` : say(strings, ...parts);
}

function remember(text: string, found: Span[]): void {
  if (spans.size >= MAX_REMEMBERED) {
    // Oldest first: a sentence is read back right after it is built.
    const first = spans.keys().next().value;
    if (first !== undefined) spans.delete(first);
  }
  const prev = spans.get(text);
  // The same text said twice with different values: keep the union (more is hidden, never less).
  spans.set(text, prev ? mergeSpans([...prev, ...found]) : found);
}

function mergeSpans(list: Span[]): Span[] {
  const sorted = [...list].sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/** Declares a whole text ours (no quoted values): a fixed title or sentence. */
export function ours(text: string): string {
  remember(text, []);
  return text;
}

/**
 * A sentence of ours built elsewhere (a parser's message) that quotes its values in double
 * quotes: each quoted part is a value span, the rest is ours.
 */
export function quoting(text: string): string {
  const found: Span[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (open < 0) open = i + 1;
    else {
      if (i > open) found.push([open, i]);
      open = -1;
    }
  }
  if (open >= 0 && open < text.length) found.push([open, text.length]);
  remember(text, found);
  return text;
}
