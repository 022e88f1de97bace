// RFC 9110 §11 challenge parser, shared by the linter (malformed-www-authenticate) and the
// runner (challenge-malformed, scheme-mismatch, ...). Pure, never throws, linear time.
//
//   WWW-Authenticate = #challenge                                      (§11.6.1)
//   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]       (§11.3)
//   auth-param = token BWS "=" BWS ( token / quoted-string )          (§11.2)
//   token68    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// Commas separate both challenges and the parameters of one challenge, so a list element
// that starts with `name=` belongs to the current challenge and one that starts with a bare
// token opens a new challenge.

import { checkSchemeRules, touches as touchesHoles } from './challenge-rules';

export interface AuthParam { name: string; value: string; quoted: boolean; start: number; end: number }
export interface Challenge { scheme: string; token68?: string; params: AuthParam[]; start: number; end: number }
export type ProblemLevel = 'must' | 'should' | 'info';
export interface ChallengeProblem { code: string; message: string; level: ProblemLevel; start: number; end: number; param?: string }

const TCHAR_EXTRA = "!#$%&'*+-.^_`|~";
const T68_EXTRA = '-._~+/';

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
export function isTchar(c: number): boolean {
  return isAlnum(c) || (c < 0x80 && TCHAR_EXTRA.includes(String.fromCharCode(c)));
}
function isT68(c: number): boolean {
  return isAlnum(c) || (c < 0x80 && T68_EXTRA.includes(String.fromCharCode(c)));
}
/** A character that may start or continue a scheme, a parameter name or a token68. */
function isWordChar(c: number): boolean {
  return isTchar(c) || c === 0x2f;
}
function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTchar(s.charCodeAt(i))) return false;
  return true;
}

const COMMA = 0x2c;
const DQUOTE = 0x22;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;

/** Syntax only (RFC 9110 §11.2, §11.3, §11.6.1, §5.6.2, §5.6.4). Never throws, linear time. */
export function parseChallenges(value: string): { challenges: Challenge[]; problems: ChallengeProblem[] } {
  const challenges: Challenge[] = [];
  const problems: ChallengeProblem[] = [];
  const n = value.length;
  let i = 0;
  let cur: Challenge | undefined;

  const problem = (code: string, message: string, start: number, end: number, level: ProblemLevel = 'must', param?: string): void => {
    const p: ChallengeProblem = { code, message, level, start, end: Math.max(end, start) };
    if (param !== undefined) p.param = param;
    problems.push(p);
  };
  const skipWs = (): void => {
    while (i < n && isWs(value.charCodeAt(i))) i++;
  };
  /** Moves i to the next comma outside a quoted string (or to the end). */
  const skipToComma = (): void => {
    while (i < n && value.charCodeAt(i) !== COMMA) {
      if (value.charCodeAt(i) === DQUOTE) {
        i++;
        while (i < n && value.charCodeAt(i) !== DQUOTE) i += value.charCodeAt(i) === BACKSLASH ? 2 : 1;
      }
      i++;
    }
    if (i > n) i = n;
  };
  const readWord = (): number => {
    const s = i;
    while (i < n && isWordChar(value.charCodeAt(i))) i++;
    return s;
  };

  /** Parses a quoted-string at i (value[i] is '"'); returns its unescaped content. */
  const readQuoted = (): string => {
    const start = i;
    i++;
    let out = '';
    while (i < n) {
      const c = value.charCodeAt(i);
      if (c === DQUOTE) {
        i++;
        return out;
      }
      if (c === BACKSLASH) {
        if (i + 1 >= n) break;
        const e = value.charCodeAt(i + 1);
        if ((e < 0x20 && e !== 0x09) || e === 0x7f) {
          problem('bad-char-in-quote', 'Control character after a backslash in a quoted-string (RFC 9110 §5.6.4)', i, i + 2);
        } else if (e !== DQUOTE && e !== BACKSLASH) {
          problem('needless-escape', `Needless backslash before "${value[i + 1]}": senders should escape only '"' and '\\' (RFC 9110 §5.6.4)`, i, i + 2, 'should');
        }
        out += value[i + 1];
        i += 2;
        continue;
      }
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
        problem('bad-char-in-quote', 'Control character inside a quoted-string (RFC 9110 §5.6.4)', i, i + 1);
      }
      out += value[i];
      i++;
    }
    problem('unterminated-quote', 'Quoted-string without its closing \'"\' (RFC 9110 §5.6.4)', start, n);
    i = n;
    return out;
  };

  /** Parses `= BWS value` for a parameter whose name is value[ns,ne); i is at the '='. */
  const readParamValue = (ns: number, ne: number): AuthParam => {
    const name = value.slice(ns, ne);
    i++; // '='
    skipWs();
    const c = i < n ? value.charCodeAt(i) : -1;
    if (c === DQUOTE) {
      const v = readQuoted();
      return { name, value: v, quoted: true, start: ns, end: i };
    }
    const vs = i;
    while (i < n && isTchar(value.charCodeAt(i))) i++;
    let ve = i;
    const next = i < n ? value.charCodeAt(i) : -1;
    if (ve > vs && next !== -1 && isWs(next) && proseFollows(i)) {
      // `error=Bad token`: unquoted words separated by spaces (prose).
      skipToComma();
      ve = i;
      while (ve > vs && isWs(value.charCodeAt(ve - 1))) ve--;
      problem('bad-param-value', `Value of "${name}" contains spaces but is not quoted (RFC 9110 §11.2); quote it`, vs, ve, 'must', name);
    } else if (next !== -1 && next !== COMMA && !isWs(next)) {
      skipToComma();
      ve = i;
      while (ve > vs && isWs(value.charCodeAt(ve - 1))) ve--;
      problem('bad-param-value', `Value of "${name}" is neither a token nor a quoted-string (RFC 9110 §11.2); quote it`, vs, ve, 'must', name);
    } else if (ve === vs) {
      problem('missing-value', `Parameter "${name}" has no value (RFC 9110 §11.2)`, ns, Math.max(i, ne + 1), 'must', name);
    }
    return { name, value: value.slice(vs, ve), quoted: false, start: ns, end: ve };
  };

  /** After an unquoted value at p (whitespace follows): is the next word more prose rather than `name=`? */
  const proseFollows = (p: number): boolean => {
    let q = p;
    while (q < n && isWs(value.charCodeAt(q))) q++;
    if (q >= n || !isWordChar(value.charCodeAt(q))) return false;
    while (q < n && isWordChar(value.charCodeAt(q))) q++;
    while (q < n && isWs(value.charCodeAt(q))) q++;
    return q >= n || value.charCodeAt(q) !== EQUALS;
  };

  const addParam = (p: AuthParam): void => {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p.name)) {
      problem('bad-param-name', `Parameter name "${p.name}" is not a token (RFC 9110 §11.2)`, p.start, p.start + p.name.length, 'must', p.name);
    }
    if (!cur) {
      problem('param-without-scheme', `Parameter "${p.name}" appears before any auth-scheme (RFC 9110 §11.3)`, p.start, p.end, 'must', p.name);
      return;
    }
    if (cur.token68 !== undefined) {
      problem('token68-then-params', `Challenge "${cur.scheme}" has a token68 followed by parameters; use one form or the other (RFC 9110 §11.3)`, p.start, p.end, 'must', p.name);
    }
    cur.params.push(p);
    cur.end = p.end;
  };

  skipWs();
  if (i >= n) {
    problem('empty-value', 'Empty challenge list: at least one challenge is required (RFC 9110 §11.6.1)', 0, n);
    return { challenges, problems };
  }

  let afterComma = false;
  let lastComma = -1;
  while (i < n) {
    skipWs();
    if (i >= n) break;
    const c = value.charCodeAt(i);
    if (c === COMMA) {
      problem('empty-element', 'Empty list element (",,"): senders must not generate them (RFC 9110 §5.6.1.1)', i, i + 1);
      lastComma = i;
      i++;
      afterComma = true;
      continue;
    }
    afterComma = false;
    const ws = readWord();
    const we = i;
    if (we === ws) {
      if (c === EQUALS) problem('missing-param-name', "'=' without a parameter name (RFC 9110 §11.2)", ws, ws + 1);
      else problem('bad-scheme', `Expected an auth-scheme or parameter, found "${value[ws]}" (RFC 9110 §11.1)`, ws, ws + 1);
      skipToComma();
    } else {
      let j = i;
      while (j < n && isWs(value.charCodeAt(j))) j++;
      if (j < n && value.charCodeAt(j) === EQUALS) {
        i = j;
        addParam(readParamValue(ws, we));
      } else {
        parseChallengeHead(ws, we);
      }
    }
    // After an element: optional whitespace, then ',' or the end.
    skipWs();
    if (i < n) {
      const d = value.charCodeAt(i);
      if (d === COMMA) {
        lastComma = i;
        i++;
        afterComma = true;
      } else if (isWordChar(d)) {
        problem('missing-comma', `Expected ',' before "${value.slice(i, Math.min(n, i + 12))}" (RFC 9110 §11.3 separates parameters with commas)`, i, i + 1);
      } else {
        const s = i;
        skipToComma();
        problem('unexpected-char', `Unexpected "${value[s]}" where ',' was expected (RFC 9110 §11.3)`, s, i);
      }
    }
  }
  if (afterComma) {
    problem('empty-element', 'Trailing comma leaves an empty list element (RFC 9110 §5.6.1.1)', lastComma, lastComma + 1);
  }
  return { challenges, problems };

  /** A bare token at value[ws,we) opens a new challenge; parse what follows on the element. */
  function parseChallengeHead(ws: number, we: number): void {
    const scheme = value.slice(ws, we);
    if (!isToken(scheme)) problem('bad-scheme', `Auth-scheme "${scheme}" is not a token (RFC 9110 §11.1)`, ws, we);
    cur = { scheme, params: [], start: ws, end: we };
    challenges.push(cur);
    let j = i;
    while (j < n && isWs(value.charCodeAt(j))) j++;
    if (j >= n || value.charCodeAt(j) === COMMA) return; // bare scheme
    if (j === i) return; // something glued to the scheme: reported by the caller
    i = j;
    const s2 = readWord();
    const e2 = i;
    if (e2 === s2) return; // e.g. `Basic "x"`: reported by the caller
    let k = i;
    while (k < n && isWs(value.charCodeAt(k))) k++;
    if (k < n && value.charCodeAt(k) === EQUALS) {
      if (k === e2) {
        // `abc=` may end a token68 (padding) or start a parameter value.
        let m = k;
        while (m < n && value.charCodeAt(m) === EQUALS) m++;
        let after = m;
        while (after < n && isWs(value.charCodeAt(after))) after++;
        const nextC = after < n ? value.charCodeAt(after) : -1;
        const looksLikeValue = m - k === 1 && (nextC === DQUOTE || (nextC !== -1 && isTchar(nextC)));
        if (!looksLikeValue) {
          i = m;
          setToken68(s2, m);
          return;
        }
      }
      i = k;
      addParam(readParamValue(s2, e2));
      return;
    }
    setToken68(s2, e2);
  }

  function setToken68(s: number, e: number): void {
    if (!cur) return;
    const t = value.slice(s, e);
    for (let x = s; x < e; x++) {
      const c = value.charCodeAt(x);
      if (!isT68(c) && c !== EQUALS) {
        problem('bad-token68', `"${t}" is not a valid token68 (RFC 9110 §11.2)`, s, e);
        break;
      }
    }
    cur.token68 = t;
    cur.end = e;
  }
}

/** Case-insensitive parameter lookup (the first occurrence). */
export function getParam(c: Challenge, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const p of c.params) if (p.name.toLowerCase() === lower) return p.value;
  return undefined;
}

/** The parameter itself (first occurrence, case-insensitive). */
export function findParam(c: Challenge, name: string): AuthParam | undefined {
  const lower = name.toLowerCase();
  return c.params.find((p) => p.name.toLowerCase() === lower);
}

/**
 * Syntax problems plus scheme rules (see challenge-rules.ts). `opaque` lists [start,end) ranges
 * whose content is unknown (template holes): they are read as valid token / quoted-string
 * content, and no problem that depends on their content is reported.
 */
export function checkChallenges(value: string, opaque?: Array<[number, number]>): ChallengeProblem[] {
  const holes = (opaque ?? []).filter(([s, e]) => s >= 0 && e >= s && e <= value.length).sort((a, b) => a[0] - b[0]);
  if (holes.length === 0) {
    const { challenges, problems } = parseChallenges(value);
    return [...problems, ...checkSchemeRules(challenges, [], value.length)];
  }
  // Replace every hole by 'x' characters (at least one), keeping a map back to the input: the
  // text is copied in slices, and positions map back through the list of holes (binary search).
  const pieces: string[] = [];
  const subHoles: Array<[number, number]> = [];
  const fromHoles: Array<[number, number]> = []; // the input range of each kept hole
  let pos = 0;
  let subLen = 0;
  for (const [s, e] of holes) {
    if (s < pos) continue; // overlapping ranges: keep the first
    pieces.push(value.slice(pos, s));
    subLen += s - pos;
    const len = Math.max(1, e - s);
    pieces.push('x'.repeat(len));
    subHoles.push([subLen, subLen + len]);
    fromHoles.push([s, e]);
    subLen += len;
    pos = e;
  }
  pieces.push(value.slice(pos));
  const sub = pieces.join('');
  const map = (p: number): number => {
    if (p >= sub.length) return value.length;
    // the last hole starting at or before p
    let lo = 0;
    let hi = subHoles.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (subHoles[mid]![0] <= p) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return p;
    const [hs, he] = subHoles[lo - 1]!;
    const [s, e] = fromHoles[lo - 1]!;
    if (p < he) return Math.min(s + (p - hs), Math.max(s, e - 1));
    return e + (p - he);
  };
  const touches = (s: number, e: number): boolean => touchesHoles(subHoles, s, e);

  const { challenges, problems } = parseChallenges(sub);
  const kept = problems.filter((p) => !touches(p.start, p.end));
  const rules = checkSchemeRules(challenges, subHoles, sub.length);
  return [...kept, ...rules].map((p) => {
    const start = map(p.start);
    const end = p.end >= sub.length ? value.length : Math.max(start, map(p.end - 1) + 1);
    return { ...p, start, end: p.end === p.start ? start : end };
  });
}
