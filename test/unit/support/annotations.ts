// Inline expectations in fixture files.
//
// An annotation is a line holding only a `//` comment made of spaces, carets and a rule id:
//
//   if (!req.user) return res.status(401).json({ error: 'login required' });
//   //                               ^^^ missing-www-authenticate
//
// It refers to the closest line above it that is not itself an annotation, and its carets
// sit under the exact columns of the expected finding on that line. Several annotations may
// follow one code line. Columns and offsets are UTF-16 code units (JavaScript string indices).

export interface ExpectedFinding {
  ruleId: string;
  /** UTF-16 offsets [start, end) into the file text. */
  range: [number, number];
  /** 1-based line of the code line the carets point into. */
  line: number;
  /** 1-based column of the first caret. */
  column: number;
}

export class AnnotationError extends Error {}

const ANNOTATION = /^(\s*)\/\/( *)(\^+)[ \t]+(\S+)[ \t]*$/;

/** A line of the file, without its line break, and where it starts. */
export interface SourceLine {
  text: string;
  start: number;
}

export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const raw = text.slice(start, end);
    lines.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, start });
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}

export function isAnnotationLine(line: string): boolean {
  return ANNOTATION.test(line);
}

/**
 * Reads every annotation of `text`. With `knownIds`, an annotation naming another id is an
 * error (it catches typos that would otherwise silently expect nothing).
 */
export function parseAnnotations(text: string, knownIds?: readonly string[]): ExpectedFinding[] {
  const lines = splitLines(text);
  const out: ExpectedFinding[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line.text);
    if (!m) {
      target = i;
      return;
    }
    const ruleId = m[4];
    if (knownIds && !knownIds.includes(ruleId)) {
      throw new AnnotationError(`line ${i + 1}: unknown rule id "${ruleId}" in annotation`);
    }
    if (target < 0) throw new AnnotationError(`line ${i + 1}: annotation with no code line above it`);
    const col = m[1].length + 2 + m[2].length;
    const len = m[3].length;
    const code = lines[target];
    if (col + len > code.text.length) {
      throw new AnnotationError(
        `line ${i + 1}: carets (columns ${col + 1}-${col + len}) run past the end of line ${target + 1} (${code.text.length} columns)`,
      );
    }
    out.push({ ruleId, range: [code.start + col, code.start + col + len], line: target + 1, column: col + 1 });
  });
  return out;
}

/** 1-based line and column of a UTF-16 offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `3:34-3:37` for a range. */
export function formatRange(text: string, range: readonly [number, number]): string {
  const a = lineCol(text, range[0]);
  const b = lineCol(text, range[1]);
  return `${a.line}:${a.column}-${b.line}:${b.column}`;
}

export interface Located {
  ruleId: string;
  range: readonly [number, number];
}

const key = (f: Located): string => `${f.range[0]}:${f.range[1]}:${f.ruleId}`;

/**
 * Compares expected and actual findings as sets of (rule id, range). Returns '' when equal,
 * else a readable diff: each entry as `line:col-line:col rule-id | source line`.
 */
export function diffFindings(text: string, expected: readonly Located[], actual: readonly Located[]): string {
  const exp = new Map(expected.map((f) => [key(f), f]));
  const act = new Map(actual.map((f) => [key(f), f]));
  const missing = [...exp.values()].filter((f) => !act.has(key(f)));
  const extra = [...act.values()].filter((f) => !exp.has(key(f)));
  if (missing.length === 0 && extra.length === 0) return '';
  const lines = splitLines(text);
  const describe = (f: Located): string => {
    const at = lineCol(text, f.range[0]);
    const src = (lines[at.line - 1]?.text ?? '').trim();
    const snippet = text.slice(f.range[0], f.range[1]);
    return `  ${formatRange(text, f.range)} ${f.ruleId}  "${snippet}"  | ${src}`;
  };
  const order = (a: Located, b: Located): number => a.range[0] - b.range[0] || a.ruleId.localeCompare(b.ruleId);
  const parts: string[] = [];
  if (missing.length) parts.push('expected but not reported:', ...missing.sort(order).map(describe));
  if (extra.length) parts.push('reported but not expected:', ...extra.sort(order).map(describe));
  return parts.join('\n');
}
