// Emissions and header writes made by calls: res.status(401), reply.code(401), ctx.throw(401),
// c.json(x, 401), createError(401), Boom.unauthorized(), new Response(b, {status: 401})...
import { nullProto } from '../lookup';
import type { TSESTree } from '@typescript-eslint/types';
import { calleeName, enclosingFunction, findProp, parentOf, propName, rootName, someNode, unwrap, type FunctionLike, type Node } from '../ast';
import { staticString, statusValues } from '../constants';
import type { Ctx } from '../collect';
import { headerNameKind, headersFrom } from '../headers';
import { noInline, type Emission, type EmissionKind, type Framework, type Inline } from '../model';
import { bodyArg, chainOf, commitPosition } from './chain';
import { boomEmission, errorFactoryEmission, newErrorEmission, thrownEmission } from './errors';
import { statusOrParam } from './templates';

/** Roots that are assertion libraries, HTTP clients or mocks: their calls are never emissions. */
const BLOCKED_ROOTS = new Set([
  'expect', 'assert', 'should', 'chai', 'sinon', 'nock', 'axios', 'supertest', 'request', 'agent', 'cy', 'jest', 'vi',
  'mock', 'fetch', 'got', 'superagent', 'client', 'HttpResponse', 'route', 'page', 'req', 'this.req', 'ky', 'wrapper',
]);

const STATUS_METHODS = new Set(['status', 'code', 'setStatusCode', 'setStatus']);
const HELPER_METHODS = new Set(['json', 'text', 'body', 'html', 'newResponse']);
const SETTERS = new Set(['set', 'header', 'setHeader', 'append', 'appendHeader']);
const SENSIBLE: Record<string, number> = nullProto({
  unauthorized: 401,
  forbidden: 403,
  proxyAuthenticationRequired: 407,
  getForbidden: 403,
});

export function frameworkOf(root: string | undefined, ctx: Ctx): Framework {
  const im = ctx.facts.imports;
  const has = (re: RegExp) => [...im].some((m) => re.test(m));
  if (root === 'c' || has(/^hono($|\/)/)) return 'hono';
  if (root === 'reply' || root === 'rep' || has(/^fastify$/)) return 'fastify';
  if (root === 'h') return 'hapi';
  if ((root === 'ctx' || root === 'context') && (has(/^koa($|-)|^@koa\//) || !has(/^express$/))) return 'koa';
  if (has(/^next($|\/)/) && (root === 'res' || root === 'response')) return 'node-http';
  if (has(/^(express|router|restify)$/)) return 'express';
  if (has(/^(node:)?https?2?$/)) return 'node-http';
  return 'express';
}

export function recogniseCall(call: TSESTree.CallExpression, ctx: Ctx): void {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') {
    if (!errorFactoryEmission(call, callee.name, ctx)) errorBuilderEmission(call, callee.name, ctx);
    if (callee.name === 'assert' && ctx.facts.importNames.get('assert') === 'http-assert') koaThrow(call, 1, ctx, 'assert');
    return;
  }
  if (callee.type !== 'MemberExpression') return;
  const m = propName(callee);
  if (!m) return;
  const root = rootName(callee.object);
  if (root && BLOCKED_ROOTS.has(root)) return;
  if (boomEmission(call, callee, m, ctx)) return;
  if (responseStatic(call, ctx)) return;
  if (errorFactoryEmission(call, m, ctx, callee)) return;

  // Header writes on a response (not reads on a request: c.req.header('x'), req.get('x')).
  const target = writeTarget(callee.object, root);
  if (target && SETTERS.has(m)) headerWrite(call, target, m, ctx);
  if (target && m === 'headers' && call.arguments.length === 1) objectWrite(call, call.arguments[0]!, target, ctx);

  if (!root) {
    // h.response(x).code(401) has a root ('h'); a bare call result such as f().status(401) does not.
    return;
  }
  const arg0 = call.arguments[0];
  if (STATUS_METHODS.has(m) && call.arguments.length === 1 && arg0) {
    if (m === 'status' && propName(unwrap(callee.object)) === 'headers') return;
    emitOnReceiver(call, arg0, 'status-call', root, ctx);
  } else if (m === 'sendStatus' && arg0) {
    emitOnReceiver(call, arg0, 'send-status', root, ctx, true);
  } else if (m === 'writeHead' && arg0) {
    // writeHead(status[, statusMessage][, headers]): a reason phrase is a string, however it is built
    const headersArg = call.arguments.find((a, i) => i > 0 && i < 3 && !stringValued(a));
    const inline = headersArg ? headersFrom(headersArg, ctx.facts.bindings) : noInline();
    emitOnReceiver(call, arg0, 'write-head', root, ctx, true, inline, 'node-http');
  } else if (m === 'respond' && arg0) {
    const st = findProp(arg0, ':status');
    if (st) emitOnReceiver(call, st.value as Node, 'write-head', root, ctx, true, headersFrom(arg0, ctx.facts.bindings), 'node-http');
  } else if ((m === 'send' || m === 'json') && arg0 && statusValues(arg0, ctx.facts.bindings) && call.arguments.length <= 3) {
    // Express 4's deprecated res.send(401[, body]) / res.json(401, body); restify res.send(401, body, headers)
    if (unwrap(arg0).type === 'Literal' || call.arguments.length > 1) {
      const inline = call.arguments[2] ? headersFrom(call.arguments[2], ctx.facts.bindings) : noInline();
      emitOnReceiver(call, arg0, 'send-status', root, ctx, true, inline);
    }
  } else if (HELPER_METHODS.has(m) && call.arguments.length >= 2) {
    honoHelper(call, root, ctx);
  } else if ((m === 'throw' || m === 'assert') && (root === 'ctx' || root === 'context' || root === 'this')) {
    koaThrow(call, m === 'assert' ? 1 : 0, ctx, m);
  } else if (SENSIBLE[m] !== undefined && root !== 'Boom') {
    const kind: EmissionKind = 'sensible';
    push(ctx, {
      kind,
      framework: frameworkOf(root, ctx) === 'koa' ? 'koa' : 'fastify',
      statuses: [SENSIBLE[m]!],
      anchor: callee,
      node: call,
      receiver: root,
      fn: ctx.fnOf(call),
      commits: true,
      thrown: true,
      inline: noInline(),
      chainTop: chainOf(call).top,
      // reply.unauthorized() of @fastify/sensible; ctx.unauthorized() of Strapi's Koa context
      needsPackage: ['@fastify/sensible', 'fastify-sensible', '@strapi/strapi', '@strapi/utils'],
    });
  }
}

/** A string however built: a literal, a template, or a concatenation with a string literal in it. */
export function stringValued(n: Node): boolean {
  const u = unwrap(n);
  if (u.type === 'Literal') return true;
  if (u.type === 'TemplateLiteral') return true;
  if (u.type === 'BinaryExpression' && u.operator === '+') return stringValued(u.left as Node) || stringValued(u.right);
  return false;
}

/** `Response`, `NextResponse`, and their compiled forms `server_1.NextResponse`. */
function responseClassName(n: Node): string | undefined {
  const u = unwrap(n);
  const name = u.type === 'Identifier' ? u.name : u.type === 'MemberExpression' && unwrap(u.object).type === 'Identifier' ? propName(u) : undefined;
  return name === 'Response' || name === 'NextResponse' ? name : undefined;
}

export function recogniseNew(node: TSESTree.NewExpression, ctx: Ctx): void {
  newErrorEmission(node, ctx);
  const name = responseClassName(node.callee);
  if (name === 'Response' || name === 'NextResponse') responseInit(node, node.arguments[1], ctx);
}

/** Response.json(b, init), NextResponse.json(b, init): called as calls, handled here too. */
export function responseStatic(call: TSESTree.CallExpression, ctx: Ctx): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return false;
  const obj = responseClassName(callee.object);
  const m = propName(callee);
  if (obj && m === 'json') {
    responseInit(call, call.arguments[1], ctx);
    return true;
  }
  return false;
}

function responseInit(node: TSESTree.NewExpression | TSESTree.CallExpression, init: Node | undefined, ctx: Ctx): void {
  if (!init) return;
  const st = findProp(init, 'status');
  if (!st) return;
  const statuses = statusOrParam(st.value as Node, ctx, node);
  if (!statuses) return;
  const h = findProp(init, 'headers');
  const inline = h ? headersFrom(h.value as Node, ctx.facts.bindings) : noInline();
  // const r = new Response(...): headers set later on r.headers count until it is returned.
  const receiver = declaredName(node);
  const body = node.arguments[0];
  push(ctx, {
    kind: 'response-init',
    framework: 'web-response',
    statuses,
    anchor: st.value as Node,
    statusNode: st.value as Node,
    node,
    receiver,
    fn: ctx.fnOf(node),
    commits: receiver === undefined,
    thrown: false,
    inline,
    bodyError: body ? errorField(body) : undefined,
    chainTop: node,
  });
}

export function declaredName(node: Node): string | undefined {
  let cur: Node = node;
  let par = parentOf(cur);
  while (par && (par.type === 'AwaitExpression' || par.type === 'TSAsExpression')) {
    cur = par;
    par = parentOf(par);
  }
  if (par && par.type === 'VariableDeclarator' && par.id.type === 'Identifier') return par.id.name;
  return undefined;
}

function emitOnReceiver(
  call: TSESTree.CallExpression,
  statusArg: Node,
  kind: EmissionKind,
  root: string,
  ctx: Ctx,
  commitsItself = false,
  inline: Inline = noInline(),
  framework?: Framework,
): void {
  const statuses = statusOrParam(statusArg, ctx, call);
  if (!statuses) {
    // res.status(result.status): the status a function of the file returned, resolved after the walk
    if (carrier(statusArg, ctx)) ctx.facts.pendingCarried.push({ call, statusArg, kind, root, commitsItself, inline, framework });
    return;
  }
  const chain = chainOf(call);
  // res.set(challenge).sendStatus(401): the response is sent at `sendStatus`, after the set
  const commitAt = commitsItself ? (call.callee as TSESTree.MemberExpression).property.range[0] : commitPosition(chain);
  const inner = unwrap((call.callee as TSESTree.MemberExpression).object);
  const body = bodyArg(chain) ?? (inner.type === 'CallExpression' && calleeName(inner) === 'response' ? inner.arguments[0] : undefined);
  push(ctx, {
    kind,
    framework: framework ?? frameworkOf(root, ctx),
    statuses,
    anchor: statusArg,
    statusNode: statusArg,
    node: call,
    receiver: root,
    fn: ctx.fnOf(call),
    commits: commitAt !== undefined,
    commitAt,
    thrown: false,
    inline,
    bodyError: body ? errorField(body) : undefined,
    chainTop: chain.top,
  } as Emission);
}

export interface PendingCarried {
  call: TSESTree.CallExpression;
  statusArg: Node;
  kind: EmissionKind;
  root: string;
  commitsItself: boolean;
  inline: Inline;
  framework?: Framework;
}

/** `result.status` where `result = await f(...)`, or `status` where `const { status } = f(...)`: the call and the key. */
function carrier(statusArg: Node, ctx: Ctx): { call: TSESTree.CallExpression; key: string } | undefined {
  const b = ctx.facts.bindings;
  const a = unwrap(statusArg);
  let from: Node | undefined;
  let key: string | undefined;
  if (a.type === 'MemberExpression' && !a.computed && unwrap(a.object).type === 'Identifier') {
    from = b.initOf(unwrap(a.object) as TSESTree.Identifier);
    key = propName(a);
  } else if (a.type === 'Identifier') {
    const picked = b.pickedFrom(a);
    if (picked) {
      from = picked.from;
      key = picked.key;
    }
  }
  let f = from && unwrap(from);
  if (f && f.type === 'AwaitExpression') f = unwrap(f.argument);
  if (!f || f.type !== 'CallExpression' || unwrap(f.callee).type !== 'Identifier' || !key) return undefined;
  return { call: f, key };
}

/**
 * `const result = await login(body); res.status(result.status).json(result)` with `login` a function
 * of the file that returns `{ status: 401, ... }` on some path: each such returned status is sent
 * here. The emission is anchored on the returned status and guarded by the return's conditions.
 */
export function carriedEmissions(p: PendingCarried, ctx: Ctx): void {
  const c = carrier(p.statusArg, ctx);
  if (!c) return;
  const fns = ctx.facts.functions.get((unwrap(c.call.callee) as TSESTree.Identifier).name);
  if (!fns || fns.length !== 1) return;
  const F = fns[0]!;
  const returned: Node[] = [];
  if (F.body.type !== 'BlockStatement') returned.push(F.body);
  else {
    const stack: Node[] = [F.body];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n !== F.body && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'ClassBody')) continue;
      if (n.type === 'ReturnStatement') {
        if (n.argument) returned.push(n.argument);
        continue;
      }
      for (const k of Object.keys(n)) {
        if (k === 'parent') continue;
        const v = (n as unknown as Record<string, unknown>)[k];
        if (Array.isArray(v)) for (const x of v) { if (x && typeof x === 'object' && 'type' in x) stack.push(x as Node); }
        else if (v && typeof v === 'object' && 'type' in (v as object)) stack.push(v as Node);
      }
    }
  }
  const chain = chainOf(p.call);
  const commitAt = p.commitsItself ? (p.call.callee as TSESTree.MemberExpression).property.range[0] : commitPosition(chain);
  for (const r of returned) {
    const obj = unwrap(r);
    if (obj.type !== 'ObjectExpression') continue;
    const prop = findProp(obj, c.key);
    if (!prop) continue;
    // `return { statusCode, body }` where `let statusCode = 500` is assigned 401 on some branch:
    // each assignment of a status is a path on which that status is returned
    const sources: Array<[Node, Node]> = [[prop.value as Node, r]];
    const v = unwrap(prop.value as Node);
    if (v.type === 'Identifier' && !statusValues(v, ctx.facts.bindings)) {
      for (const w of localWrites(F, v.name)) sources.push([w.right, w]);
    }
    for (const [valueNode, at] of sources) {
    const statuses = statusValues(valueNode, ctx.facts.bindings);
    if (!statuses) continue;
    push(ctx, {
      kind: p.kind,
      framework: p.framework ?? frameworkOf(p.root, ctx),
      statuses,
      anchor: valueNode,
      statusNode: valueNode,
      node: p.call,
      receiver: p.root,
      fn: ctx.fnOf(p.call),
      commits: commitAt !== undefined,
      commitAt,
      thrown: false,
      inline: p.inline,
      chainTop: chain.top,
      guardAt: at,
    } as Emission);
    }
  }
}

/** The plain assignments `name = value` in F's own body (not in nested functions), when `name` is a `let` of F. */
function localWrites(F: FunctionLike, name: string): TSESTree.AssignmentExpression[] {
  const out: TSESTree.AssignmentExpression[] = [];
  let declared = false;
  someNode(F.body, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === name && enclosingFunction(n) === F) declared = (parentOf(n) as TSESTree.VariableDeclaration).kind !== 'const';
    if (n.type === 'AssignmentExpression' && n.operator === '=' && n.left.type === 'Identifier' && n.left.name === name && enclosingFunction(n) === F) out.push(n);
    return false;
  });
  return declared ? out : [];
}

function honoHelper(call: TSESTree.CallExpression, root: string, ctx: Ctx): void {
  const [body, second, third] = call.arguments;
  if (!second) return;
  let statusNode: Node | undefined;
  let inline = noInline();
  const s = unwrap(second);
  if (s.type === 'ObjectExpression') {
    const st = findProp(s, 'status');
    if (!st) return;
    statusNode = st.value as Node;
    const h = findProp(s, 'headers');
    if (h) inline = headersFrom(h.value as Node, ctx.facts.bindings);
  } else {
    statusNode = second;
    if (third) inline = headersFrom(third, ctx.facts.bindings);
  }
  const statuses = statusOrParam(statusNode, ctx, call);
  if (!statuses) return;
  push(ctx, {
    kind: 'helper-response',
    framework: 'hono',
    statuses,
    anchor: statusNode,
    statusNode,
    node: call,
    receiver: root,
    fn: ctx.fnOf(call),
    commits: true,
    commitAt: call.range[0],
    thrown: false,
    inline,
    bodyError: body ? errorField(body) : undefined,
    chainTop: chainOf(call).top,
  } as Emission);
}

function koaThrow(call: TSESTree.CallExpression, from: number, ctx: Ctx, method: string): void {
  const args = call.arguments.slice(from);
  let statusNode: Node | undefined;
  let inline = noInline();
  for (const a of args) {
    if (!statusNode && statusOrParam(a, ctx, call, /status|code/i)) statusNode = a;
    else if (unwrap(a).type === 'ObjectExpression') {
      const h = findProp(a, 'headers');
      if (h) inline = headersFrom(h.value as Node, ctx.facts.bindings);
    } else if (unwrap(a).type === 'Identifier' && /props|opts|options|headers|extra|init/i.test((unwrap(a) as TSESTree.Identifier).name)) {
      inline.www = 'may';
      inline.proxy = 'may';
    }
  }
  if (!statusNode) return;
  void method;
  const root = rootName(unwrap(call.callee));
  push(ctx, {
    kind: 'koa-throw',
    framework: 'koa',
    statuses: statusOrParam(statusNode, ctx, call, /status|code/i)!,
    anchor: statusNode,
    statusNode,
    node: call,
    receiver: root,
    fn: ctx.fnOf(call),
    commits: true,
    commitAt: call.range[0],
    thrown: true,
    inline,
    chainTop: call,
  } as Emission);
}

/** The response a header call writes on: its root name, '@response' for getResponse() results, none for requests. */
function writeTarget(object: Node, root: string | undefined): string | undefined {
  for (let n: Node = unwrap(object); ; ) {
    if (n.type === 'CallExpression') {
      const name = calleeName(n);
      if (name === 'getResponse' || name === 'response') return name === 'getResponse' ? '@response' : root;
      n = unwrap(n.callee);
    } else if (n.type === 'MemberExpression') {
      const p = propName(n);
      if (p === 'req' || p === 'request' || p === 'requestHeaders') return undefined;
      n = unwrap(n.object);
    } else break;
  }
  if (root === 'req' || root === 'request') return undefined;
  return root;
}

function headerWrite(call: TSESTree.CallExpression, root: string, m: string, ctx: Ctx): void {
  const [name, value] = call.arguments;
  if (!name) return;
  const fn = ctx.fnOf(call);
  const koa = (root === 'ctx' || root === 'context') && (m === 'set' || m === 'append');
  if (call.arguments.length === 1) {
    const n = unwrap(name);
    if ((m === 'set' || m === 'header') && n.type !== 'Literal' && n.type !== 'TemplateLiteral') objectWrite(call, name, root, ctx, koa);
    return;
  }
  const kind = headerNameKind(name, ctx.facts.bindings);
  if (kind === 'other') return;
  const arr = value ? unwrap(value) : undefined;
  if (arr && arr.type === 'ArrayExpression' && kind !== 'unknown') {
    // res.setHeader('WWW-Authenticate', ['Basic realm="a"', 'Bearer']): one field line each
    for (const el of arr.elements) {
      if (!el || el.type === 'SpreadElement') continue;
      const v = staticString(el, ctx.facts.bindings);
      ctx.facts.writes.push({ header: kind, receiver: root, fn, node: call, end: call.range[1], value: v ? { node: el, value: v, header: kind } : undefined, koa });
    }
    if (arr.elements.length > 0) return;
  }
  const sv = value ? staticString(value, ctx.facts.bindings) : undefined;
  ctx.facts.writes.push({
    header: kind,
    receiver: root,
    fn,
    node: call,
    end: call.range[1],
    value: sv && kind !== 'unknown' && value ? { node: value, value: sv, header: kind } : undefined,
    koa,
  });
}

function objectWrite(call: TSESTree.CallExpression, obj: Node, root: string, ctx: Ctx, koa = false): void {
  const inline = headersFrom(obj, ctx.facts.bindings);
  const fn = ctx.fnOf(call);
  for (const kind of ['www', 'proxy'] as const) {
    if (inline[kind] === 'none') continue;
    const values = inline.values.filter((v) => v.header === kind);
    ctx.facts.writes.push({
      header: inline[kind] === 'yes' ? kind : 'unknown',
      receiver: root,
      fn,
      node: call,
      end: call.range[1],
      value: values[0],
      koa,
    });
  }
}

/** `{ error: 'insufficient_scope' }` in a JSON body: the string literal node. */
export function errorField(body: Node): Node | undefined {
  const p = findProp(body, 'error');
  if (!p) return undefined;
  const v = unwrap(p.value as Node);
  return v.type === 'Literal' && typeof v.value === 'string' ? v : undefined;
}

export function push(ctx: Ctx, e: Emission): void {
  ctx.facts.emissions.push(e);
}

/** `buildErrObject(401, 'UNAUTHORIZED')`, `makeHttpError(403)`: a factory named for the error it builds. */
const ERROR_BUILDER = /^(build|make|create|new|get|to)?[A-Za-z]*(Err|Error|Exception)(Obj|Object)?$/;
const NOT_A_BUILDER = /^(handle|send|respond|log|report|render|format|is|on|catch|throw|emit|print|show|write|set|process)/i;

function errorBuilderEmission(call: TSESTree.CallExpression, name: string, ctx: Ctx): void {
  if (!ERROR_BUILDER.test(name) || NOT_A_BUILDER.test(name) || name === 'Error') return;
  const statusArg = call.arguments.find((a) => {
    const u = unwrap(a);
    const v = statusValues(u, ctx.facts.bindings);
    return v && v.length === 1 && (v[0] === 401 || v[0] === 403 || v[0] === 407);
  });
  if (!statusArg) return;
  push(ctx, thrownEmission(ctx, call, statusArg, statusValues(statusArg, ctx.facts.bindings)!, 'http-error', 'generic', noInline(), statusArg));
}
