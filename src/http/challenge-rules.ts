// Scheme rules applied on top of the syntax parse (challenge.ts): RFC 9110 §11.2/§11.5,
// RFC 7617 (Basic), RFC 6750 (Bearer), RFC 7616 (Digest). Positions are those of the parsed
// string; `holes` are [start,end) ranges of unknown content (template holes).

import type { AuthParam, Challenge, ChallengeProblem, ProblemLevel } from './challenge';
import { isToken } from './challenge';

type Hole = [number, number];

/** Index of the first hole ending at or after `s` (holes sorted and disjoint). */
function firstEndingFrom(holes: Hole[], s: number): number {
  let lo = 0;
  let hi = holes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holes[mid]![1] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Does [s, e] meet a hole? `holes` sorted by start and disjoint: a binary search, not a walk over all. */
export function touches(holes: Hole[], s: number, e: number): boolean {
  const h = holes[firstEndingFrom(holes, s)];
  return h !== undefined && h[0] <= e;
}

function valueRange(p: AuthParam): [number, number] {
  return [p.start + p.name.length, p.end];
}

/** Is the hole [hs, he) strictly inside one parameter's value? `params` in source order. */
function insideValue(params: AuthParam[], hs: number, he: number): boolean {
  let lo = 0;
  let hi = params.length; // last param whose value starts before hs
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (valueRange(params[mid]!)[0] < hs) lo = mid + 1;
    else hi = mid;
  }
  const p = params[lo - 1];
  if (!p) return false;
  const [vs, ve] = valueRange(p);
  return hs > vs && he <= ve;
}

/** RFC 6750 §3: error and error_description use %x20-21 / %x23-5B / %x5D-7E only. */
function bearerCharsOk(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return false;
  }
  return true;
}

const DIGEST_MUST_QUOTE = ['domain', 'nonce', 'opaque', 'qop'];
const DIGEST_MUST_NOT_QUOTE = ['algorithm', 'stale'];

export function checkSchemeRules(challenges: Challenge[], holes: Hole[], length: number): ChallengeProblem[] {
  const out: ChallengeProblem[] = [];
  const add = (code: string, message: string, start: number, end: number, level: ProblemLevel, param?: string): void => {
    const p: ChallengeProblem = { code, message, level, start, end };
    if (param !== undefined) p.param = param;
    out.push(p);
  };

  // A challenge whose scheme is (or touches) a hole is unknown: it may as well be parameters of
  // the challenge before it.
  const schemeKnown = (c: Challenge): boolean => !touches(holes, c.start, c.start + c.scheme.length);
  const known = challenges.filter(schemeKnown);

  known.forEach((c, idx) => {
    const regionEnd = known[idx + 1]?.start ?? length;
    // A hole that is not inside a parameter value could hold any parameters at all.
    let openEnded = false;
    for (let h = firstEndingFrom(holes, c.start + 1); h < holes.length && !openEnded; h++) {
      const [hs, he] = holes[h]!;
      if (hs >= regionEnd) break;
      if (he > c.start && !insideValue(c.params, hs, he)) openEnded = true;
    }
    const params = c.params.filter((p) => !touches(holes, p.start, p.start + p.name.length));
    const valueUnknown = (p: AuthParam): boolean => touches(holes, ...valueRange(p));
    const has = (name: string): AuthParam | undefined => params.find((p) => p.name.toLowerCase() === name);

    // RFC 9110 §11.2: each parameter name only once per challenge.
    const seen = new Set<string>();
    for (const p of params) {
      const k = p.name.toLowerCase();
      if (seen.has(k)) {
        add('repeated-param', `Parameter "${p.name}" repeated in the ${c.scheme} challenge (RFC 9110 §11.2: each name only once)`, p.start, p.end, 'must', p.name);
      }
      seen.add(k);
    }
    // RFC 9110 §11.5: realm only as a quoted-string.
    const realm = has('realm');
    if (realm && !realm.quoted && !valueUnknown(realm)) {
      add('realm-not-quoted', `realm must be a quoted-string: realm="${realm.value}" (RFC 9110 §11.5)`, realm.start, realm.end, 'must', 'realm');
    }

    const scheme = c.scheme.toLowerCase();
    if (scheme === 'basic') {
      if (!realm && !openEnded) {
        add('basic-no-realm', 'Basic challenge without realm (RFC 7617 §2 requires it)', c.start, c.end, 'must');
      }
      const cs = has('charset');
      if (cs && !valueUnknown(cs) && cs.value.toLowerCase() !== 'utf-8') {
        add('basic-bad-charset', `Basic charset "${cs.value}" is not allowed: the only value is "UTF-8" (RFC 7617 §2.1)`, cs.start, cs.end, 'must', 'charset');
      }
    } else if (scheme === 'bearer') {
      if (c.params.length === 0 && !openEnded) {
        const msg = c.token68 !== undefined
          ? 'Bearer challenge with a token68 instead of auth-params (RFC 6750 §3: one or more auth-param values)'
          : 'Bearer challenge with no auth-param (RFC 6750 §3 requires at least one, e.g. realm="api")';
        add('bearer-no-params', msg, c.start, c.end, 'must');
      }
      for (const name of ['error', 'error_description']) {
        const p = has(name);
        if (!p || valueUnknown(p)) continue;
        if (!bearerCharsOk(p.value)) {
          add('bearer-error-bad-char', `Bearer ${name} contains '"', '\\' or a character outside printable ASCII (RFC 6750 §3 forbids them)`, p.start, p.end, 'must', name);
        } else if (name === 'error' && !isToken(p.value)) {
          add('bearer-error-not-token', `Bearer error "${p.value}" is prose, not an error code such as invalid_token (RFC 6750 §3.1); put the text in error_description`, p.start, p.end, 'should', name);
        }
      }
    } else if (scheme === 'digest') {
      if (!openEnded) {
        for (const name of ['realm', 'nonce', 'qop']) {
          if (!has(name)) {
            add(`digest-no-${name}`, `Digest challenge without ${name} (RFC 7616 §3.3 requires it)`, c.start, c.end, 'must', name);
          }
        }
      }
      for (const p of params) {
        const k = p.name.toLowerCase();
        if (DIGEST_MUST_NOT_QUOTE.includes(k) && p.quoted) {
          add('digest-param-quoted', `Digest ${p.name} must not be quoted: ${p.name}=${p.value} (RFC 7616 §3.3)`, p.start, p.end, 'must', p.name);
        } else if (DIGEST_MUST_QUOTE.includes(k) && !p.quoted && !valueUnknown(p)) {
          add('digest-param-unquoted', `Digest ${p.name} must be a quoted-string: ${p.name}="${p.value}" (RFC 7616 §3.3)`, p.start, p.end, 'must', p.name);
        }
      }
    }
  });

  const second = known[1];
  if (second) {
    add('several-challenges', `${known.length} challenges on one field line may not be interoperable; send one WWW-Authenticate line per challenge (RFC 9110 §11.6.1)`, second.start, second.end, 'info');
  }
  return out;
}
