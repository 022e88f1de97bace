// Auth middleware whose configuration decides whether its 401 carries a challenge
// (linter-notes B.2): express-basic-auth without `challenge: true`, @fastify/basic-auth without
// `authenticate`, koa-jwt and passport-jwt (which never send one). Reported at the registration.
import type { TSESTree } from '@typescript-eslint/types';
import { findProp, hasUnknownKeys, parentOf, propName, unwrap, type Node } from '../ast';
import type { Ctx } from '../collect';
import { noInline, type Emission } from '../model';
import { thrownEmission } from './errors';

function moduleOf(n: Node, ctx: Ctx): string | undefined {
  const u = unwrap(n);
  if (u.type === 'Identifier') return ctx.facts.importNames.get(u.name);
  if (u.type === 'CallExpression' && u.callee.type === 'Identifier' && u.callee.name === 'require') {
    const a = u.arguments[0];
    return a && a.type === 'Literal' && typeof a.value === 'string' ? a.value : undefined;
  }
  if (u.type === 'MemberExpression' && u.object.type === 'Identifier') return ctx.facts.importNames.get(u.object.name); // require('x').default
  return undefined;
}

function emission(ctx: Ctx, node: Node, anchor: Node, library: string): Emission {
  return { ...thrownEmission(ctx, node, anchor, [401], 'library', 'generic', noInline()), receiver: undefined, library };
}

/** A 401 whose challenge the library builds as a bare scheme: a malformed-challenge finding at the configuration. */
function bareChallenge(ctx: Ctx, node: Node, anchor: Node, scheme: string, library: string): Emission {
  const e = emission(ctx, node, anchor, library);
  return { ...e, inline: { www: 'yes', proxy: 'none', values: [{ node: anchor, value: { text: scheme, opaque: [], exact: true }, header: 'www' }] } };
}

/** `class G extends AuthGuard('jwt') { handleRequest(...) {...} }`: the subclass decides what is thrown. */
function overridesHandleRequest(call: TSESTree.CallExpression): boolean {
  const cls = parentOf(call);
  if (!cls || (cls.type !== 'ClassDeclaration' && cls.type !== 'ClassExpression') || cls.superClass !== call) return false;
  return cls.body.body.some((m) => m.type === 'MethodDefinition' && m.key.type === 'Identifier' && m.key.name === 'handleRequest');
}

const truthy = (p: TSESTree.Property | undefined): boolean => !!p && !(unwrap(p.value as Node).type === 'Literal' && !(unwrap(p.value as Node) as TSESTree.Literal).value);

export function recogniseLibraryCall(call: TSESTree.CallExpression, ctx: Ctx): void {
  const callee = unwrap(call.callee);
  const mod = callee.type === 'Identifier' || callee.type === 'MemberExpression' ? moduleOf(callee, ctx) : undefined;
  // basicAuth({ users, challenge: true }) / koaJwt({ secret })
  if (mod === 'express-basic-auth') {
    const opts = call.arguments[0];
    if (!opts || unwrap(opts).type !== 'ObjectExpression') return;
    if (!truthy(findProp(opts, 'challenge'))) ctx.facts.emissions.push(emission(ctx, call, callee, mod));
    // challenge: true without realm: the documented default sends a bare `Basic` (RFC 7617 §2 needs realm)
    else if (!findProp(opts, 'realm') && !hasUnknownKeys(opts)) ctx.facts.emissions.push(bareChallenge(ctx, call, callee, 'Basic', mod));
    return;
  }
  // @nestjs/passport AuthGuard(): passport's challenges are dropped, UnauthorizedException carries none
  if (mod === '@nestjs/passport' && callee.type === 'Identifier' && (ctx.facts.importSpecs.get(callee.name)?.imported ?? callee.name) === 'AuthGuard') {
    if (!overridesHandleRequest(call)) ctx.facts.emissions.push({ ...emission(ctx, call, callee, mod), framework: 'nestjs' });
    return;
  }
  // server.auth.strategy('simple', 'basic', { validate }) with @hapi/basic: without
  // unauthorizedAttributes.realm its challenge is a bare `Basic`
  if (callee.type === 'MemberExpression' && propName(callee) === 'strategy') {
    const [, scheme, opts] = call.arguments;
    const s = scheme && unwrap(scheme);
    if (!s || s.type !== 'Literal' || s.value !== 'basic' || !opts || unwrap(opts).type !== 'ObjectExpression' || hasUnknownKeys(opts)) return;
    const attrs = findProp(opts, 'unauthorizedAttributes');
    const av = attrs && unwrap(attrs.value as Node);
    if (attrs && (!av || av.type !== 'ObjectExpression' || findProp(av, 'realm') || hasUnknownKeys(av))) return;
    ctx.facts.emissions.push({ ...bareChallenge(ctx, call, s, 'Basic', '@hapi/basic'), needsPackage: ['@hapi/basic'] });
    return;
  }
  if (mod === 'koa-jwt') {
    ctx.facts.emissions.push(emission(ctx, call, callee, mod));
    return;
  }
  // fastify.register(require('@fastify/basic-auth'), { validate, authenticate: { realm } })
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'register') {
    const [plugin, opts] = call.arguments;
    if (!plugin || moduleOf(plugin, ctx) !== '@fastify/basic-auth') return;
    if (opts && unwrap(opts).type === 'ObjectExpression' && !truthy(findProp(opts, 'authenticate'))) ctx.facts.emissions.push(emission(ctx, call, plugin, '@fastify/basic-auth'));
  }
}

export function recogniseLibraryNew(node: TSESTree.NewExpression, ctx: Ctx): void {
  const callee = unwrap(node.callee);
  if ((callee.type === 'Identifier' || callee.type === 'MemberExpression') && moduleOf(callee, ctx) === 'passport-jwt') {
    ctx.facts.emissions.push(emission(ctx, node, callee, 'passport-jwt'));
  }
}
