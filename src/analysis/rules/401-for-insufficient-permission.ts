// 401 on a branch where an identified principal lacks a role, scope, ownership or permission:
// that is 403 (RFC 9110 §11.4 "ought to", §15.5.4; RFC 6750 §3.1 insufficient_scope).
import { combine, swapStatusEdits } from '../fixes';
import { defineRule } from '../rule';
import { anchorFor } from '../model';

export default defineRule({
  id: '401-for-insufficient-permission',
  check(ctx) {
    for (const e of ctx.facts.emissions) {
      if (e.statuses.length !== 1 || e.statuses[0] !== 401) continue;
      if (ctx.guard(e) !== 'permission') continue;
      ctx.report({
        node: anchorFor(e, 401),
        messageId: 'useForbidden',
        message: '401 sent where an identified user lacks permission: that is 403, since new credentials would not help (RFC 9110 §11.4, §15.5.4).',
        fixes: ctx.guardOnEveryPath(e) ? [combine('Answer 403 instead of 401', swapStatusEdits(e, 403, ctx.text))] : [],
      });
    }
  },
});
