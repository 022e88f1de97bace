// A .gitignore matcher that follows git's own rules (gitignore(5), git's dir.c and wildmatch.c)
// without regular expressions: patterns are parsed once into segments of glob tokens and matched
// by a greedy last-star matcher, so one path against one pattern costs at most
// O(path length × pattern length), whatever the pattern (no catastrophic backtracking).
//
// Rules kept from git:
// - blank lines and lines starting with '#' are skipped; '\#' and '\!' start a literal '#' or '!';
//   a UTF-8 BOM at the start of the file is skipped; a '\r' before '\n' is dropped; trailing
//   spaces are dropped unless escaped with '\'.
// - '!' negates; a trailing '/' matches folders only; a pattern with no other '/' matches the
//   name at any depth below its file's folder, one with a '/' (leading or inside) matches the path
//   relative to that folder.
// - '*' and '?' never match '/', '[...]' (with '!' or '^' to negate, ranges and [:class:]) neither;
//   '**' between slashes matches any number of folders ('a/**' at least one), elsewhere it is '*'.
// - within a file the last matching pattern decides; a deeper .gitignore is asked before the
//   ones above it; a file inside an ignored folder stays ignored (the walk never enters it).

type Token = { t: 'lit'; c: number } | { t: 'any' } | { t: 'star' } | { t: 'class'; negated: boolean; test: (c: number) => boolean } | { t: 'never' };
type Segment = Token[] | 'globstar';

export interface IgnorePattern {
  negated: boolean;
  dirOnly: boolean;
  /** Matches the base name at any depth (no '/' in the pattern). */
  basename: boolean;
  segments: Segment[];
  source: string;
}

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isDigit(c) || isAlpha(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isDigit(c) && !isAlpha(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Parses one segment (no '/') of a pattern into tokens; consecutive stars become one. */
function tokens(seg: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < seg.length) {
    const c = seg.charCodeAt(i);
    if (c === 0x2a) {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
      i++;
    } else if (c === 0x3f) {
      out.push({ t: 'any' });
      i++;
    } else if (c === 0x5b) {
      const parsed = bracket(seg, i + 1);
      out.push(parsed.token);
      i = parsed.next;
    } else if (c === 0x5c) {
      // a trailing backslash escapes nothing: git's wildmatch then never matches
      if (i + 1 >= seg.length) out.push({ t: 'never' });
      else out.push({ t: 'lit', c: seg.charCodeAt(i + 1) });
      i += 2;
    } else {
      out.push({ t: 'lit', c });
      i++;
    }
  }
  return out;
}

/** A bracket expression starting after '[' at i: its token and the index after ']'. */
function bracket(s: string, i: number): { token: Token; next: number } {
  let negated = false;
  if (s[i] === '!' || s[i] === '^') {
    negated = true;
    i++;
  }
  const singles = new Set<number>();
  const ranges: Array<[number, number]> = [];
  const classes: Array<(c: number) => boolean> = [];
  let first = true;
  let prev = -1;
  while (i < s.length) {
    let c = s.charCodeAt(i);
    if (c === 0x5d && !first) {
      const token: Token = {
        t: 'class',
        negated,
        test: (x) => singles.has(x) || ranges.some(([a, b]) => x >= a && x <= b) || classes.some((f) => f(x)),
      };
      return { token, next: i + 1 };
    }
    first = false;
    if (c === 0x5c) {
      i++;
      if (i >= s.length) break;
      c = s.charCodeAt(i);
      singles.add(c);
      prev = c;
      i++;
    } else if (c === 0x2d && prev >= 0 && i + 1 < s.length && s.charCodeAt(i + 1) !== 0x5d) {
      let hi = s.charCodeAt(i + 1);
      i += 2;
      if (hi === 0x5c) {
        if (i >= s.length) break;
        hi = s.charCodeAt(i);
        i++;
      }
      if (hi >= prev) ranges.push([prev, hi]);
      prev = -1;
    } else if (c === 0x5b && s[i + 1] === ':') {
      // like git: up to the next ']'; '[' stays a plain member when no ':' comes just before it
      const end = s.indexOf(']', i + 2);
      if (end < 0) break;
      if (end - 1 < i + 2 || s[end - 1] !== ':') {
        singles.add(c);
        prev = c;
        i++;
        continue;
      }
      const f = CLASSES[s.slice(i + 2, end - 1)];
      if (!f) return { token: { t: 'never' }, next: s.length }; // an unknown class matches nothing
      classes.push(f);
      prev = -1;
      i = end + 1;
    } else {
      singles.add(c);
      prev = c;
      i++;
    }
  }
  // no closing ']': git's wildmatch matches nothing at all
  return { token: { t: 'never' }, next: s.length };
}

function tokenMatches(tok: Token, c: number): boolean {
  switch (tok.t) {
    case 'lit':
      return tok.c === c;
    case 'any':
      return c !== 0x2f;
    case 'class':
      return c !== 0x2f && tok.test(c) !== tok.negated;
    default:
      return false;
  }
}

/** Greedy last-star wildcard match of one name against one segment's tokens: O(|name| × |tokens|). */
function matchSegment(toks: Token[], name: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < name.length) {
    const tok = toks[p];
    if (tok && tok.t === 'star') {
      starP = p++;
      starT = t;
    } else if (tok && tokenMatches(tok, name.charCodeAt(t))) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (p < toks.length && toks[p]!.t === 'star') p++;
  return p === toks.length;
}

/** The same greedy matcher one level up: 'globstar' segments match any run of path segments. */
function matchSegments(segs: Segment[], parts: string[]): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < parts.length) {
    const seg = segs[p];
    if (seg === 'globstar') {
      starP = p++;
      starT = t;
    } else if (seg && matchSegment(seg, parts[t]!)) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (p < segs.length && segs[p] === 'globstar') p++;
  return p === segs.length;
}

/** Drops trailing spaces that are not escaped (git's trim_trailing_spaces). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 0x20) {
    // count the backslashes before this space: an odd number escapes it
    let b = end - 1;
    while (b > 0 && line.charCodeAt(b - 1) === 0x5c) b--;
    if ((end - 1 - b) % 2 === 1) break;
    end--;
  }
  return line.slice(0, end);
}

/** One line of a .gitignore as a pattern, or undefined for blank lines and comments. */
export function parsePattern(line: string): IgnorePattern | undefined {
  const source = line;
  if (line.startsWith('#')) return undefined;
  line = trimTrailingSpaces(line);
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  }
  if (line === '') return undefined;
  let dirOnly = false;
  if (line.endsWith('/')) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  if (line === '') return undefined;
  const basename = !line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  if (line === '') return undefined;
  let segments: Segment[];
  if (basename) segments = [tokens(line)];
  else {
    segments = line.split('/').map((s) => (s === '**' ? 'globstar' : tokens(s)));
    // 'a/**' needs at least one name after 'a/'
    if (segments[segments.length - 1] === 'globstar') segments.push([{ t: 'star' }]);
  }
  return { negated, dirOnly, basename, segments, source };
}

/** Every pattern of a .gitignore file's text. */
export function parseGitignore(text: string): IgnorePattern[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: IgnorePattern[] = [];
  for (const line of text.split('\n')) {
    const p = parsePattern(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (p) out.push(p);
  }
  return out;
}

/** Does one pattern match `rel` ('/'-separated, relative to the pattern file's folder)? */
export function patternMatches(p: IgnorePattern, rel: string, isDir: boolean): boolean {
  if (p.dirOnly && !isDir) return false;
  if (p.basename) {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    return matchSegment(p.segments[0] as Token[], name);
  }
  return matchSegments(p.segments, rel.split('/'));
}

/** The patterns of one .gitignore (or exclude file) and the folder they are relative to. */
export interface IgnoreLayer {
  /** The folder, '/'-separated, relative to the walk's top ('' for the top itself). */
  base: string;
  patterns: IgnorePattern[];
}

/**
 * Ignored or not, by git's precedence: layers are given outermost first; the deepest layer that
 * has a matching pattern decides, and in it the last matching pattern. `rel` is relative to the
 * same top as the layers' bases.
 */
export function isIgnored(layers: IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    let sub: string;
    if (layer.base === '') sub = rel;
    else if (rel.startsWith(layer.base + '/')) sub = rel.slice(layer.base.length + 1);
    else continue;
    for (let i = layer.patterns.length - 1; i >= 0; i--) {
      const p = layer.patterns[i]!;
      if (patternMatches(p, sub, isDir)) return !p.negated;
    }
  }
  return false;
}

/**
 * For a flat list of files (no walk): ignored when the file or any folder above it is ignored,
 * as git never looks inside an ignored folder. `layers` need not be sorted.
 */
export function isPathIgnored(layers: IgnoreLayer[], rel: string): boolean {
  const sorted = layers.slice().sort((a, b) => (a.base === '' ? -1 : a.base.split('/').length) - (b.base === '' ? -1 : b.base.split('/').length));
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) if (isIgnored(sorted, parts.slice(0, i).join('/'), true)) return true;
  return isIgnored(sorted, rel, false);
}
