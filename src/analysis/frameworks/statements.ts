// Emissions made by assignments and returns: res.statusCode = 401, ctx.status = 401,
// err.status = 401 on a thrown error, R.headers[...] = challenge, Lambda-style
// `return { statusCode: 401, headers }`, and a NestJS guard's `return false`.
import type { TSESTree } from '@typescript-eslint/types';
import { findProp, keyName, parentOf, propName, rootName, someNode, unwrap, isFunction, type FunctionLike, type Node } from '../ast';
import { staticString, statusValues } from '../constants';
import type { Ctx } from '../collect';
import { headerNameKind, headersFrom } from '../headers';
import { noInline, type Emission } from '../model';
import { errorField, frameworkOf } from './calls';
import { statusOrParam } from './templates';

export function recogniseAssignment(a: TSESTree.AssignmentExpression, ctx: Ctx): void {
  if (a.operator !== '=' || a.left.type !== 'MemberExpression') return;
  const left = a.left;
  const p = propName(left);
  const obj = unwrap(left.object);
  // R.headers['WWW-Authenticate'] = v ; R.headers = {...}
  if (obj.type === 'MemberExpression' && propName(obj) === 'headers') {
    const root = rootName(obj);
    const keyNode = left.computed ? left.property : undefined;
    const kind = keyNode ? headerNameKind(keyNode, ctx.facts.bindings) : p ? (p.toLowerCase() === 'www-authenticate' ? 'www' : 'other') : 'unknown';
    if (root && kind !== 'other') {
      const sv = staticString(a.right, ctx.facts.bindings);
      ctx.facts.writes.push({
        header: kind,
        receiver: root,
        fn: ctx.fnOf(a),
        node: a,
        end: a.range[1],
        value: sv && kind !== 'unknown' ? { node: a.right, value: sv, header: kind } : undefined,
        koa: false,
      });
    }
    return;
  }
  if (p === 'headers') {
    const root = rootName(left);
    if (!root) return;
    const inline = headersFrom(a.right, ctx.facts.bindings);
    for (const kind of ['www', 'proxy'] as const) {
      if (inline[kind] === 'none') continue;
      ctx.facts.writes.push({ header: inline[kind] === 'yes' ? kind : 'unknown', receiver: root, fn: ctx.fnOf(a), node: a, end: a.range[1], value: inline.values.find((v) => v.header === kind), koa: false });
    }
    return;
  }
  if (p === 'body') {
    const root = rootName(left.object);
    const err = errorField(a.right);
    if (root && err) ctx.facts.bodies.push({ receiver: root, node: a, error: err });
    return;
  }
  if (p !== 'status' && p !== 'statusCode') return;
  if (obj.type === 'ThisExpression') return; // an error class declaring its status
  const root = rootName(left.object);
  if (!root || root.startsWith('this.')) return;
  const statuses = statusOrParam(a.right, ctx, a);
  if (!statuses) return;
  const fn = ctx.fnOf(a);
  if (isThrownName(root, fn, obj)) {
    ctx.facts.emissions.push({
      kind: 'error-assign',
      framework: 'generic',
      statuses,
      anchor: a.right,
      statusNode: a.right,
      node: a,
      receiver: root,
      fn,
      commits: false,
      thrown: true,
      inline: noInline(),
      chainTop: a,
    } as Emission);
    return;
  }
  const fw = p === 'statusCode' ? (root === 'reply' ? 'fastify' : 'node-http') : frameworkOf(root, ctx);
  ctx.facts.emissions.push({
    kind: 'status-assign',
    framework: fw,
    statuses,
    anchor: a.right,
    statusNode: a.right,
    node: a,
    receiver: root,
    fn,
    commits: false,
    thrown: false,
    inline: noInline(),
    chainTop: a,
  });
}

/** `const err = new Error(); err.status = 401; throw err` / `next(err)`. */
function isThrownName(name: string, fn: FunctionLike | null, obj: Node): boolean {
  if (obj.type !== 'Identifier' || !fn) return false;
  const isName = (n: Node | null | undefined) => !!n && unwrap(n).type === 'Identifier' && (unwrap(n) as TSESTree.Identifier).name === name;
  return someNode(fn.body, (n) => {
    if ((n.type === 'ReturnStatement' || n.type === 'ThrowStatement') && isName(n.argument)) return true;
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && /^(next|reject|done|cb|callback)$/.test(n.callee.name) && n.arguments.some((x) => isName(x as Node))) return true;
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === name && n.init && unwrap(n.init).type === 'NewExpression') {
      const c = (unwrap(n.init) as TSESTree.NewExpression).callee;
      return c.type === 'Identifier' && /Error$/.test(c.name);
    }
    return false;
  });
}

export function recogniseReturn(r: TSESTree.ReturnStatement, ctx: Ctx): void {
  if (!r.argument) return;
  const arg = unwrap(r.argument);
  const fn = ctx.fnOf(r);
  if (arg.type === 'Literal' && arg.value === false && fn && isCanActivate(fn)) {
    ctx.facts.emissions.push({
      kind: 'nest-guard',
      framework: 'nestjs',
      statuses: [403],
      anchor: arg,
      node: r,
      fn,
      commits: true,
      commitAt: r.range[0],
      thrown: true,
      inline: noInline(),
      chainTop: r,
    } as Emission);
    return;
  }
}

const LAMBDA_KEYS = new Set(['statusCode', 'body', 'headers', 'multiValueHeaders', 'isBase64Encoded', 'cookies', 'statusDescription']);

/** `{ statusCode: 401, headers, body }`: an AWS Lambda / API Gateway response (only those keys). */
export function recogniseLambdaObject(obj: TSESTree.ObjectExpression, ctx: Ctx): void {
  const st = findProp(obj, 'statusCode');
  if (!st) return;
  const keys = obj.properties.map((p) => (p.type === 'Property' ? keyName(p) : undefined));
  if (keys.some((k) => k === undefined || !LAMBDA_KEYS.has(k))) return;
  const parent = parentOf(obj);
  if (!findProp(obj, 'body') && !findProp(obj, 'headers') && !(parent && parent.type === 'ReturnStatement')) return;
  const statuses = statusValues(st.value as Node, ctx.facts.bindings);
  if (!statuses) return;
  const h = findProp(obj, 'headers');
  const mh = findProp(obj, 'multiValueHeaders');
  const inline = h ? headersFrom(h.value as Node, ctx.facts.bindings) : noInline();
  if (mh) headersFrom(mh.value as Node, ctx.facts.bindings, inline);
  ctx.facts.emissions.push(objectEmission(obj, st, statuses, inline, 'response-init', false, ctx));
}

/** An emission made by an object literal that carries its own status property. */
function objectEmission(obj: TSESTree.ObjectExpression, st: TSESTree.Property, statuses: number[], inline: Emission['inline'], kind: Emission['kind'], thrown: boolean, ctx: Ctx): Emission {
  const status = st.value as Node;
  return { kind, framework: 'generic', statuses, anchor: status, statusNode: status, node: obj, fn: ctx.fnOf(obj), commits: true, commitAt: obj.range[0], thrown, inline, chainTop: obj };
}

function isCanActivate(fn: FunctionLike): boolean {
  const p = parentOf(fn);
  if (p && p.type === 'MethodDefinition' && p.key.type === 'Identifier') return p.key.name === 'canActivate';
  if (p && p.type === 'Property' && p.key.type === 'Identifier') return p.key.name === 'canActivate';
  // an arrow inside canActivate (e.g. a callback) is not the guard's own return
  return isFunction(fn) && false;
}

/** `throw { status: 401, message }`, `next({ statusCode: 401 })`: a plain object handed to the error pipeline. */
export function recogniseThrownObject(obj: TSESTree.ObjectExpression, ctx: Ctx): void {
  const parent = parentOf(obj);
  const thrown =
    (parent && parent.type === 'ThrowStatement') ||
    (parent && parent.type === 'CallExpression' && parent.arguments[0] === obj && parent.callee.type === 'Identifier' && /^(next|reject|done|cb|callback)$/.test(parent.callee.name));
  if (!thrown) return;
  const st = findProp(obj, 'status') ?? findProp(obj, 'statusCode');
  if (!st) return;
  const statuses = statusValues(st.value as Node, ctx.facts.bindings);
  if (!statuses) return;
  const h = findProp(obj, 'headers');
  ctx.facts.emissions.push(objectEmission(obj, st, statuses, h ? headersFrom(h.value as Node, ctx.facts.bindings) : noInline(), 'http-error', true, ctx));
}
