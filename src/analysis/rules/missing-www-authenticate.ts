// A 401 must carry a WWW-Authenticate challenge (RFC 9110 §15.5.2, §11.6.1: MUST).
import { addChallengeEdits, combine } from '../fixes';
import { defineRule } from '../rule';
import { isRelayGuard } from '../guards';
import { anchorFor } from '../model';
import type { Emission } from '../model';

export function challengeMessage(e: Emission, discardedKoa: boolean, discardedHono: boolean, header: 'WWW-Authenticate' | 'Proxy-Authenticate', status: number): string {
  const basis = status === 401 ? 'RFC 9110 §15.5.2 requires one' : 'RFC 9110 §15.5.8 requires one';
  if (discardedKoa) return `${status} thrown with ctx.throw loses the ${header} set by ctx.set: Koa clears headers on errors. Pass it in the error's headers (${basis}).`;
  if (discardedHono) return `${status} returned as a raw Response drops the ${header} set with c.header(). Put it in the Response's headers (${basis}).`;
  if (e.kind === 'library' && e.library === 'express-basic-auth') return `express-basic-auth answers 401 without WWW-Authenticate unless \`challenge: true\` is set (${basis}).`;
  if (e.kind === 'library' && e.library === '@fastify/basic-auth') return `@fastify/basic-auth answers 401 without WWW-Authenticate unless \`authenticate\` is set (${basis}).`;
  if (e.kind === 'library' && e.library === '@nestjs/passport') return `AuthGuard() of @nestjs/passport throws UnauthorizedException without WWW-Authenticate (passport's challenges are dropped): bind an exception filter that adds it, or override handleRequest (${basis}).`;
  if (e.kind === 'library') return `${e.library} answers 401 without WWW-Authenticate: add it where its errors are sent (an error handler or hook) (${basis}).`;
  if (e.framework === 'nestjs') return `${status} from a NestJS exception reaches the client without ${header}: exceptions carry no headers (${basis}).`;
  if (e.kind === 'boom' && status === 407) return `Boom.proxyAuthRequired() never sets ${header}: set it on the response (${basis}).`;
  return `${status} sent without a ${header} challenge (${basis}).`;
}

export default defineRule({
  id: 'missing-www-authenticate',
  check(ctx) {
    for (const e of ctx.facts.emissions) {
      if (!e.statuses.includes(401) || e.kind === 'nest-guard') continue;
      const cov = ctx.flow.coverage(e, 'www');
      if (cov.presence !== 'none' || isRelayGuard(e.node, 401, ctx.facts.bindings)) continue;
      const koa = !!cov.discarded && cov.discarded.koa;
      const hono = !!cov.discarded && !cov.discarded.koa;
      ctx.report({
        node: anchorFor(e, 401),
        messageId: koa ? 'discardedByKoa' : hono ? 'discardedByResponse' : 'missing',
        message: challengeMessage(e, koa, hono, 'WWW-Authenticate', 401),
        fixes: [combine(`Add WWW-Authenticate: ${ctx.defaultChallenge}`, addChallengeEdits(e, 'www', ctx.defaultChallenge, ctx.text))],
        related: cov.discarded ? [{ range: [cov.discarded.node.range[0], cov.discarded.node.range[1]], message: 'The challenge set here is discarded.' }] : undefined,
      });
    }
  },
});
