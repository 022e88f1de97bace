// Error objects that carry a status into a framework's error pipeline: http-errors,
// NestJS exceptions, Boom, Hono's HTTPException, restify/express-jwt error classes,
// and the file's own error classes that declare a status.
import type { TSESTree } from '@typescript-eslint/types';
import { findProp, propName, unwrap, type Node } from '../ast';
import { staticString, statusValues } from '../constants';
import type { Ctx, FileFacts } from '../collect';
import { headersFrom } from '../headers';
import { noInline, type Emission, type EmissionKind, type Framework, type Inline } from '../model';
import { chainOf } from './chain';
import { declaredName } from './calls';
import { statusOrParam } from './templates';

export type ErrorClasses = Map<string, { status: number; inline: Inline }>;

const HTTP_ERROR_NAMES: Record<string, number> = {
  Unauthorized: 401,
  Forbidden: 403,
  ProxyAuthenticationRequired: 407,
  '401': 401,
  '403': 403,
  '407': 407,
};

/** Exception classes known by name from packages, with their status. */
const KNOWN_CLASSES: Record<string, { status: number; framework: Framework; kind: EmissionKind }> = {
  UnauthorizedException: { status: 401, framework: 'nestjs', kind: 'nest-exception' },
  ForbiddenException: { status: 403, framework: 'nestjs', kind: 'nest-exception' },
  UnauthorizedError: { status: 401, framework: 'express', kind: 'http-error' },
  InvalidCredentialsError: { status: 401, framework: 'express', kind: 'http-error' },
  NotAuthorizedError: { status: 403, framework: 'express', kind: 'http-error' },
  ForbiddenError: { status: 403, framework: 'express', kind: 'http-error' },
};

function isHttpErrorsName(name: string, facts: FileFacts): boolean {
  const mod = facts.importNames.get(name);
  if (mod) return mod === 'http-errors' || mod === '@fastify/sensible';
  if (facts.imports.has('@fastify/error') && !facts.imports.has('http-errors')) return false;
  return /^(createError|createHttpError|httpErrors|HttpErrors|createHttpErrors|HttpError)$/.test(name);
}

function base(ctx: Ctx, node: Node, anchor: Node, statuses: number[], kind: EmissionKind, framework: Framework, inline: Inline, statusNode?: Node): Emission {
  return {
    kind,
    framework,
    statuses,
    anchor,
    statusNode,
    node,
    fn: ctx.fnOf(node),
    receiver: declaredName(node),
    commits: true,
    commitAt: node.range[0],
    thrown: true,
    inline,
    chainTop: node,
  } as Emission;
}

function propsInline(args: readonly Node[], ctx: Ctx): Inline {
  const inline = noInline();
  for (const a of args) {
    const u = unwrap(a);
    if (u.type === 'ObjectExpression') {
      const h = findProp(u, 'headers');
      if (h) headersFrom(h.value as Node, ctx.facts.bindings, inline);
    }
  }
  return inline;
}

/** createError(401, ...), createError.Unauthorized(...), createError[401](), httpErrors.createError(401). Returns true when handled. */
export function errorFactoryEmission(call: TSESTree.CallExpression | TSESTree.NewExpression, name: string, ctx: Ctx, callee?: TSESTree.MemberExpression): boolean {
  const facts = ctx.facts;
  if (!callee) {
    if (!isHttpErrorsName(name, facts)) return false;
    const statusArg = call.arguments.find((a) => statusOrParam(a, ctx, call, /status|code/i));
    if (!statusArg) return false;
    facts.emissions.push(base(ctx, call, statusArg, statusOrParam(statusArg, ctx, call, /status|code/i)!, 'http-error', 'http-errors', propsInline(call.arguments, ctx), statusArg));
    return true;
  }
  const obj = unwrap(callee.object);
  if (name === 'createError' && obj.type === 'Identifier' && /httpErrors/i.test(obj.name)) {
    const statusArg = call.arguments.find((a) => statusOrParam(a, ctx, call, /status|code/i));
    if (!statusArg) return false;
    facts.emissions.push(base(ctx, call, statusArg, statusOrParam(statusArg, ctx, call, /status|code/i)!, 'http-error', 'http-errors', propsInline(call.arguments, ctx), statusArg));
    return true;
  }
  if (obj.type === 'Identifier' && isHttpErrorsName(obj.name, facts) && HTTP_ERROR_NAMES[name] !== undefined) {
    facts.emissions.push(base(ctx, call, callee, [HTTP_ERROR_NAMES[name]!], 'http-error', 'http-errors', noInline()));
    return true;
  }
  return false;
}

export function newErrorEmission(node: TSESTree.NewExpression, ctx: Ctx): void {
  const callee = unwrap(node.callee);
  const facts = ctx.facts;
  if (callee.type === 'MemberExpression') {
    const m = propName(callee);
    if (!m) return;
    if (errorFactoryEmission(node, m, ctx, callee)) return;
    const obj = unwrap(callee.object);
    if (m === 'Boom' && obj.type === 'Identifier' && /boom/i.test(obj.name)) {
      const opts = node.arguments[1];
      const st = opts ? findProp(opts, 'statusCode') : undefined;
      const statuses = st ? statusValues(st.value as Node, facts.bindings) : undefined;
      if (statuses) facts.emissions.push(base(ctx, node, st!.value as Node, statuses, 'boom', 'hapi', noInline(), st!.value as Node));
      return;
    }
    const known = KNOWN_CLASSES[m];
    if (known && obj.type === 'Identifier' && facts.importNames.has(obj.name)) {
      facts.emissions.push(base(ctx, node, callee.property, [known.status], known.kind, known.framework, noInline()));
    }
    return;
  }
  if (callee.type !== 'Identifier') return;
  const name = callee.name;
  if (name === 'HttpException') {
    const statusArg = node.arguments[1];
    const statuses = statusArg ? statusOrParam(statusArg, ctx, node) : undefined;
    if (statuses) facts.emissions.push(base(ctx, node, statusArg!, statuses, 'nest-exception', 'nestjs', noInline(), statusArg));
    return;
  }
  if (name === 'HTTPException') {
    const statusArg = node.arguments[0];
    const statuses = statusArg ? statusOrParam(statusArg, ctx, node) : undefined;
    if (!statuses) return;
    const opts = node.arguments[1];
    const inline = noInline();
    if (opts && (findProp(opts, 'res') || unwrap(opts).type !== 'ObjectExpression')) {
      inline.www = 'may';
      inline.proxy = 'may';
    }
    facts.emissions.push(base(ctx, node, statusArg!, statuses, 'hono-exception', 'hono', inline, statusArg));
    return;
  }
  const local = facts.errorClasses.get(name);
  if (local) {
    facts.emissions.push(base(ctx, node, callee, [local.status], 'http-error', 'generic', { ...local.inline, values: [...local.inline.values] }));
    return;
  }
  const known = KNOWN_CLASSES[name];
  const mod = facts.importNames.get(name);
  if (known && mod && !mod.startsWith('.')) {
    if (known.kind === 'nest-exception' && mod !== '@nestjs/common') return;
    facts.emissions.push(base(ctx, node, callee, [known.status], known.kind, known.framework, noInline()));
    return;
  }
  if (known && known.kind === 'nest-exception' && !mod && [...facts.imports].some((i) => i.startsWith('@nestjs/'))) {
    facts.emissions.push(base(ctx, node, callee, [known.status], known.kind, known.framework, noInline()));
  }
}

const BOOM: Record<string, number> = { unauthorized: 401, forbidden: 403, proxyAuthRequired: 407 };

/** Boom.unauthorized(message?, scheme?, attributes?), Boom.forbidden(), Boom.proxyAuthRequired(). */
export function boomEmission(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, m: string, ctx: Ctx): boolean {
  const obj = unwrap(callee.object);
  if (obj.type !== 'Identifier' || !/^boom$/i.test(obj.name)) return false;
  const status = BOOM[m];
  if (status === undefined) return true;
  const inline = noInline();
  if (status === 401) {
    const [message, scheme, attrs] = call.arguments;
    if (scheme) {
      const s = unwrap(scheme);
      if (s.type === 'ArrayExpression') {
        inline.www = 'yes';
        for (const el of s.elements) {
          if (!el || el.type === 'SpreadElement') continue;
          const v = staticString(el, ctx.facts.bindings);
          if (v) inline.values.push({ node: el, value: v, header: 'www' });
        }
      } else {
        inline.www = 'yes';
        const sv = staticString(s, ctx.facts.bindings);
        if (sv && sv.exact) {
          // What Boom builds: `<scheme> k="v", ..., error="<message>"`.
          const parts: string[] = [];
          let opaque = false;
          if (attrs) {
            const props = unwrap(attrs);
            if (props.type === 'ObjectExpression') {
              for (const p of props.properties) {
                if (p.type !== 'Property' || p.key.type !== 'Identifier') {
                  opaque = true;
                  continue;
                }
                const v = staticString(p.value as Node, ctx.facts.bindings);
                parts.push(`${p.key.name}="${v && v.exact ? v.text : 'x'}"`);
                if (!v || !v.exact) opaque = true;
              }
            } else opaque = true;
          }
          const msg = message ? unwrap(message) : undefined;
          if (msg && !(msg.type === 'Literal' && msg.value === null) && !(msg.type === 'Identifier' && msg.name === 'undefined')) {
            const mv = staticString(msg, ctx.facts.bindings);
            if (mv && mv.exact) parts.push(`error="${mv.text}"`);
            else opaque = true;
          }
          if (!opaque) {
            const text = parts.length ? `${sv.text} ${parts.join(', ')}` : sv.text;
            inline.values.push({ node: scheme, value: { text, opaque: [], exact: true }, header: 'www' });
          }
        } else if (!sv) {
          inline.www = 'may';
        }
      }
    }
  }
  ctx.facts.emissions.push({
    kind: 'boom',
    framework: 'hapi',
    statuses: [status],
    anchor: callee,
    node: call,
    receiver: declaredName(call),
    fn: ctx.fnOf(call),
    commits: true,
    commitAt: call.range[0],
    thrown: true,
    inline,
    chainTop: chainOf(call).top,
  } as Emission);
  return true;
}

/** A class of the file that declares a status: `class AuthError extends Error { status = 401 }`. */
export function collectErrorClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, facts: FileFacts): void {
  if (!node.id || !node.superClass) return;
  let status: number | undefined;
  const inline = noInline();
  for (const el of node.body.body) {
    if (el.type === 'PropertyDefinition' && el.key.type === 'Identifier' && (el.key.name === 'status' || el.key.name === 'statusCode') && el.value) {
      status = statusValues(el.value, facts.bindings)?.[0] ?? status;
    }
    if (el.type === 'PropertyDefinition' && el.key.type === 'Identifier' && el.key.name === 'headers' && el.value) headersFrom(el.value, facts.bindings, inline);
    if (el.type === 'MethodDefinition' && el.kind === 'constructor' && el.value.body) {
      for (const st of el.value.body.body) {
        if (st.type !== 'ExpressionStatement') continue;
        const e = st.expression;
        if (e.type === 'AssignmentExpression' && e.left.type === 'MemberExpression' && e.left.object.type === 'ThisExpression') {
          const p = propName(e.left);
          if (p === 'status' || p === 'statusCode') status = statusValues(e.right, facts.bindings)?.[0] ?? status;
          if (p === 'headers') headersFrom(e.right, facts.bindings, inline);
        }
        if (e.type === 'CallExpression' && e.callee.type === 'Super') {
          for (const a of e.arguments) {
            const v = statusValues(a, facts.bindings);
            if (v && v.length === 1 && v[0]! >= 400 && v[0]! < 600) status = v[0];
          }
        }
      }
    }
  }
  if (status !== undefined) facts.errorClasses.set(node.id.name, { status, inline });
}
