// Error objects that carry a status into a framework's error pipeline: http-errors,
// NestJS exceptions, Boom, Hono's HTTPException, restify/express-jwt error classes,
// and the file's own error classes that declare a status.
import { atDefault } from '../config';
import { nullProto } from '../lookup';
import type { TSESTree } from '@typescript-eslint/types';
import { findProp, keyName, parentOf, propName, unwrap, type Node } from '../ast';
import { staticString, statusValues } from '../constants';
import type { Ctx, FileFacts } from '../collect';
import { headersFrom } from '../headers';
import { noInline, type Emission, type EmissionKind, type Framework, type Inline } from '../model';
import { chainOf } from './chain';
import { declaredName } from './calls';
import { statusOrParam } from './templates';

export interface ErrorClass {
  status?: number;
  /** Constructor parameter that becomes the status (`constructor(status, message)`). */
  statusParam?: number;
  /** A property of an options parameter that becomes the status (`constructor({ status, message })`). */
  statusKey?: { param: number; key: string };
  /**
   * The status looked up from a constructor argument: `this.statusCode = statusOf(code.split(':')[0])`
   * with `statusOf` a switch over string cases that return statuses.
   */
  statusMap?: StatusMap;
  inline: Inline;
}

/** A constructor argument, optionally split and indexed, looked up in a table of statuses. */
export interface StatusMap {
  param: number;
  split?: { sep: string; index: number };
  table: Record<string, number>;
}
export type ErrorClasses = Map<string, ErrorClass>;

/** `new X(...)` of a class whose status is known: at the status argument or the class name. */
export function classEmission(node: TSESTree.NewExpression, callee: Node, cls: ErrorClass, ctx: Ctx): Emission | undefined {
  const inline = { ...cls.inline, values: [...cls.inline.values] };
  let e: Emission | undefined;
  if (cls.statusMap) {
    const arg = node.arguments[cls.statusMap.param];
    const lit = arg ? unwrap(arg) : undefined;
    if (lit && lit.type === 'Literal' && typeof lit.value === 'string') {
      const m = cls.statusMap;
      const key = m.split ? lit.value.split(m.split.sep)[m.split.index] : lit.value;
      const status = key !== undefined && Object.prototype.hasOwnProperty.call(m.table, key) ? m.table[key] : undefined;
      if (status !== undefined) e = thrownEmission(ctx, node, arg!, [status], 'http-error', 'generic', inline);
    }
  } else if (cls.statusParam !== undefined) {
    const arg = node.arguments[cls.statusParam];
    const statuses = arg ? statusValues(arg, ctx.facts.bindings) : undefined;
    if (arg && statuses) e = thrownEmission(ctx, node, arg, statuses, 'http-error', 'generic', inline, arg);
  } else if (cls.statusKey) {
    // the options object given here, or the object a local binding was initialised with
    const arg = node.arguments[cls.statusKey.param];
    let obj = arg ? unwrap(arg) : undefined;
    if (obj && obj.type === 'Identifier') obj = ctx.facts.bindings.initOf(obj);
    const prop = obj && obj.type === 'ObjectExpression' ? findProp(obj, cls.statusKey.key) : undefined;
    const statuses = prop ? statusValues(prop.value as Node, ctx.facts.bindings) : undefined;
    if (prop && statuses) e = thrownEmission(ctx, node, prop.value as Node, statuses, 'http-error', 'generic', inline, prop.value as Node);
    else if (cls.status !== undefined) e = thrownEmission(ctx, node, callee, [cls.status], 'http-error', 'generic', inline);
  } else if (cls.status !== undefined) {
    e = thrownEmission(ctx, node, callee, [cls.status], 'http-error', 'generic', inline);
  }
  if (e) {
    e.ownClass = true;
    ctx.facts.emissions.push(e);
  }
  return e;
}

const HTTP_ERROR_NAMES: Record<string, number> = nullProto({
  Unauthorized: 401,
  Forbidden: 403,
  ProxyAuthenticationRequired: 407,
  '401': 401,
  '403': 403,
  '407': 407,
});

/** Exception classes known by name from packages, with their status. */
const KNOWN_CLASSES: Record<string, { status: number; framework: Framework; kind: EmissionKind }> = nullProto({
  UnauthorizedException: { status: 401, framework: 'nestjs', kind: 'nest-exception' },
  ForbiddenException: { status: 403, framework: 'nestjs', kind: 'nest-exception' },
  UnauthorizedError: { status: 401, framework: 'express', kind: 'http-error' },
  InvalidCredentialsError: { status: 401, framework: 'express', kind: 'http-error' },
  NotAuthorizedError: { status: 403, framework: 'express', kind: 'http-error' },
  ForbiddenError: { status: 403, framework: 'express', kind: 'http-error' },
  // @feathersjs/errors, @tsed/exceptions, ts-httpexceptions, @strapi/utils and similar
  NotAuthenticated: { status: 401, framework: 'generic', kind: 'http-error' },
  Unauthorized: { status: 401, framework: 'generic', kind: 'http-error' },
  UnauthenticatedError: { status: 401, framework: 'generic', kind: 'http-error' },
  NotAuthenticatedError: { status: 401, framework: 'generic', kind: 'http-error' },
  Forbidden: { status: 403, framework: 'generic', kind: 'http-error' },
  ProxyAuthenticationRequired: { status: 407, framework: 'generic', kind: 'http-error' },
});

/** GraphQL and RPC error classes share these names but do not set an HTTP status. */
const NON_HTTP_MODULES = /graphql|apollo|mercurius|trpc|grpc|type-graphql|nexus/i;

/** `new ApiError(401, 'msg')`, `new AppError('msg', 403)`: an error class given an auth status. */
const ERROR_CLASS_NAME = /^[A-Z]\w*(Error|Exception)$/;
const AUTH_STATUSES = new Set([401, 403, 407]);
/** Option keys that carry an error's HTTP status. */
const STATUS_KEY = /^(status|statusCode|httpStatus|httpCode)$/;
/** Client code describes statuses it received: `new FetchError(401)` there is not an emission. */
const CLIENT_PATH = /(^|[\\/])(client|clients|browser|frontend|sdk-client)[\\/]/i;

function isHttpErrorsName(name: string, facts: FileFacts): boolean {
  const mod = facts.importNames.get(name);
  if (mod) return mod === 'http-errors' || mod === '@fastify/sensible';
  if (facts.imports.has('@fastify/error') && !facts.imports.has('http-errors')) return false;
  return /^(createError|createHttpError|httpErrors|HttpErrors|createHttpErrors|HttpError)$/.test(name);
}

/** An error object handed to the framework's error pipeline, sent where it is made. */
export function thrownEmission(ctx: Ctx, node: Node, anchor: Node, statuses: number[], kind: EmissionKind, framework: Framework, inline: Inline, statusNode?: Node): Emission {
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
    facts.emissions.push(thrownEmission(ctx, call, statusArg, statusOrParam(statusArg, ctx, call, /status|code/i)!, 'http-error', 'http-errors', propsInline(call.arguments, ctx), statusArg));
    return true;
  }
  const obj = unwrap(callee.object);
  // compiled modules: (0, http_errors_1.default)(401), http_errors_1.default(401)
  const compiledDefault = name === 'default' && obj.type === 'Identifier' && facts.importNames.get(obj.name) === 'http-errors';
  if ((name === 'createError' && obj.type === 'Identifier' && /httpErrors/i.test(obj.name)) || compiledDefault) {
    const statusArg = call.arguments.find((a) => statusOrParam(a, ctx, call, /status|code/i));
    if (!statusArg) return false;
    facts.emissions.push(thrownEmission(ctx, call, statusArg, statusOrParam(statusArg, ctx, call, /status|code/i)!, 'http-error', 'http-errors', propsInline(call.arguments, ctx), statusArg));
    return true;
  }
  if (obj.type === 'Identifier' && isHttpErrorsName(obj.name, facts) && HTTP_ERROR_NAMES[name] !== undefined) {
    facts.emissions.push(thrownEmission(ctx, call, callee, [HTTP_ERROR_NAMES[name]!], 'http-error', 'http-errors', noInline()));
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
      if (statuses) facts.emissions.push(thrownEmission(ctx, node, st!.value as Node, statuses, 'boom', 'hapi', noInline(), st!.value as Node));
      return;
    }
    const known = KNOWN_CLASSES[m];
    const mod = obj.type === 'Identifier' ? facts.importNames.get(obj.name) : undefined;
    if (known && mod && !NON_HTTP_MODULES.test(mod)) {
      facts.emissions.push(thrownEmission(ctx, node, callee.property, [known.status], known.kind, known.framework, noInline()));
    } else if (mod && !NON_HTTP_MODULES.test(mod) && ERROR_CLASS_NAME.test(m) && !CLIENT_PATH.test(facts.fileName)) {
      const statusArg = authStatusArg(node, ctx);
      if (statusArg) facts.emissions.push(thrownEmission(ctx, node, statusArg, statusValues(statusArg, facts.bindings)!, 'http-error', 'generic', propsInline(node.arguments, ctx), statusArg));
    }
    return;
  }
  if (callee.type !== 'Identifier') return;
  const name = callee.name;
  const nestLike = facts.importNames.get(name) === '@nestjs/common' || (!facts.importNames.has(name) && !facts.errorClasses.has(name) && [...facts.imports].some((i) => i.startsWith('@nestjs/')));
  if (name === 'HttpException' && nestLike) {
    const statusArg = node.arguments[1];
    const statuses = statusArg ? statusOrParam(statusArg, ctx, node) : undefined;
    if (statuses) facts.emissions.push(thrownEmission(ctx, node, statusArg!, statuses, 'nest-exception', 'nestjs', noInline(), statusArg));
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
    facts.emissions.push(thrownEmission(ctx, node, statusArg!, statuses, 'hono-exception', 'hono', inline, statusArg));
    return;
  }
  const local = facts.errorClasses.get(name);
  if (local) {
    classEmission(node, callee, local, ctx);
    return;
  }
  const known = KNOWN_CLASSES[name];
  const mod = facts.importNames.get(name);
  if (mod && mod.startsWith('.') && !facts.factoryClasses.has(name)) {
    // the project's own class, whatever its name: resolved with every file's classes
    const statusArg = ERROR_CLASS_NAME.test(name) ? authStatusArg(node, ctx) : undefined;
    // a project class is judged by what it declares (resolved with every file's classes), never by its name
    if (statusArg) facts.emissions.push(thrownEmission(ctx, node, statusArg, statusValues(statusArg, facts.bindings)!, 'http-error', 'generic', propsInline(node.arguments, ctx), statusArg));
    else facts.pendingNews.push(node);
    return;
  }
  if (known && mod && !mod.startsWith('.') && !NON_HTTP_MODULES.test(mod)) {
    // `UnauthorizedException` from `@/errors`: a class of the package behind a path alias, resolved
    // with the package's classes (a module that is a dependency is never resolved)
    if (known.kind === 'nest-exception' && mod !== '@nestjs/common') {
      facts.pendingNews.push(node);
      return;
    }
    facts.emissions.push(thrownEmission(ctx, node, callee, [known.status], known.kind, known.framework, noInline()));
    return;
  }
  if (mod && NON_HTTP_MODULES.test(mod)) return;
  if (facts.factoryClasses.has(name)) return; // reported at its definition
  const named = statusFromName(name);
  if (named && !facts.errorClasses.has(name) && !(mod && NON_HTTP_MODULES.test(mod)) && !CLIENT_PATH.test(facts.fileName) && !KNOWN_CLASSES[name]) {
    // E_UNAUTHORIZED_ACCESS, UnauthorizedAccessError, ForbiddenResourceError: the name says the status
    facts.emissions.push(thrownEmission(ctx, node, callee, [named], 'http-error', 'generic', propsInline(node.arguments, ctx)));
    return;
  }
  if (ERROR_CLASS_NAME.test(name) && !KNOWN_CLASSES[name] && !CLIENT_PATH.test(facts.fileName)) {
    const statusArg = authStatusArg(node, ctx);
    if (statusArg) {
      facts.emissions.push(thrownEmission(ctx, node, statusArg, statusValues(statusArg, facts.bindings)!, 'http-error', 'generic', propsInline(node.arguments, ctx), statusArg));
      return;
    }
    // A class of another file of the project (relative or through a path alias): resolved once
    // every file's classes are known; a class of a dependency is not resolved there.
    if (!mod || !NON_HTTP_MODULES.test(mod)) facts.pendingNews.push(node);
    return;
  }
  if (known && known.kind === 'nest-exception' && !mod && [...facts.imports].some((i) => i.startsWith('@nestjs/'))) {
    facts.emissions.push(thrownEmission(ctx, node, callee, [known.status], known.kind, known.framework, noInline()));
  }
}

const BOOM: Record<string, number> = nullProto({ unauthorized: 401, forbidden: 403, proxyAuthRequired: 407 });

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
          // `settings.unauthorizedAttributes` with no default: no attributes at the default configuration (§D.10.1)
          const attrsAtDefault = attrs && unwrap(attrs).type !== 'ObjectExpression' ? atDefault(attrs, ctx.facts.bindings, call) : undefined;
          if (attrs && !(attrsAtDefault && (attrsAtDefault.v === undefined || attrsAtDefault.v === null))) {
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
    ...(/^(@hapi\/)?boom$/.test(ctx.facts.importNames.get(obj.name) ?? '') ? {} : { needsPackage: ['@hapi/boom', 'boom'] }),
  } as Emission);
  return true;
}

/** A class of the file that declares a status: `class AuthError extends Error { status = 401 }`. */
export function collectErrorClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, facts: FileFacts): void {
  if (!node.id || !node.superClass) return;
  let status: number | undefined;
  let statusParam: number | undefined;
  let statusKey: ErrorClass['statusKey'];
  let statusMap: StatusMap | undefined;
  const ctorParams: string[] = [];
  /** locals bound from a property of an options parameter: `constructor({ status })` */
  const keyed = new Map<string, { param: number; key: string }>();
  const inline = noInline();
  for (const el of node.body.body) {
    if (el.type === 'PropertyDefinition' && el.key.type === 'Identifier' && (el.key.name === 'status' || el.key.name === 'statusCode') && el.value) {
      status = statusValues(el.value, facts.bindings)?.[0] ?? status;
    }
    if (el.type === 'PropertyDefinition' && el.key.type === 'Identifier' && el.key.name === 'headers' && el.value) headersFrom(el.value, facts.bindings, inline);
    if (el.type === 'MethodDefinition' && el.kind === 'constructor' && el.value.body) {
      el.value.params.forEach((p, i) => {
        const q = p.type === 'TSParameterProperty' ? p.parameter : p.type === 'AssignmentPattern' ? p.left : p;
        const id = q.type === 'AssignmentPattern' ? q.left : q;
        ctorParams[i] = id.type === 'Identifier' ? id.name : '';
        if (id.type === 'ObjectPattern') {
          for (const prop of id.properties) {
            if (prop.type !== 'Property') continue;
            const key = keyName(prop);
            const v = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
            if (key && v.type === 'Identifier') keyed.set(v.name, { param: i, key });
          }
        }
        if (p.type === 'TSParameterProperty' && id.type === 'Identifier' && /^(status|statusCode)$/.test(id.name)) statusParam = i;
      });
      const paramOf = (n: Node) => (n.type === 'Identifier' ? ctorParams.indexOf(n.name) : -1);
      // values derived from a parameter: `code`, `code.split(':')[0]`, `const [type] = code.split(':')`
      const derived = new Map<string, Omit<StatusMap, 'table'>>();
      const fields = new Map<string, Omit<StatusMap, 'table'>>();
      const sourceOf = (n: Node): Omit<StatusMap, 'table'> | undefined => {
        const u = unwrap(n);
        if (u.type === 'Identifier') return paramOf(u) >= 0 ? { param: paramOf(u) } : derived.get(u.name);
        if (u.type === 'MemberExpression' && unwrap(u.object).type === 'ThisExpression') {
          const f = propName(u);
          return f ? fields.get(f) : undefined;
        }
        if (u.type === 'MemberExpression' && u.computed && unwrap(u.property as Node).type === 'Literal') {
          const sp = splitOf(unwrap(u.object), paramOf);
          const i = (unwrap(u.property as Node) as TSESTree.Literal).value;
          if (sp && typeof i === 'number') return { param: sp.param, split: { sep: sp.sep, index: i } };
        }
        return undefined;
      };
      /** `status` bound from `{ status }` of a parameter, or `opts.status` of a parameter `opts` */
      const keyOf = (n: Node): { param: number; key: string } | undefined => {
        const u = unwrap(n);
        if (u.type === 'Identifier') return keyed.get(u.name);
        if (u.type === 'MemberExpression' && !u.computed) {
          const pi = paramOf(unwrap(u.object));
          const key = propName(u);
          if (pi >= 0 && key) return { param: pi, key };
        }
        return undefined;
      };
      for (const st of el.value.body.body) {
        if (st.type === 'VariableDeclaration') {
          for (const d of st.declarations) {
            if (!d.init) continue;
            if (d.id.type === 'Identifier') {
              const src = sourceOf(d.init);
              if (src) derived.set(d.id.name, src);
            } else if (d.id.type === 'ArrayPattern') {
              const sp = splitOf(unwrap(d.init), paramOf);
              if (sp) d.id.elements.forEach((x, i) => { if (x && x.type === 'Identifier') derived.set(x.name, { param: sp.param, split: { sep: sp.sep, index: i } }); });
            }
          }
          continue;
        }
        if (st.type !== 'ExpressionStatement') continue;
        const e = st.expression;
        if (e.type === 'AssignmentExpression' && e.left.type === 'MemberExpression' && e.left.object.type === 'ThisExpression') {
          const f = propName(e.left);
          const src = sourceOf(e.right);
          if (f && src) fields.set(f, src);
          const p = propName(e.left);
          const r = unwrap(e.right);
          if ((p === 'status' || p === 'statusCode') && r.type === 'CallExpression' && r.arguments.length === 1) {
            const from = sourceOf(r.arguments[0] as Node);
            const table = from ? statusTableOf(r.callee as Node, node) : undefined;
            if (from && table) statusMap = { ...from, table };
          }
        }
        if (e.type === 'AssignmentExpression' && e.left.type === 'MemberExpression' && e.left.object.type === 'ThisExpression') {
          const p = propName(e.left);
          if (p === 'status' || p === 'statusCode') {
            status = statusValues(e.right, facts.bindings)?.[0] ?? status;
            if (paramOf(e.right) >= 0) statusParam = paramOf(e.right);
            statusKey = keyOf(e.right) ?? statusKey;
          }
          if (p === 'headers') headersFrom(e.right, facts.bindings, inline);
        }
        if (e.type === 'CallExpression' && e.callee.type === 'Super') {
          for (const a of e.arguments) {
            const v = statusValues(a, facts.bindings);
            if (v && v.length === 1 && v[0]! >= 400 && v[0]! < 600) status = v[0];
            const pi = paramOf(a as Node);
            if (pi >= 0 && /^(status|statusCode|code|httpCode|httpStatus)$/i.test(ctorParams[pi]!)) statusParam = pi;
            // `super({ message, status })`: the options object passed on to the base class
            const u = unwrap(a as Node);
            if (u.type === 'ObjectExpression') {
              const sp = findProp(u, 'status') ?? findProp(u, 'statusCode');
              const k = sp ? keyOf(sp.value as Node) : undefined;
              if (k) statusKey = k;
            } else {
              const k = keyOf(u);
              if (k && STATUS_KEY.test(k.key)) statusKey = k;
            }
          }
        }
      }
    }
  }
  if (statusKey && !STATUS_KEY.test(statusKey.key)) statusKey = undefined;
  if (status !== undefined || statusParam !== undefined || statusKey || statusMap) facts.errorClasses.set(node.id.name, { status, statusParam, statusKey, statusMap, inline });
}

/**
 * An error constructor written as a function (ES5): `function AuthError(msg) { Error.captureStackTrace(this,
 * ...); this.status = 403; }` with `util.inherits(AuthError, Error)`, or one that calls a base
 * constructor (`Base.call(this, ...)`). It declares a status like a class does.
 */
export function collectFunctionErrorClass(fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression, name: string, facts: FileFacts): void {
  if (!/^[A-Z]/.test(name) || facts.errorClasses.has(name) || fn.body.type !== 'BlockStatement') return;
  const params = fn.params.map((p) => (p.type === 'Identifier' ? p.name : p.type === 'AssignmentPattern' && p.left.type === 'Identifier' ? p.left.name : ''));
  let status: number | undefined;
  let statusParam: number | undefined;
  let errorLike = false;
  const inline = noInline();
  for (const st of fn.body.body) {
    if (st.type !== 'ExpressionStatement') continue;
    const e = unwrap(st.expression);
    if (e.type === 'CallExpression') {
      const c = unwrap(e.callee);
      const first = e.arguments[0] && unwrap(e.arguments[0] as Node);
      // Error.captureStackTrace(this, ...), Base.call(this, ...), Error.call(this, ...)
      if (c.type === 'MemberExpression' && first && first.type === 'ThisExpression' && (propName(c) === 'captureStackTrace' || propName(c) === 'call' || propName(c) === 'apply')) errorLike = true;
      continue;
    }
    if (e.type !== 'AssignmentExpression' || e.left.type !== 'MemberExpression' || unwrap(e.left.object).type !== 'ThisExpression') continue;
    const p = propName(e.left);
    if (p === 'status' || p === 'statusCode') {
      const r = unwrap(e.right);
      status = statusValues(r, facts.bindings)?.[0] ?? status;
      if (r.type === 'Identifier' && params.indexOf(r.name) >= 0 && /^(status|statusCode|code|httpCode|httpStatus)$/i.test(r.name)) statusParam = params.indexOf(r.name);
    }
    if (p === 'headers') headersFrom(e.right, facts.bindings, inline);
  }
  if (!errorLike || (status === undefined && statusParam === undefined)) return;
  if (status !== undefined && (status < 400 || status > 599)) return;
  facts.errorClasses.set(name, { status, statusParam, inline });
}

/** `code.split(':')` on a constructor parameter: the parameter and the separator. */
function splitOf(n: Node, paramOf: (n: Node) => number): { param: number; sep: string } | undefined {
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || propName(n.callee) !== 'split') return undefined;
  const sep = n.arguments[0] && unwrap(n.arguments[0] as Node);
  const pi = paramOf(unwrap(n.callee.object));
  return pi >= 0 && sep && sep.type === 'Literal' && typeof sep.value === 'string' ? { param: pi, sep: sep.value } : undefined;
}

/**
 * The statuses a function of the class's module returns for string cases: `function statusOf(t) {
 * switch (t) { case 'unauthorized': return 401; ... } }` declared at the top level of the module.
 */
function statusTableOf(callee: Node, cls: Node): Record<string, number> | undefined {
  const c = unwrap(callee);
  if (c.type !== 'Identifier') return undefined;
  let program: Node | null = cls;
  while (program && program.type !== 'Program') program = parentOf(program);
  if (!program) return undefined;
  let fn: TSESTree.FunctionDeclaration | undefined;
  for (const st of (program as TSESTree.Program).body) {
    const d = st.type === 'ExportNamedDeclaration' ? st.declaration : st;
    if (d && d.type === 'FunctionDeclaration' && d.id?.name === c.name) fn = d;
  }
  const param = fn?.params[0];
  if (!fn || !param || param.type !== 'Identifier') return undefined;
  const table: Record<string, number> = Object.create(null);
  for (const st of fn.body.body) {
    if (st.type !== 'SwitchStatement' || unwrap(st.discriminant).type !== 'Identifier' || (unwrap(st.discriminant) as TSESTree.Identifier).name !== param.name) continue;
    let pending: string[] = [];
    for (const cs of st.cases) {
      const t = cs.test && unwrap(cs.test);
      if (t && t.type === 'Literal' && typeof t.value === 'string') pending.push(t.value);
      const ret = cs.consequent.find((x) => x.type === 'ReturnStatement');
      if (cs.consequent.length === 0) continue; // falls through to the next case
      const v = ret && ret.type === 'ReturnStatement' && ret.argument ? unwrap(ret.argument) : undefined;
      if (v && v.type === 'Literal' && typeof v.value === 'number') for (const k of pending) table[k] = v.value;
      pending = [];
    }
  }
  return Object.keys(table).length > 0 ? table : undefined;
}

/**
 * `const NoTokenError = createError('FST_NO_TOKEN', 'No token', 401)` (@fastify/error and its likes:
 * the status is the third argument). Reported once, at the definition: every instance is thrown
 * bare, with no way to carry a header.
 */
export function recogniseClassFactory(d: TSESTree.VariableDeclarator & { id: TSESTree.Identifier }, ctx: Ctx): void {
  const init = d.init ? unwrap(d.init) : undefined;
  if (!init || init.type !== 'CallExpression' || calleeNameOf(init) !== 'createError') return;
  const facts = ctx.facts;
  const mod = init.callee.type === 'Identifier' ? facts.importNames.get(init.callee.name) : undefined;
  const [code, , statusArg] = init.arguments;
  const fastifyStyle = mod === '@fastify/error' || (!!code && unwrap(code).type === 'Literal' && typeof (unwrap(code) as TSESTree.Literal).value === 'string' && mod !== 'http-errors');
  if (!fastifyStyle || !statusArg) return;
  const statuses = statusValues(statusArg, facts.bindings);
  if (!statuses || statuses.length !== 1 || !AUTH_STATUSES.has(statuses[0]!)) return;
  facts.emissions.push(thrownEmission(ctx, init, statusArg, statuses, 'http-error', 'fastify', noInline(), statusArg));
  facts.factoryClasses.add(d.id.name);
}

function calleeNameOf(call: TSESTree.CallExpression): string | undefined {
  const c = unwrap(call.callee);
  return c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' ? propName(c) : undefined;
}

function authStatusArg(node: TSESTree.NewExpression, ctx: Ctx): Node | undefined {
  return node.arguments.find((a) => {
    const v = statusValues(a, ctx.facts.bindings);
    return v && v.length === 1 && AUTH_STATUSES.has(v[0]!);
  });
}

/** A status stated by an error class's name; OAuth's `unauthorized_client` (a 400) and the like excluded. */
function statusFromName(name: string): number | undefined {
  if (!/(Error|Exception|^E_[A-Z_]+)$|^[A-Z][A-Z_]+$/.test(name) || /client|grant|scope|redirect|request/i.test(name)) return undefined;
  if (/unauthori[sz]ed|unauthenticated|notauthenticated/i.test(name)) return 401;
  if (/forbidden|accessdenied|access_denied/i.test(name)) return 403;
  return undefined;
}

/**
 * `next(getCode(HTTP_STATUS.UNAUTHORIZED))`, `next(errorUtils.getForbidden(msg))`: an error made by
 * a factory this file does not know (another package's) and handed to the middleware's `next`,
 * which is the Express/Connect error pipeline. The status comes from the factory's one status
 * argument, else from the factory's name (names are evidence where provenance ends).
 */
export function nextErrorEmission(call: TSESTree.CallExpression, ctx: Ctx, known: Set<Node>): void {
  const callee = unwrap(call.callee);
  if (callee.type !== 'Identifier' || call.arguments.length !== 1) return;
  const fn = ctx.fnOf(call);
  // next must be the enclosing middleware's last parameter
  let isNext = false;
  for (let f: Node | null = fn; f && !isNext; f = parentOf(f)) {
    if (f.type === 'FunctionDeclaration' || f.type === 'FunctionExpression' || f.type === 'ArrowFunctionExpression') {
      const last = f.params[f.params.length - 1];
      if (f.params.length >= 3 && last && last.type === 'Identifier' && last.name === callee.name) isNext = true;
    }
  }
  if (!isNext) return;
  const arg = unwrap(call.arguments[0]!);
  // classes are judged by their declaration (errorClasses); local functions by their templates
  if (arg.type !== 'CallExpression' || known.has(arg)) return;
  let root: Node = unwrap(arg.callee);
  while (root.type === 'MemberExpression') root = unwrap(root.object);
  if (root.type !== 'Identifier' || !ctx.facts.importNames.has(root.name)) return;
  let statusNode: Node | undefined;
  let statuses: number[] | undefined;
  for (const a of arg.arguments) {
    const v = a.type === 'SpreadElement' ? undefined : statusValues(a, ctx.facts.bindings);
    if (!v || v.length !== 1) continue;
    if (statusNode) return; // two status-like arguments: unknown
    statusNode = a;
    statuses = v;
  }
  const name = arg.callee.type === 'MemberExpression' ? propName(arg.callee) : arg.callee.type === 'Identifier' ? arg.callee.name : undefined;
  if (!statuses && name) {
    const n = /unauthori[sz]ed|unauthenticated/i.test(name) ? 401 : /forbidden/i.test(name) ? 403 : undefined;
    if (n) statuses = [n];
  }
  if (!statuses || !statuses.some((s) => AUTH_STATUSES.has(s))) return;
  ctx.facts.emissions.push(thrownEmission(ctx, arg, statusNode ?? arg.callee, statuses, 'http-error', 'express', noInline(), statusNode));
}
