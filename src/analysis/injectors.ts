// Challenge injectors (linter-notes §D.10.2): functions that add a challenge to responses they
// did not produce. A function is an injector only where it is REGISTERED as an error handler,
// hook, middleware or filter of a framework, and it covers only what really passes through it:
//   - Express error middleware (four parameters): errors passed to next(err) or thrown, never
//     `res.status(401).json()`; a plain middleware that sets the challenge and then calls next():
//     every later response;
//   - Koa middleware: after `await next()`, responses set downstream (a throw skips that code);
//     in the catch of a try around `await next()`, thrown errors;
//   - Hono middleware after `await next()`: every downstream response (errors are already
//     responses there); `app.onError`: thrown errors;
//   - Fastify onSend / preSerialization / onRequest / preHandler hooks: every reply;
//     setErrorHandler: thrown errors and reply.send(err);
//   - hapi onPreResponse: every response;
//   - Nest filters: exceptions of their @Catch types, where bound (useGlobalFilters, APP_FILTER,
//     @UseFilters on the class or the method).
// The injector's own condition must hold for the status (`if (status === 403)` covers no 401).
// Comparing a status with 401 never makes a function an injector: that is a check.
import * as path from 'node:path';
import { appFacts, contextOf, type AppFacts } from './apps';
import type { TSESTree } from '@typescript-eslint/types';
import { calleeName, findProp, isFunction, parentOf, propName, unwrap, walk, type FunctionLike, type Node } from './ast';
import { statusValues, type Bindings } from './constants';
import { spend } from './budget';
import { dominates } from './dominance';
import type { FileFacts } from './collect';
import type { Emission, Framework, HeaderKind, HeaderWrite } from './model';

export type Coverage = 'all' | 'direct' | 'errors';
export type InjectorFramework = Framework | 'koa-or-hono';

export interface Injector {
  header: HeaderKind;
  framework: InjectorFramework;
  covers: Coverage;
  /** The statuses the injector's own condition admits; undefined: any. */
  statuses?: number[];
  /** Nest filters: the exception classes caught ([] = every exception). */
  catches?: string[];
  /** Nest @UseFilters on a class or method: the range it applies to; undefined: the whole package. */
  within?: [number, number];
  /** Where the injector is registered (for messages and tests). */
  at: string;
  /** The application context it is registered on (apps.ts), when the model knows it. */
  on?: string;
}

/** What a function does with challenges, for registrations in other files of the package. */
export interface FnSummary {
  params: number;
  writes: Array<{ header: HeaderKind; statuses?: number[]; place: 'before-next' | 'after-next' | 'catch-next' | 'plain' }>;
  /** A factory `errorHandler(opts)` returning the middleware. */
  returns?: FnSummary;
}

/** A registration whose function is named, resolved against the package. */
export interface PendingRegistration {
  /** The import the name comes from, when it is imported. */
  from?: { module: string; imported: string };
  method: string;
  hook?: string;
  name: string;
  /** `app.use(makeHandler())`: the registered function is what the named function returns. */
  called: boolean;
  hint?: InjectorFramework;
  at: string;
  on?: string;
}

export interface FileInjectors {
  fileName: string;
  /** Summaries of the functions the file exports ('default' for the default / module.exports), computed when a registration asks. */
  exports: Map<string, () => FnSummary>;
  injectors: Injector[];
  pending: PendingRegistration[];
  summaries: Map<string, () => FnSummary>;
  /** Nest filter classes of the file (name -> caught classes, challenge writes). */
  filters: Map<string, NestFilter>;
  /** Nest filters bound by name (global or on a range). */
  boundFilters: Array<{ name: string; within?: [number, number]; at: string }>;
  /** Application contexts and mounts of the file (§D.10.2 b). */
  apps: AppFacts;
}

const FASTIFY_ALL = new Set(['onSend', 'preSerialization', 'onRequest', 'preHandler']);

function isNextCall(n: Node, nextName: string): boolean {
  const u = unwrap(n);
  return u.type === 'CallExpression' && unwrap(u.callee).type === 'Identifier' && (unwrap(u.callee) as TSESTree.Identifier).name === nextName;
}

/**
 * The statuses an enclosing condition admits for a write inside `fn` (undefined: any), or null
 * when the write depends on something else: a request condition (a path, a method) or a
 * configuration switch at its default. Then some response passing through gets no challenge,
 * so the write covers nothing (linter-notes §D.10.1).
 */
function conditionStatuses(w: Node, fn: FunctionLike, b: Bindings): number[] | undefined | null {
  let admitted: number[] | undefined;
  let child: Node = w;
  for (let p = parentOf(w); p && p !== fn; child = p, p = parentOf(p)) {
    if (isFunction(p)) {
      // the body of an iteration (`Object.entries(err.headers).forEach(([k, v]) => res.header(k, v))`) is a loop body
      if (iterationCallback(p)) continue;
      return null; // inside a callback that may not run
    }
    if (!conditional(p, child)) continue;
    let test: Node | undefined;
    let positive = true;
    if (p.type === 'IfStatement' && child !== p.test) {
      test = p.test;
      positive = child === p.consequent;
    } else if (p.type === 'ConditionalExpression' && child !== p.test) {
      test = p.test;
      positive = child === p.consequent;
    } else if (p.type === 'LogicalExpression' && child === p.right && p.operator === '&&') test = p.left;
    else if (p.type === 'SwitchCase' && p.test) {
      const v = statusValues(p.test, b);
      if (v) admitted = admitted ? admitted.filter((s) => v.includes(s)) : v;
      continue;
    }
    if (!test) return null;
    const s = statusesOfTest(test, positive, b);
    if (!s) return null;
    admitted = admitted ? admitted.filter((x) => s.includes(x)) : s;
  }
  return admitted;
}

/** A function given to an array's iteration method: it runs for each element, like a loop body. */
function iterationCallback(f: Node): boolean {
  const call = parentOf(f);
  if (!call || call.type !== 'CallExpression' || call.arguments[0] !== f) return false;
  const callee = unwrap(call.callee);
  return callee.type === 'MemberExpression' && (propName(callee) === 'forEach' || propName(callee) === 'map');
}

/** Whether `child` runs only on some of the paths through `p`. */
function conditional(p: Node, child: Node): boolean {
  switch (p.type) {
    case 'IfStatement':
    case 'ConditionalExpression':
      return child !== p.test;
    case 'LogicalExpression':
      return child === p.right;
    case 'SwitchCase':
      return child !== p.test;
    case 'CatchClause':
      return false; // the catch of a try around next(): the place, not a condition
    default:
      // a copy loop over the error's headers: counted, its names are unknown (§D.10.1)
      return false;
  }
}

/** `status === 401`, `[401, 403].includes(s)`, `a === 401 || a === 407`: the statuses a test admits. */
export function statusesOfTest(test: Node, positive: boolean, b: Bindings): number[] | undefined {
  const t = unwrap(test);
  if (t.type === 'UnaryExpression' && t.operator === '!') return statusesOfTest(t.argument, !positive, b);
  if (t.type === 'LogicalExpression' && positive && t.operator === '||') {
    const l = statusesOfTest(t.left, true, b);
    const r = statusesOfTest(t.right, true, b);
    return l && r ? [...l, ...r] : undefined;
  }
  if (t.type === 'LogicalExpression' && positive && t.operator === '&&') return statusesOfTest(t.left, true, b) ?? statusesOfTest(t.right, true, b);
  if (t.type === 'BinaryExpression') {
    const eq = t.operator === '===' || t.operator === '==';
    const ne = t.operator === '!==' || t.operator === '!=';
    if ((eq && positive) || (ne && !positive)) {
      // the constant side: `status === 401`, `401 === res.statusCode`, `code === HttpStatus.UNAUTHORIZED`
      const left = unwrap(t.left as Node);
      const right = unwrap(t.right);
      if (right.type === 'Literal') return statusValues(right, b);
      if (left.type === 'Literal') return statusValues(left, b);
      return statusValues(right, b) ?? statusValues(left, b);
    }
    return undefined;
  }
  if (t.type === 'CallExpression' && positive && calleeName(t) === 'includes' && t.callee.type === 'MemberExpression') {
    const arr = unwrap(t.callee.object);
    if (arr.type === 'ArrayExpression') {
      const out: number[] = [];
      for (const el of arr.elements) {
        const v = el && el.type !== 'SpreadElement' ? statusValues(el, b) : undefined;
        if (!v) return undefined;
        out.push(...v);
      }
      return out;
    }
  }
  return undefined;
}

/** Where a write sits relative to the middleware's `next`: before a next() call, after `await next()`, in a catch around it. */
function placeOf(w: HeaderWrite, fn: FunctionLike): FnSummary['writes'][number]['place'] {
  const nextParam = fn.params[fn.params.length - 1];
  const nextName = nextParam && nextParam.type === 'Identifier' ? nextParam.name : undefined;
  if (!nextName || fn.params.length < 2) return 'plain';
  // in a catch whose try calls next()
  let child: Node = w.node;
  for (let p = parentOf(w.node); p && p !== fn; child = p, p = parentOf(p)) {
    if (p.type === 'CatchClause') {
      const t = parentOf(p);
      if (t && t.type === 'TryStatement' && containsNext(t.block, nextName)) return 'catch-next';
    }
  }
  void child;
  let before = false;
  let after = false;
  walk(fn.body, (n) => {
    if (!isNextCall(n, nextName)) return;
    if (n.range[1] <= w.node.range[0]) after = true;
    // the challenge is on the response whenever next() runs: set on every path to it
    else if (n.range[0] >= w.node.range[1] && dominates(w.node, n)) before = true;
  });
  if (after) return 'after-next';
  if (before) return 'before-next';
  return 'plain';
}

function containsNext(block: Node, nextName: string): boolean {
  let found = false;
  walk(block, (n) => {
    if (!found && isNextCall(n, nextName)) found = true;
  });
  return found;
}

/** The challenge writes of a function (and of closures inside it). */
export function summarise(fn: FunctionLike, facts: FileFacts, depth = 0): FnSummary {
  const writes: FnSummary['writes'] = [];
  for (const w of facts.writes) {
    spend(1);
    if (!w.fn) continue;
    if (w.node.range[0] < fn.range[0] || w.node.range[1] > fn.range[1]) continue;
    const statuses = conditionStatuses(w.node, fn, facts.bindings);
    if (statuses === null) continue;
    const place = placeOf(w, fn);
    // a header whose name cannot be known (a copy loop, res.set(err.headers)) counts as a challenge (§D.10.1)
    for (const header of w.header === 'unknown' ? (['www', 'proxy'] as const) : [w.header]) writes.push({ header, statuses, place });
  }
  const s: FnSummary = { params: fn.params.length, writes };
  if (depth < 2) {
    const ret = returnedFunction(fn);
    if (ret) s.returns = summarise(ret, facts, depth + 1);
  }
  return s;
}

function returnedFunction(fn: FunctionLike): FunctionLike | undefined {
  if (fn.body.type !== 'BlockStatement') {
    const b = unwrap(fn.body);
    return isFunction(b) ? b : undefined;
  }
  for (const st of fn.body.body) {
    if (st.type === 'ReturnStatement' && st.argument && isFunction(unwrap(st.argument))) return unwrap(st.argument) as FunctionLike;
  }
  return undefined;
}

function frameworkHint(facts: FileFacts): InjectorFramework | undefined {
  const mods = [...facts.imports];
  if (mods.some((m) => /^hono($|\/)/.test(m))) return 'hono';
  if (mods.some((m) => /^(koa|@koa\/)/.test(m))) return 'koa';
  return undefined;
}

/** Injectors a summary yields for one registration. */
export function injectorsOf(s: FnSummary, method: string, hook: string | undefined, hint: InjectorFramework | undefined, at: string, on?: string): Injector[] {
  const out: Injector[] = [];
  const add = (header: HeaderKind, framework: InjectorFramework, covers: Coverage, statuses?: number[]) => out.push({ header, framework, covers, statuses, at, ...(on !== undefined ? { on } : {}) });
  for (const w of s.writes) {
    if (method === 'addHook' && hook && FASTIFY_ALL.has(hook)) add(w.header, 'fastify', 'all', w.statuses);
    else if (method === 'setErrorHandler') add(w.header, 'fastify', 'errors', w.statuses);
    else if (method === 'ext' && hook === 'onPreResponse') add(w.header, 'hapi', 'all', w.statuses);
    else if (method === 'onError') add(w.header, 'hono', 'errors', w.statuses);
    else if (method === 'use') {
      if (s.params === 4) add(w.header, 'express', 'errors', w.statuses);
      else if (s.params === 3 && w.place === 'before-next') add(w.header, 'express', 'all', w.statuses);
      else if (s.params === 2 && w.place === 'after-next') {
        if (hint === 'hono') add(w.header, 'hono', 'all', w.statuses);
        else if (hint === 'koa') add(w.header, 'koa', 'direct', w.statuses);
        else {
          add(w.header, 'hono', 'all', w.statuses);
          add(w.header, 'koa', 'direct', w.statuses);
        }
      } else if (s.params === 2 && w.place === 'catch-next' && hint !== 'hono') add(w.header, 'koa', 'errors', w.statuses);
    }
  }
  return out;
}

function registrationOf(call: TSESTree.CallExpression): { method: string; hook?: string; target: Node } | undefined {
  const c = unwrap(call.callee);
  if (c.type !== 'MemberExpression') return undefined;
  const m = propName(c);
  if (!m) return undefined;
  const args = call.arguments;
  if (m === 'addHook' || m === 'ext') {
    const first = args[0] && unwrap(args[0]);
    if (first && first.type === 'Literal' && typeof first.value === 'string' && args[1]) return { method: m, hook: first.value, target: args[1] };
    if (first && first.type === 'ObjectExpression' && m === 'ext') {
      const type = findProp(first, 'type');
      const method = findProp(first, 'method');
      const tv = type && unwrap(type.value as Node);
      if (tv && tv.type === 'Literal' && typeof tv.value === 'string' && method) return { method: m, hook: tv.value, target: method.value as Node };
    }
    return undefined;
  }
  if (m === 'setErrorHandler' || m === 'onError') return args[0] ? { method: m, target: args[0] } : undefined;
  if (m === 'use') {
    // app.use(fn), app.use('/path', fn), router.use(a, b): each function argument
    const fnArg = [...args].reverse().find((a) => a.type !== 'SpreadElement' && unwrap(a).type !== 'Literal' && unwrap(a).type !== 'TemplateLiteral');
    return fnArg ? { method: m, target: fnArg } : undefined;
  }
  return undefined;
}

/** Injectors registered in one file; registrations naming functions of other files stay pending. */
export function fileInjectors(facts: FileFacts): FileInjectors {
  const out: FileInjectors = { fileName: facts.fileName, exports: new Map(), injectors: [], pending: [], summaries: new Map(), filters: new Map(), boundFilters: [], apps: appFacts(facts) };
  const hint = frameworkHint(facts);
  // summaries of named functions are only needed by registrations in other files: computed on demand
  for (const [name, fns] of facts.functions) if (fns.length === 1) out.summaries.set(name, once(() => summarise(fns[0]!, facts)));
  for (const [name, fn] of facts.exportedFns) out.exports.set(name, once(() => summarise(fn, facts)));
  for (const call of facts.allCalls) {
    const r = registrationOf(call);
    if (r) {
      const at = `${facts.fileName}:${call.range[0]}`;
      const on = contextOf((unwrap(call.callee) as TSESTree.MemberExpression).object, facts);
      for (const arg of call.arguments.filter((a) => a === r.target || (r.method === 'use' && a.type !== 'SpreadElement'))) {
        const t = unwrap(arg);
        if (isFunction(t)) out.injectors.push(...injectorsOf(summarise(t, facts), r.method, r.hook, hint, at, on));
        else if (t.type === 'Identifier') {
          const local = facts.functions.get(t.name);
          if (local && local.length === 1) out.injectors.push(...injectorsOf(summarise(local[0]!, facts), r.method, r.hook, hint, at, on));
          else if (!local) out.pending.push({ from: facts.importSpecs.get(t.name), method: r.method, hook: r.hook, name: t.name, called: false, hint, at, on });
        } else if (t.type === 'CallExpression' && unwrap(t.callee).type === 'Identifier') {
          const name = (unwrap(t.callee) as TSESTree.Identifier).name;
          const local = facts.functions.get(name);
          const ret = local && local.length === 1 ? summarise(local[0]!, facts).returns : undefined;
          if (ret) out.injectors.push(...injectorsOf(ret, r.method, r.hook, hint, at, on));
          else if (!local) out.pending.push({ from: facts.importSpecs.get(name), method: r.method, hook: r.hook, name, called: true, hint, at, on });
        }
      }
    }
    // Nest: app.useGlobalFilters(new F())
    const callee = unwrap(call.callee);
    if (callee.type === 'MemberExpression' && propName(callee) === 'useGlobalFilters') {
      for (const a of call.arguments) {
        const u = unwrap(a);
        const name = u.type === 'NewExpression' && u.callee.type === 'Identifier' ? u.callee.name : u.type === 'Identifier' ? u.name : undefined;
        if (name) out.boundFilters.push({ name, at: `${facts.fileName}:${call.range[0]}` });
      }
    }
  }
  nestFilters(facts, out);
  return out;
}

/** An exception filter class: what it catches, the headers it writes, and whether it sends the exception's own status. */
interface NestFilter {
  catches: string[];
  headers: Array<{ header: HeaderKind; statuses?: number[] }>;
  /** `response.status(exception.getStatus())`: the status on the wire is the thrown one. */
  passesStatus: boolean;
}

/** Whether a filter class reads the caught exception's status (`exception.getStatus()`, `exception.status`). */
function readsExceptionStatus(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  const method = cls.body.body.find((m) => m.type === 'MethodDefinition' && propName(m as unknown as Node) === 'catch') as TSESTree.MethodDefinition | undefined;
  const param = method?.value.params[0];
  const name = param && param.type === 'Identifier' ? param.name : undefined;
  let found = false;
  walk(cls, (n) => {
    if (found) return;
    if (n.type === 'CallExpression' && calleeName(n) === 'getStatus') found = true;
    else if (name && n.type === 'MemberExpression' && (propName(n) === 'status' || propName(n) === 'statusCode')) {
      const o = unwrap(n.object);
      if (o.type === 'Identifier' && o.name === name) found = true;
    }
  });
  return found;
}

function nestFilters(facts: FileFacts, out: FileInjectors): void {
  for (const c of facts.catchClasses) {
    const name = c.node.id?.name;
    if (!name) continue;
    const headers: Array<{ header: HeaderKind; statuses?: number[] }> = [];
    for (const w of facts.writes) {
      if (w.header === 'unknown' || !w.fn) continue;
      if (w.node.range[0] < c.node.range[0] || w.node.range[1] > c.node.range[1]) continue;
      const statuses = conditionStatuses(w.node, w.fn, facts.bindings);
      if (statuses !== null) headers.push({ header: w.header, statuses });
    }
    out.filters.set(name, { catches: c.catches.filter((x) => x !== '?'), headers, passesStatus: readsExceptionStatus(c.node) });
  }
  // @UseFilters(F) / @UseFilters(new F()) on a class or a method; { provide: APP_FILTER, useClass: F }
  // A second walk of the whole tree, only for files that name one of the two (an identifier
  // written with a \u escape could name it without its letters: such files are walked too).
  const t = facts.text;
  if (!t.includes('UseFilters') && !t.includes('APP_FILTER') && !t.includes('\\u')) return;
  walk(facts.program, (n) => {
    if (n.type === 'Decorator') {
      const e = unwrap(n.expression);
      if (e.type !== 'CallExpression' || calleeName(e) !== 'UseFilters') return;
      const owner = parentOf(n);
      const within: [number, number] | undefined = owner ? [owner.range[0], owner.range[1]] : undefined;
      for (const a of e.arguments) {
        const u = unwrap(a);
        const name = u.type === 'NewExpression' && u.callee.type === 'Identifier' ? u.callee.name : u.type === 'Identifier' ? u.name : undefined;
        if (name) out.boundFilters.push({ name, within, at: `${facts.fileName}:${n.range[0]}` });
      }
    } else if (n.type === 'ObjectExpression') {
      const provide = findProp(n, 'provide');
      const useClass = findProp(n, 'useClass');
      const pv = provide && unwrap(provide.value as Node);
      const uc = useClass && unwrap(useClass.value as Node);
      if (pv && pv.type === 'Identifier' && pv.name === 'APP_FILTER' && uc && uc.type === 'Identifier') out.boundFilters.push({ name: uc.name, at: `${facts.fileName}:${n.range[0]}` });
    }
  });
}

/**
 * The package's injectors: each file's, plus named registrations resolved against the
 * package's functions and filters. `byName` lists, for a name, the summaries of the package's
 * files that declare it (a name declared differently in two files resolves to nothing).
 */
export function packageInjectors(files: FileInjectors[], dependencies?: Set<string>): Injector[] {
  const byPath = new Map<string, FileInjectors>();
  for (const f of files) byPath.set(normal(f.fileName), f);
  const out: Injector[] = [];
  const summaries = new Map<string, (() => FnSummary) | null>();
  const filters = new Map<string, NestFilter | null>();
  for (const f of files) {
    out.push(...f.injectors);
    for (const [n, s] of f.summaries) summaries.set(n, summaries.has(n) ? null : s);
    for (const [n, s] of f.filters) filters.set(n, filters.has(n) ? null : s);
  }
  for (const f of files) {
    for (const p of f.pending) {
      const s = resolve(p, f.fileName, byPath, summaries, dependencies);
      const target = s ? (p.called ? s.returns : s) : undefined;
      if (target) out.push(...injectorsOf(target, p.method, p.hook, p.hint, p.at, p.on));
    }
    for (const b of f.boundFilters) {
      const filter = filters.get(b.name);
      if (!filter) continue;
      // A bound filter answers the exceptions it catches itself (linter-notes §D.10.2). One that
      // maps them to statuses of its own is judged where it writes them; one that sends the
      // exception's own status puts the thrown 401 on the wire, covered only by a challenge it writes.
      for (const header of ['www', 'proxy'] as const) {
        if (!filter.passesStatus) out.push({ header, framework: 'nestjs', covers: 'errors', catches: filter.catches, within: b.within, at: b.at });
        else for (const h of filter.headers) if (h.header === header) out.push({ header, framework: 'nestjs', covers: 'errors', catches: filter.catches, within: b.within, at: b.at, statuses: h.statuses });
      }
    }
  }
  return out;
}

/** Whether an injector covers an emission for a header. */
export function covers(inj: Injector, e: Emission, header: HeaderKind, fileName: string): boolean {
  const injectorFile = inj.at.slice(0, inj.at.lastIndexOf(':'));
  if (inj.header !== header) return false;
  const status = header === 'www' ? 401 : 407;
  if (!e.statuses.includes(status)) return false;
  if (inj.statuses && !inj.statuses.includes(status)) return false;
  if (inj.within && (injectorFile !== fileName || e.node.range[0] < inj.within[0] || e.node.range[1] > inj.within[1])) return false;
  const fw = e.framework;
  if (inj.framework === 'nestjs') {
    if (fw !== 'nestjs' || !e.thrown) return false;
    if (!inj.catches || inj.catches.length === 0) return true;
    const cls = e.library === '@nestjs/passport' ? 'UnauthorizedException' : e.node.type === 'NewExpression' && unwrap(e.node.callee).type === 'Identifier' ? (unwrap(e.node.callee) as TSESTree.Identifier).name : undefined;
    return inj.catches.includes('HttpException') || (!!cls && inj.catches.includes(cls));
  }
  const sameFramework = inj.framework === fw || (inj.framework === 'koa-or-hono' && (fw === 'koa' || fw === 'hono'));
  // thrown error objects (http-errors, project classes) belong to whichever framework runs them
  const errorObject = e.thrown && (fw === 'http-errors' || fw === 'generic');
  if (!sameFramework && !errorObject) return false;
  if (inj.covers === 'all') return true;
  if (inj.covers === 'errors') return e.thrown;
  return !e.thrown;
}

const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

/** The normalised paths a relative import of `fromFile` may name, in resolution order (extensions, then an index file). */
export function importCandidates(module: string, fromFile: string): string[] {
  const base = path.posix.join(path.posix.dirname(normal(fromFile)), module);
  return [...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.slice(1).map((e) => `${base}/index${e}`)];
}

export function normal(file: string): string {
  return path.posix.normalize(file.replace(/\\/g, '/'));
}

/**
 * The function a named registration refers to: through a relative import to the exporting file
 * of the package; a name imported from a package is another package's (never resolved); a
 * name imported through a path alias (`@/errors`, not a dependency) or not imported at all
 * falls back to the one function of that name in the package.
 */
function resolve(p: PendingRegistration, fromFile: string, byPath: Map<string, FileInjectors>, summaries: Map<string, (() => FnSummary) | null>, dependencies?: Set<string>): FnSummary | undefined {
  const spec = p.from;
  if (spec && spec.module.startsWith('.')) {
    for (const cand of importCandidates(spec.module, fromFile)) {
      const target = byPath.get(cand);
      if (target) return target.exports.get(spec.imported)?.();
    }
    return undefined;
  }
  if (spec && isPackageName(spec.module, dependencies)) return undefined;
  return summaries.get(p.name)?.() ?? undefined;
}

export function isPackageName(module: string, dependencies?: Set<string>): boolean {
  if (module.startsWith('node:')) return true;
  const name = module.startsWith('@') ? module.split('/').slice(0, 2).join('/') : module.split('/')[0]!;
  if (dependencies) return dependencies.has(name);
  // without a package.json: a scoped or bare name is a package unless it looks like an alias
  return !/^[@~#]\//.test(module);
}

/** A value computed on first use, then kept. */
export function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}
