// Helpers that take the status as a parameter: `function json(res, status, body, headers)` with
// `res.writeHead(status, {...headers})` inside. The emission happens at each call site that passes
// a constant status (`json(res, 401, {...})`): it is anchored there, its guard is the caller's,
// and its headers are the call's argument for the helper's headers parameter.
import type { TSESTree } from '@typescript-eslint/types';
import { calleeName, isFunction, keyName, parentOf, rootName, someNode, unwrap, type FunctionLike, type Node } from '../ast';
import { statusValues, type Bindings } from '../constants';
import type { Ctx } from '../collect';
import { headersFrom } from '../headers';
import type { Emission, Presence } from '../model';

/** The numeric statuses of `node`, or [] when it is a parameter of an enclosing function (a template). */
export function statusOrParam(node: Node, ctx: Ctx, at: Node, nameHint?: RegExp): number[] | undefined {
  const v = statusValues(node, ctx.facts.bindings);
  if (v) return v;
  const n = unwrap(node);
  if (n.type !== 'Identifier' || (nameHint && !nameHint.test(n.name))) return undefined;
  return declaringFunction(n.name, ctx.fnOf(at)) ? [] : undefined;
}

function paramIndex(fn: FunctionLike, name: string): number {
  return fn.params.findIndex((p) => {
    const q = p.type === 'AssignmentPattern' ? p.left : p;
    return q.type === 'Identifier' && q.name === name;
  });
}

function declaringFunction(name: string, fn: FunctionLike | null): FunctionLike | undefined {
  for (let f: Node | null = fn; f; f = parentOf(f)) if (isFunction(f) && paramIndex(f, name) >= 0) return f;
  return undefined;
}

export interface TemplateInfo {
  headerParam?: number;
}
export const templateInfo = new WeakMap<Emission, TemplateInfo>();

/** What a status-parameter helper does, as plain data another file of the project can use. */
export interface HelperTemplate {
  si: number;
  ri: number;
  hi?: number;
  /** The helper's inline headers; 'may' where they come from its headers parameter. */
  www: Presence;
  proxy: Presence;
  /** The helper writes the header on its response parameter itself. */
  sets: { www: boolean; proxy: boolean };
  kind: Emission['kind'];
  framework: Emission['framework'];
  thrown: boolean;
  commits: boolean;
}

/** What an error factory makes (`export const unauthorized = (m) => Boom.unauthorized(m)`), for the package's other files. */
export interface FactoryTemplate {
  statuses: number[];
  kind: Emission['kind'];
  framework: Emission['framework'];
  www: Presence;
  proxy: Presence;
  needsPackage?: string[];
}

/**
 * Calls in this file to error factories of other files of the package: the callee is imported
 * from a module of the package (a relative path, or an alias that is not a dependency) under
 * the factory's exported name.
 */
export function instantiateProjectFactories(ctx: Ctx, factories: Map<string, FactoryTemplate | null>, isPackageModule: (module: string) => boolean): void {
  const facts = ctx.facts;
  for (const call of facts.allCalls) {
    const callee = unwrap(call.callee);
    if (callee.type !== 'Identifier' || facts.functions.has(callee.name)) continue;
    const spec = facts.importSpecs.get(callee.name);
    if (!spec || isPackageModule(spec.module)) continue;
    const f = factories.get(spec.imported);
    if (!f) continue;
    const e: Emission = {
      kind: 'helper-call',
      framework: f.framework,
      statuses: f.statuses,
      anchor: callee,
      node: call,
      fn: ctx.fnOf(call),
      receiver: undefined,
      commits: true,
      commitAt: call.range[0],
      thrown: true,
      inline: { www: f.www, proxy: f.proxy, values: [] },
      chainTop: call,
      ...(f.needsPackage ? { needsPackage: f.needsPackage } : {}),
    };
    templateInfo.set(e, {});
    facts.emissions.push(e);
  }
}

/** Calls in this file to status-parameter helpers declared in other files of the project. */
export function instantiateProjectTemplates(ctx: Ctx, templates: Map<string, HelperTemplate | null>): void {
  const facts = ctx.facts;
  for (const call of facts.allCalls) {
    const name = calleeName(call);
    if (!name || facts.functions.has(name)) continue;
    const t = templates.get(name);
    if (!t) continue;
    const arg = call.arguments[t.si];
    const statuses = arg ? statusValues(arg, facts.bindings) : undefined;
    if (!arg || !statuses) continue;
    const inline = callInline(t, [], call, facts.bindings);
    const e: Emission = {
      kind: 'helper-call',
      framework: t.framework,
      statuses,
      anchor: arg,
      statusNode: arg,
      node: call,
      fn: ctx.fnOf(call),
      receiver: t.ri >= 0 && call.arguments[t.ri] ? rootName(call.arguments[t.ri]!) : undefined,
      commits: t.commits,
      commitAt: t.commits ? call.range[0] : undefined,
      thrown: t.thrown,
      inline,
      chainTop: call,
    };
    templateInfo.set(e, { headerParam: t.hi });
    facts.emissions.push(e);
  }
}

/** Turn status-parameter emissions into emissions at their call sites (helpers of helpers too). */
export function instantiateTemplates(ctx: Ctx, calls: TSESTree.CallExpression[]): void {
  const facts = ctx.facts;
  let pending = facts.emissions.filter((e) => e.statuses.length === 0);
  facts.emissions = facts.emissions.filter((e) => e.statuses.length > 0);
  for (let depth = 0; depth < 3 && pending.length > 0; depth++) {
    const next: Emission[] = [];
    for (const t of pending) {
      const statusName = (unwrap(t.statusNode ?? t.anchor) as TSESTree.Identifier).name;
      const F = declaringFunction(statusName, t.fn);
      if (!F) continue;
      const names = [...facts.functions].filter(([, fs]) => fs.includes(F)).map(([n]) => n);
      if (names.length === 0) continue;
      const si = paramIndex(F, statusName);
      const ri = t.receiver ? paramIndex(F, t.receiver) : -1;
      const hi = headerParamOf(t, F, si, ri);
      // the helper may set the challenge on its own response parameter before sending
      const sets = { www: false, proxy: false };
      for (const k of ['www', 'proxy'] as const) {
        sets[k] = !!t.receiver && facts.writes.some((w) => (w.header === k || w.header === 'unknown') && w.receiver === t.receiver && isInsideFn(w.node, F));
      }
      const info: HelperTemplate = { si, ri, hi, www: t.inline.www, proxy: t.inline.proxy, sets, kind: t.kind, framework: t.framework, thrown: t.thrown, commits: t.commits };
      for (const n of names) facts.templates.set(n, info);
      for (const call of calls) {
        if (!names.includes(calleeName(call) ?? '') || isInsideFn(call, F)) continue;
        const arg = call.arguments[si];
        if (!arg) continue;
        const statuses = statusOrParam(arg, ctx, call);
        if (!statuses) continue;
        const inline = callInline(info, t.inline.values, call, facts.bindings);
        const e: Emission = {
          ...t,
          statuses,
          anchor: arg,
          statusNode: arg,
          node: call,
          fn: ctx.fnOf(call),
          receiver: ri >= 0 && call.arguments[ri] ? rootName(call.arguments[ri]!) : undefined,
          commitAt: t.commits ? call.range[0] : undefined,
          inline,
          chainTop: call,
          kind: 'helper-call',
        };
        templateInfo.set(e, { headerParam: hi });
        (statuses.length ? facts.emissions : next).push(e);
      }
    }
    pending = next;
  }
}

function isInsideFn(n: Node, f: FunctionLike): boolean {
  return n.range[0] >= f.range[0] && n.range[1] <= f.range[1];
}

/** The helper parameter that supplies the response headers (`...headers` or `headers`), if any. */
function headerParamOf(t: Emission, F: FunctionLike, si: number, ri: number): number | undefined {
  let found: number | undefined;
  someNode(t.node, (n) => {
    if (n.type !== 'Identifier') return false;
    const i = paramIndex(F, n.name);
    const p = parentOf(n);
    const inHeaders = p && (p.type === 'SpreadElement' || (p.type === 'Property' && p.value === n) || p.type === 'CallExpression' || p.type === 'NewExpression');
    if (i >= 0 && i !== si && i !== ri && inHeaders && !/^(body|data|payload|message|msg|text|json|err|error)$/i.test(n.name)) found = i;
    return found !== undefined;
  });
  return found;
}

/**
 * Error factories: `function unauthorized(msg) { return createError(401, msg) }`. The error is
 * sent where the factory's result is thrown, so the emission moves to the file's calls of the
 * factory (anchored on the call); a factory only used elsewhere says nothing on its own.
 */
export function moveFactoryEmissions(ctx: Ctx, calls: TSESTree.CallExpression[]): void {
  const facts = ctx.facts;
  const keep: Emission[] = [];
  for (const e of facts.emissions) {
    const F = e.thrown && e.kind !== 'helper-call' ? returnedFrom(e.node) : undefined;
    const names = F ? [...facts.functions].filter(([, fs]) => fs.includes(F)).map(([n]) => n) : [];
    if (!F || names.length === 0) {
      keep.push(e);
      continue;
    }
    // the package's other files may throw what it makes: under the names it is exported by
    const exported = [...facts.exportedFns].filter(([, fn]) => fn === F).map(([n]) => n);
    const info: FactoryTemplate = { statuses: e.statuses, kind: e.kind, framework: e.framework, www: e.inline.www, proxy: e.inline.proxy, ...(e.needsPackage ? { needsPackage: e.needsPackage } : {}) };
    for (const n of exported) facts.factories.set(n, info);
    for (const call of calls) {
      if (!names.includes(calleeName(call) ?? '') || isInsideFn(call, F)) continue;
      const anchor = call.callee;
      const moved: Emission = { ...e, anchor, statusNode: undefined, node: call, fn: ctx.fnOf(call), chainTop: call, kind: 'helper-call', commitAt: call.range[0], receiver: undefined };
      templateInfo.set(moved, {});
      keep.push(moved);
    }
  }
  facts.emissions = keep;
}

/** The named pure factory whose whole body returns exactly this node (not a route handler). */
function returnedFrom(node: Node): FunctionLike | undefined {
  let p = parentOf(node);
  while (p && (p.type === 'TSAsExpression' || p.type === 'AwaitExpression')) p = parentOf(p);
  let f: Node | null = null;
  if (p && p.type === 'ReturnStatement') {
    const block = parentOf(p);
    if (!block || block.type !== 'BlockStatement' || block.body.length !== 1) return undefined;
    f = parentOf(block);
  } else if (p && p.type === 'ArrowFunctionExpression' && p.body === node) f = p;
  if (!f || !isFunction(f)) return undefined;
  const handlerParam = f.params.some((q) => q.type === 'Identifier' && /^(req|request|res|response|reply|h|ctx|context|c|next)$/.test(q.name));
  return handlerParam ? undefined : f;
}

/** The headers an instantiated helper call carries: the helper's own, plus the call's headers argument. */
function callInline(t: HelperTemplate, values: Emission['inline']['values'], call: TSESTree.CallExpression, b: Bindings): Emission['inline'] {
  const inline: Emission['inline'] = { www: t.www, proxy: t.proxy, values: [...values] };
  if (t.hi !== undefined) {
    const arg = call.arguments[t.hi];
    const fromCall = arg ? headersFrom(arg, b) : { www: 'none' as Presence, proxy: 'none' as Presence, values: [] };
    for (const k of ['www', 'proxy'] as const) if (inline[k] === 'may') inline[k] = fromCall[k];
    inline.values.push(...fromCall.values);
  }
  for (const k of ['www', 'proxy'] as const) if (t.sets[k] && inline[k] === 'none') inline[k] = 'may';
  return inline;
}

/**
 * Helpers that take an options object carrying the status: `createErrorResponse(code, { statusCode: 401,
 * headers })` with `new Response(body, { status: options.statusCode ?? 400, headers: {...options.headers} })`
 * inside. Each call that passes a status in that object is an emission anchored on the status it
 * passes, guarded by the caller's conditions, with the headers that object carries. An object
 * spread under a condition (`...attempted ? { headers } : {}`) is a path each way (§D.10.1).
 */
export function instantiateOptionTemplates(ctx: Ctx, calls: TSESTree.CallExpression[]): void {
  const facts = ctx.facts;
  const made: Emission[] = [];
  for (const t of facts.emissions) {
    const slot = t.statusNode ? optionSlot(t.statusNode, facts.bindings) : undefined;
    if (!slot) continue;
    const F = declaringFunction(slot.param, t.fn);
    if (!F) continue;
    const si = paramIndex(F, slot.param);
    const names = [...facts.functions].filter(([, fs]) => fs.includes(F)).map(([n]) => n);
    if (si < 0 || names.length === 0) continue;
    for (const call of calls) {
      if (!names.includes(calleeName(call) ?? '') || isInsideFn(call, F)) continue;
      const arg = call.arguments[si];
      if (!arg || arg.type === 'SpreadElement') continue;
      const shapes = objectShapes(arg, facts.bindings, 0);
      if (!shapes) continue;
      // the status of each shape; one emission per status node, headers judged over every shape
      const byNode = new Map<Node, { statuses: number[]; headers: Array<Node | undefined> }>();
      for (const shape of shapes) {
        const st = shape.get(slot.key);
        const statuses = st ? statusValues(st, facts.bindings) : undefined;
        if (!st || !statuses) continue;
        const entry = byNode.get(st) ?? { statuses, headers: [] };
        entry.headers.push(shape.get('headers'));
        byNode.set(st, entry);
      }
      for (const [st, { statuses, headers }] of byNode) {
        const inline: Emission['inline'] = { www: t.inline.www, proxy: t.inline.proxy, values: [...t.inline.values] };
        const given = headers.map((h) => (h ? headersFrom(h, facts.bindings) : undefined));
        for (const k of ['www', 'proxy'] as const) {
          if (inline[k] !== 'may') continue;
          const each = given.map((g) => (g ? g[k] : 'none'));
          inline[k] = each.includes('none') ? 'none' : each.includes('may') ? 'may' : 'yes';
        }
        for (const g of given) if (g) inline.values.push(...g.values);
        const e: Emission = {
          ...t,
          statuses,
          anchor: st,
          statusNode: st,
          node: call,
          fn: ctx.fnOf(call),
          receiver: undefined,
          commits: true,
          commitAt: call.range[0],
          inline,
          chainTop: call,
          kind: 'helper-call',
          guardAt: undefined,
        };
        templateInfo.set(e, {});
        made.push(e);
      }
    }
  }
  facts.emissions.push(...made);
}

/** `options.statusCode`, `options.statusCode ?? 400`, or a const holding one, where `options` is a parameter. */
function optionSlot(node: Node, b: Bindings, depth = 0): { param: string; key: string } | undefined {
  if (depth > 3) return undefined;
  const n = unwrap(node);
  if (n.type === 'Identifier') {
    const init = b.get(n);
    return init ? optionSlot(init, b, depth + 1) : undefined;
  }
  if (n.type === 'LogicalExpression' && (n.operator === '??' || n.operator === '||')) return optionSlot(n.left, b, depth + 1);
  if (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier') {
    const o = unwrap(n.object);
    if (o.type === 'Identifier') return { param: o.name, key: n.property.name };
  }
  return undefined;
}

/**
 * The possible shapes of an object literal argument (key -> value node): one per combination of
 * the arms of its conditional spreads (at most 8); undefined when it is not such a literal.
 */
function objectShapes(node: Node, b: Bindings, depth: number): Array<Map<string, Node>> | undefined {
  let n = unwrap(node);
  if (n.type === 'Identifier' && depth === 0) {
    const init = b.get(n);
    if (!init) return undefined;
    n = unwrap(init);
  }
  if (n.type !== 'ObjectExpression' || depth > 2) return undefined;
  let shapes: Array<Map<string, Node>> = [new Map()];
  for (const p of n.properties) {
    if (p.type === 'Property') {
      const k = keyName(p);
      if (k === undefined) continue;
      for (const s of shapes) s.set(k, p.value as Node);
      continue;
    }
    const a = unwrap(p.argument);
    const arms = a.type === 'ConditionalExpression' ? [a.consequent, a.alternate] : a.type === 'LogicalExpression' && a.operator === '&&' ? [a.right, undefined] : [a];
    const armShapes: Array<Array<Map<string, Node>>> = [];
    for (const arm of arms) {
      if (!arm) {
        armShapes.push([new Map()]);
        continue;
      }
      const inner = objectShapes(arm, b, depth + 1);
      if (!inner) return undefined;
      armShapes.push(inner);
    }
    const next: Array<Map<string, Node>> = [];
    for (const s of shapes) for (const list of armShapes) for (const x of list) next.push(new Map([...s, ...x]));
    if (next.length > 8) return undefined;
    shapes = next;
  }
  return shapes;
}
