// Hand-written scanners for the few text searches the linter makes over source text (or values
// taken from it) whose regular-expression form backtracks: each runs in time linear in its input.
// docs/security.md lists every regular expression of the linter and why it is linear.

/** What JavaScript's `\s` matches. */
export function isJsSpace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** `[A-Za-z0-9_-]` */
function isNameChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

/** `[\w$]` */
function isIdentChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24;
}

/**
 * `name = ` ending exactly at `end` (what `/([A-Za-z0-9_-]+)\s*=\s*$/` finds in `text.slice(0, end)`),
 * scanning backwards from `end` only as far as the match reaches.
 */
export function paramBefore(text: string, end: number): { name: string; start: number } | undefined {
  let i = Math.min(end, text.length);
  while (i > 0 && isJsSpace(text.charCodeAt(i - 1))) i--;
  if (i === 0 || text.charCodeAt(i - 1) !== 0x3d) return undefined;
  i--;
  while (i > 0 && isJsSpace(text.charCodeAt(i - 1))) i--;
  const nameEnd = i;
  while (i > 0 && isNameChar(text.charCodeAt(i - 1))) i--;
  if (i === nameEnd) return undefined;
  return { name: text.slice(i, nameEnd), start: i };
}

/**
 * Every identifier written as `name +=` somewhere in `text` (what `(^|[^\w$])name\s*\+=` finds),
 * in one pass instead of one search of the whole text per name. For a name mixing non-ASCII and
 * ASCII letters, the whole name and its ASCII tail after the last non-ASCII letter are kept.
 */
export function compoundAssignedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (let at = text.indexOf('+='); at >= 0; at = text.indexOf('+=', at + 2)) {
    let i = at;
    while (i > 0 && isJsSpace(text.charCodeAt(i - 1))) i--;
    const e = i;
    let ascii = i; // start of the ASCII-only tail: non-ASCII letters end a match of [^\w$] too
    while (i > 0 && (isIdentChar(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) >= 0x80)) {
      i--;
      if (text.charCodeAt(i) >= 0x80 && ascii === e) ascii = i + 1;
    }
    if (ascii === e) ascii = i;
    if (i < e) out.add(text.slice(i, e));
    if (ascii > i && ascii < e) out.add(text.slice(ascii, e));
  }
  return out;
}

/**
 * The first `<name>="..."` in `value` and its content, as `/<name>="([^"]*)"/` would capture it
 * (name matched as is, case-sensitively).
 */
export function quotedParam(value: string, name: string): string | undefined {
  const at = value.indexOf(`${name}="`);
  if (at < 0) return undefined;
  const s = at + name.length + 2;
  const e = value.indexOf('"', s);
  return e < 0 ? undefined : value.slice(s, e);
}

function asciiLower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

/**
 * Where the value of the first `<name> = ` (ASCII case-insensitive, spaces around '=') starts in
 * `value` from `from` on: what `/<name>\s*=\s*​/i` finds, as the index just after the match.
 * `name` is lower-case ASCII letters.
 */
export function afterParamEquals(value: string, name: string, from = 0): number | undefined {
  const n = value.length;
  const first = name.charCodeAt(0);
  let i = from;
  while (i + name.length <= n) {
    if (asciiLower(value.charCodeAt(i)) !== first) {
      i++;
      continue;
    }
    let k = 1;
    while (k < name.length && asciiLower(value.charCodeAt(i + k)) === name.charCodeAt(k)) k++;
    if (k < name.length) {
      i++;
      continue;
    }
    let j = i + name.length;
    while (j < n && isJsSpace(value.charCodeAt(j))) j++;
    if (j < n && value.charCodeAt(j) === 0x3d) {
      j++;
      while (j < n && isJsSpace(value.charCodeAt(j))) j++;
      return j;
    }
    // a name starts with a letter, so no match starts inside the spaces just scanned
    i = j > i + name.length ? j : i + 1;
  }
  return undefined;
}

/**
 * `src` without its `error=` / `error_description=` parameters (and the comma and spaces before
 * each): the result of `src.replace(/\s*,?\s*error(_description)?\s*=\s*(\\?"[^"\\]*\\?"|[^,\s'"`]+)/g, '')`,
 * computed in one pass.
 */
export function dropErrorParams(src: string): string {
  const n = src.length;
  let out = '';
  let copied = 0; // src[0, copied) is decided
  for (let k = src.indexOf('error', 0); k >= 0; k = src.indexOf('error', k + 1)) {
    if (k < copied) continue;
    const end = errorParamEnd(src, k);
    if (end === undefined) continue;
    // the leftmost start: spaces, an optional comma, spaces, never before what is already decided
    let p = k;
    while (p > copied && isJsSpace(src.charCodeAt(p - 1))) p--;
    if (p > copied && src.charCodeAt(p - 1) === 0x2c) {
      p--;
      while (p > copied && isJsSpace(src.charCodeAt(p - 1))) p--;
    }
    out += src.slice(copied, p);
    copied = end;
    k = end - 1;
  }
  return copied === 0 ? src : out + src.slice(copied, n);
}

/** End of `error(_description)?\s*=\s*(\\?"[^"\\]*\\?"|[^,\s'"`]+)` matched at k, if it matches. */
function errorParamEnd(src: string, k: number): number | undefined {
  const n = src.length;
  let i = k + 5;
  if (src.startsWith('_description', i)) {
    const e = valueAfterEquals(src, i + 12);
    if (e !== undefined) return e;
  }
  return valueAfterEquals(src, i);
  function valueAfterEquals(s: string, from: number): number | undefined {
    i = from;
    while (i < n && isJsSpace(s.charCodeAt(i))) i++;
    if (i >= n || s.charCodeAt(i) !== 0x3d) return undefined;
    i++;
    while (i < n && isJsSpace(s.charCodeAt(i))) i++;
    const v = i;
    // \\?"[^"\\]*\\?"
    let q = v;
    if (q < n && s.charCodeAt(q) === 0x5c) q++;
    if (q < n && s.charCodeAt(q) === 0x22) {
      q++;
      while (q < n && s.charCodeAt(q) !== 0x22 && s.charCodeAt(q) !== 0x5c) q++;
      if (q < n && s.charCodeAt(q) === 0x5c) q++;
      if (q < n && s.charCodeAt(q) === 0x22) return q + 1;
    }
    // [^,\s'"`]+
    q = v;
    while (q < n) {
      const c = s.charCodeAt(q);
      if (c === 0x2c || c === 0x27 || c === 0x22 || c === 0x60 || isJsSpace(c)) break;
      q++;
    }
    return q > v ? q : undefined;
  }
}

/**
 * The first `import { ... } from '@nestjs/common'` (spaces allowed where the regular expression
 * `/import\s*\{([^}]*)\}\s*from\s*['"]@nestjs\/common['"]/` allows them): its start, the
 * specifier list and the index of its '}'.
 */
export function nestCommonImport(text: string): { index: number; specifiers: string; close: number } | undefined {
  let knownClose = -1; // the first '}' after every candidate brace before it, already found not to lead to a match
  for (let at = text.indexOf('import'); at >= 0; at = text.indexOf('import', at + 1)) {
    let i = at + 6;
    while (i < text.length && isJsSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x7b) continue;
    if (i < knownClose) continue; // same closing brace, same failing tail
    const close = text.indexOf('}', i + 1);
    if (close < 0) return undefined;
    let j = close + 1;
    while (j < text.length && isJsSpace(text.charCodeAt(j))) j++;
    if (text.startsWith('from', j)) {
      j += 4;
      while (j < text.length && isJsSpace(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      const q2 = text.charCodeAt(j + 15);
      if ((q === 0x27 || q === 0x22) && text.startsWith('@nestjs/common', j + 1) && (q2 === 0x27 || q2 === 0x22)) {
        return { index: at, specifiers: text.slice(i + 1, close), close };
      }
    }
    knownClose = close;
  }
  return undefined;
}

/** The text of a `-- reason` tail removed: what `s.replace(/--.*$/, '')` does (the first `--` on the last line). */
export function dropReason(s: string): string {
  let lastBreak = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
      lastBreak = i;
      break;
    }
  }
  const d = s.indexOf('--', lastBreak + 1);
  return d < 0 ? s : s.slice(0, d);
}
