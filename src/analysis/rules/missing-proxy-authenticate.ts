// A 407 must carry a Proxy-Authenticate challenge (RFC 9110 §15.5.8, §11.7.1: MUST).
import { addChallengeEdits, combine } from '../fixes';
import { defineRule } from '../rule';
import { isRelayGuard } from '../guards';
import { anchorFor } from '../model';
import { challengeMessage } from './missing-www-authenticate';

export default defineRule({
  id: 'missing-proxy-authenticate',
  check(ctx) {
    for (const e of ctx.facts.emissions) {
      if (!e.statuses.includes(407)) continue;
      const cov = ctx.flow.coverage(e, 'proxy');
      if (cov.presence !== 'none' || isRelayGuard(e.node, 407, ctx.facts.bindings)) continue;
      const koa = !!cov.discarded && cov.discarded.koa;
      const hono = !!cov.discarded && !cov.discarded.koa;
      ctx.report({
        node: anchorFor(e, 407),
        messageId: 'missing',
        message: challengeMessage(e, koa, hono, 'Proxy-Authenticate', 407),
        fixes: [combine(`Add Proxy-Authenticate: ${ctx.defaultProxyChallenge}`, addChallengeEdits(e, 'proxy', ctx.defaultProxyChallenge, ctx.text))],
      });
    }
  },
});
