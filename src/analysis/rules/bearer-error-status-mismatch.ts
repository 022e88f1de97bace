// A Bearer error code that contradicts the status (RFC 6750 §3.1): invalid_request is 400,
// invalid_token 401, insufficient_scope 403. Looks at the challenge and at a JSON body `error`.
import { nullProto } from '../lookup';
import { getParam, parseChallenges } from '../../http/challenge';
import { CHALLENGE_STEPS_PER_CHAR, spend } from '../budget';
import { parentOf, type Node } from '../ast';
import { combine, swapStatusEdits } from '../fixes';
import { dropErrorParams } from '../text-scan';
import type { ChallengeValue, Emission } from '../model';
import { defineRule, type RuleContext } from '../rule';
import type { Fix } from '../types';

export const BEARER_STATUS: Record<string, number> = nullProto({ invalid_request: 400, invalid_token: 401, insufficient_scope: 403 });
const CODE_FOR: Record<number, string> = { 400: 'invalid_request', 401: 'invalid_token', 403: 'insufficient_scope' };

function blockOf(n: Node): Node | null {
  for (let p = parentOf(n); p; p = parentOf(p)) if (p.type === 'BlockStatement' || p.type === 'Program' || p.type === 'SwitchCase') return p;
  return null;
}

function inside(inner: Node, outer: Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** Challenge values that surely reach this emission: inline, the same chain, or a write in an enclosing block before it. */
function valuesFor(e: Emission, ctx: RuleContext): ChallengeValue[] {
  const out = e.inline.values.filter((v) => v.header === 'www');
  for (const w of ctx.facts.writes) {
    if (w.header !== 'www' || !w.value) continue;
    if (e.receiver !== undefined ? w.receiver !== e.receiver : !e.thrown) continue;
    if (inside(w.node, e.chainTop)) {
      out.push(w.value);
      continue;
    }
    const b = blockOf(w.node);
    if (w.end > e.node.range[0]) {
      // ctx.status = 400; ctx.set('WWW-Authenticate', ...): a later write in the same block
      if (!e.commits && b && b === blockOf(e.node)) out.push(w.value);
      continue;
    }
    if (b && inside(e.node, b)) out.push(w.value);
  }
  return out;
}

/** `error: '<RFC 6750 code>'` properties inside an emission's arguments (objects and calls, 3 levels). */
function nestedErrorCodes(node: Node): Array<Node & { value: unknown }> {
  const out: Array<Node & { value: unknown }> = [];
  const args = node.type === 'CallExpression' || node.type === 'NewExpression' ? node.arguments : [];
  const visit = (n: Node, depth: number): void => {
    if (depth > 3) return;
    if (n.type === 'ObjectExpression') {
      for (const p of n.properties) {
        if (p.type !== 'Property') continue;
        const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : '';
        const v = p.value as Node;
        if (key === 'error' && v.type === 'Literal' && typeof v.value === 'string' && BEARER_STATUS[v.value] !== undefined) out.push(v as Node & { value: unknown });
        else visit(v, depth + 1);
      }
    } else if (n.type === 'CallExpression') {
      n.arguments.forEach((a) => visit(a as Node, depth + 1));
    }
  };
  args.forEach((a) => visit(a as Node, 0));
  return out;
}

function bearerCode(v: ChallengeValue): string | undefined {
  spend(v.value.text.length * CHALLENGE_STEPS_PER_CHAR);
  for (const c of parseChallenges(v.value.text).challenges) {
    if (c.scheme.toLowerCase() !== 'bearer') continue;
    const err = getParam(c, 'error');
    if (err && BEARER_STATUS[err] !== undefined) return err;
  }
  return undefined;
}

function recodeFix(node: Node, text: string, code: string, status: number): Fix | undefined {
  const want = CODE_FOR[status];
  if (!want) return undefined;
  const src = text.slice(node.range[0], node.range[1]);
  const i = src.indexOf(code);
  if (i < 0) return undefined;
  const at = node.range[0] + i;
  return { title: `Use error="${want}" to match ${status}`, edits: [{ range: [at, at + code.length], text: want }] };
}

/** Remove error= and error_description= from a challenge literal. */
function dropErrorFix(node: Node, text: string): Fix | undefined {
  const src = text.slice(node.range[0], node.range[1]);
  const out = dropErrorParams(src);
  if (out === src) return undefined;
  return { title: 'Drop the error code: the request carried no credentials (RFC 6750 §3.1)', edits: [{ range: [node.range[0], node.range[1]], text: out }] };
}

export default defineRule({
  id: 'bearer-error-status-mismatch',
  check(ctx) {
    const done = new Set<Node>();
    for (const e of ctx.facts.emissions) {
      if (e.statuses.length !== 1) continue;
      const status = e.statuses[0]!;
      const candidates: Array<{ node: Node; code: string }> = [];
      for (const v of valuesFor(e, ctx)) {
        const code = bearerCode(v);
        if (code) candidates.push({ node: v.node, code });
      }
      if (!e.commits && e.receiver) {
        for (const b of ctx.facts.bodies) {
          if (b.receiver !== e.receiver || blockOf(b.node) !== blockOf(e.node)) continue;
          const v = b.error as Node & { value?: unknown };
          if (typeof v.value === 'string' && BEARER_STATUS[v.value] !== undefined) candidates.push({ node: b.error, code: v.value });
        }
      }
      // new HTTPException(401, { res: unauthorizedResponse({ error: 'invalid_request' }) })
      if (e.kind === 'hono-exception' || e.kind === 'http-error' || e.kind === 'koa-throw') {
        for (const lit of nestedErrorCodes(e.node)) candidates.push({ node: lit, code: lit.value as string });
      }
      if (e.bodyError && e.bodyError.type === 'Literal' && typeof e.bodyError.value === 'string' && BEARER_STATUS[e.bodyError.value] !== undefined) {
        candidates.push({ node: e.bodyError, code: e.bodyError.value });
      }
      for (const { node, code } of candidates) {
        const expected = BEARER_STATUS[code]!;
        if (expected === status || done.has(node)) continue;
        done.add(node);
        // No credentials at all: RFC 6750 §3.1 says to send no error code, so drop it rather than change the status
        const noCredentials = code === 'invalid_request' && status === 401 && ctx.guard(e) === 'credentials';
        const drop = noCredentials ? dropErrorFix(node, ctx.text) : undefined;
        ctx.report({
          node,
          messageId: 'mismatch',
          message: `Bearer error "${code}" goes with ${expected}, but this response is ${status} (RFC 6750 §3.1).`,
          fixes: drop ? [drop] : [combine(`Answer ${expected} to match "${code}"`, swapStatusEdits(e, expected, ctx.text)), recodeFix(node, ctx.text, code, status)],
        });
      }
    }
  },
});
