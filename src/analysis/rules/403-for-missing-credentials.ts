// 403 on a branch that found the credentials absent or invalid: that is 401 with a challenge
// (RFC 9110 §11.4 SHOULD, §15.5.2, §15.5.4).
import type { TSESTree } from '@typescript-eslint/types';
import { addChallengeEdits, combine, nestImport, swapStatusEdits } from '../fixes';
import { defineRule } from '../rule';
import { anchorFor } from '../model';

export default defineRule({
  id: '403-for-missing-credentials',
  check(ctx) {
    for (const e of ctx.facts.emissions) {
      if (e.statuses.length !== 1 || e.statuses[0] !== 403) continue;
      if (ctx.guard(e) !== 'credentials') continue;
      let fix;
      if (e.kind === 'nest-guard') {
        const r = e.node as TSESTree.ReturnStatement;
        fix = combine('Throw UnauthorizedException (401) instead', [{ range: [r.range[0], r.range[1]], text: 'throw new UnauthorizedException();' }], nestImport('UnauthorizedException', ctx.text));
      } else {
        const as401 = { ...e, statuses: [401] };
        const needsChallenge = ctx.flow.coverage(e, 'www').presence === 'none';
        fix = combine(
          needsChallenge ? `Answer 401 with WWW-Authenticate: ${ctx.defaultChallenge}` : 'Answer 401 instead of 403',
          // the challenge edit first: where it rewrites the whole call (createError.Forbidden), it wins
          needsChallenge ? addChallengeEdits(as401, 'www', ctx.defaultChallenge, ctx.text) : undefined,
          swapStatusEdits(e, 401, ctx.text),
        );
      }
      ctx.report({
        node: anchorFor(e, 403),
        messageId: 'useUnauthorized',
        message:
          e.kind === 'nest-guard'
            ? 'A guard returning false answers 403, but this branch found the credentials missing or invalid: throw UnauthorizedException (401) with a challenge (RFC 9110 §11.4, §15.5.2).'
            : '403 sent where the credentials are missing or invalid: that is 401 with a WWW-Authenticate challenge (RFC 9110 §11.4, §15.5.2); 404 is the option for hiding the resource (§15.5.4).',
        fixes: ctx.guardOnEveryPath(e) ? [fix] : [],
      });
    }
  },
});
