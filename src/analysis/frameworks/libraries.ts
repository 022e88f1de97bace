// Auth middleware whose configuration decides whether its 401 carries a challenge
// (linter-notes B.2): express-basic-auth without `challenge: true`, @fastify/basic-auth without
// `authenticate`, koa-jwt and passport-jwt (which never send one). Reported at the registration.
import type { TSESTree } from '@typescript-eslint/types';
import { findProp, unwrap, type Node } from '../ast';
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

const truthy = (p: TSESTree.Property | undefined): boolean => !!p && !(unwrap(p.value as Node).type === 'Literal' && !(unwrap(p.value as Node) as TSESTree.Literal).value);

export function recogniseLibraryCall(call: TSESTree.CallExpression, ctx: Ctx): void {
  const callee = unwrap(call.callee);
  const mod = callee.type === 'Identifier' || callee.type === 'MemberExpression' ? moduleOf(callee, ctx) : undefined;
  // basicAuth({ users, challenge: true }) / koaJwt({ secret })
  if (mod === 'express-basic-auth') {
    const opts = call.arguments[0];
    if (opts && unwrap(opts).type === 'ObjectExpression' && !truthy(findProp(opts, 'challenge'))) ctx.facts.emissions.push(emission(ctx, call, callee, mod));
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
