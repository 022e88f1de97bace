// Challenge values that break RFC 9110 §11.6.1 syntax or their scheme's rules
// (Basic needs realm, RFC 7617 §2; Bearer needs an auth-param, RFC 6750 §3; Digest, RFC 7616 §3.3).
// The runner's own parser (src/http/challenge.ts) decides.
import type { TSESTree } from '@typescript-eslint/types';
import { checkChallenges, parseChallenges, type ChallengeProblem } from '../../http/challenge';
import { CHALLENGE_STEPS_PER_CHAR, spend } from '../budget';
import type { Node } from '../ast';
import type { ChallengeValue } from '../model';
import { defineRule } from '../rule';
import { afterParamEquals, paramBefore, quotedParam } from '../text-scan';
import type { Fix, TextEdit } from '../types';

/** Every static challenge value in the file: header writes and inline headers. */
export function allChallengeValues(ctx: { facts: { writes: Array<{ value?: ChallengeValue }>; emissions: Array<{ inline: { values: ChallengeValue[] } }>; looseChallenges: ChallengeValue[] } }): ChallengeValue[] {
  const seen = new Set<Node>();
  const out: ChallengeValue[] = [];
  const add = (v: ChallengeValue | undefined) => {
    if (!v || seen.has(v.node)) return;
    seen.add(v.node);
    out.push(v);
  };
  for (const w of ctx.facts.writes) add(w.value);
  for (const e of ctx.facts.emissions) e.inline.values.forEach(add);
  ctx.facts.looseChallenges.forEach(add);
  return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** Map an offset inside the value to the source, for a plain string literal without escapes. */
function sourceOffset(node: Node, text: string, value: string): ((i: number) => number) | undefined {
  if (node.type !== 'Literal') return undefined;
  const raw = text.slice(node.range[0], node.range[1]);
  if (raw.slice(1, -1) !== value) return undefined;
  return (i) => node.range[0] + 1 + i;
}

function quoteFor(node: Node, text: string): string {
  const q = text[node.range[0]];
  return q === '"' ? '\\"' : '"';
}

/** The problems fixFor can fix. */
const FIXABLE = new Set(['basic-no-realm', 'bearer-no-params', 'realm-not-quoted']);

function fixFor(p: ChallengeProblem, v: ChallengeValue, text: string, realm: string, parse: () => ReturnType<typeof parseChallenges>, offsets: () => ((i: number) => number) | undefined): Fix | undefined {
  const at = offsets();
  if (!at) return undefined;
  const q = quoteFor(v.node, text);
  const value = v.value.text;
  const edits: TextEdit[] = [];
  if (p.code === 'basic-no-realm' || p.code === 'bearer-no-params') {
    const parsed = parse().challenges.find((c) => c.start <= p.start && p.start <= c.end) ?? parse().challenges[0];
    if (!parsed) return undefined;
    const schemeEnd = parsed.start + parsed.scheme.length;
    const hasParams = parsed.params.length > 0 || parsed.token68;
    edits.push({ range: [at(schemeEnd), at(schemeEnd)], text: ` realm=${q}${realm}${q}${hasParams ? ',' : ''}` });
    return { title: `Add realm="${realm}"`, edits };
  }
  if (p.code === 'realm-not-quoted') {
    const s = afterParamEquals(value, 'realm', p.start);
    if (s === undefined) return undefined;
    let e = s;
    while (e < value.length && value[e] !== ',' && value[e] !== ' ') e++;
    edits.push({ range: [at(s), at(e)], text: `${q}${value.slice(s, e)}${q}` });
    return { title: 'Quote the realm', edits };
  }
  return undefined;
}

/** `Bearer resource_metadata=${url}`: a URL is never a token (':' and '/' are not tchar), so it must be quoted. */
function unquotedUrlHoles(v: ChallengeValue): ChallengeProblem[] {
  const out: ChallengeProblem[] = [];
  const { text, opaque, holes } = v.value;
  opaque.forEach(([s, e], i) => {
    const name = holes?.[i] ?? '';
    const m = paramBefore(text, s);
    if (!m || text[e] === '"' || !/(url|uri|href|endpoint|location|link)\b|(Url|Uri|URL|URI)$/.test((name.split('.').pop() ?? '').replace(/\(\)$/, ''))) return;
    out.push({ code: 'url-not-quoted', level: 'must', start: m.start, end: e, param: m.name, message: `${m.name} takes ${name}, a URL, unquoted: ':' and '/' are not token characters, so it must be a quoted-string (RFC 9110 §11.2)` });
  });
  return out;
}

export default defineRule({
  id: 'malformed-www-authenticate',
  check(ctx) {
    const realm = quotedParam(ctx.defaultChallenge, 'realm') ?? 'api';
    for (const v of allChallengeValues(ctx)) {
      spend(v.value.text.length * CHALLENGE_STEPS_PER_CHAR);
      const problems = [...checkChallenges(v.value.text, v.value.opaque).filter((p) => p.level !== 'info' && !(v.partial && /-no-/.test(p.code))), ...unquotedUrlHoles(v)];
      if (problems.length === 0) continue;
      let parsed: ReturnType<typeof parseChallenges> | undefined;
      const parsedOnce = () => (parsed ??= parseChallenges(v.value.text));
      // computed once per value, not once per problem (a value can have thousands)
      let offsets: ((i: number) => number) | null | undefined;
      const offsetsOnce = () => (offsets === undefined ? (offsets = sourceOffset(v.node, ctx.text, v.value.text) ?? null) : offsets) ?? undefined;
      const first = problems[0]!;
      // at most 10 more messages: a value with thousands of problems must not make a message larger than the file
      const listed = problems.slice(1, 11).map((p) => p.message).join('; ') + (problems.length > 11 ? '; …' : '');
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${listed})` : '';
      const header = v.header === 'proxy' ? 'Proxy-Authenticate' : 'WWW-Authenticate';
      ctx.report({
        node: v.node as TSESTree.Node,
        messageId: first.code,
        message: `Malformed ${header}: ${first.message}${more}`,
        fixes: problems.filter((p) => FIXABLE.has(p.code)).map((p) => fixFor(p, v, ctx.text, realm, parsedOnce, offsetsOnce)),
      });
    }
  },
});
