// Does a challenge reach an emission? Inline headers, header writes on the same response
// earlier in the handler (or in enclosing closures), local helpers that set it on a
// parameter, the framework's error pipeline (Koa wipes, Hono's raw Response drops), and
// challenge injectors (error handlers, hooks, filters) in the file or the project.
import type { TSESTree } from '@typescript-eslint/types';
import { isFunction, parentOf, someNode, unwrap, type FunctionLike, type Node } from './ast';
import { statusValues } from './constants';
import type { FileFacts } from './collect';
import type { ErrorClass } from './frameworks/errors';
import type { HelperTemplate } from './frameworks/templates';
import type { ChallengeValue, Emission, HeaderKind, HeaderWrite, Presence } from './model';

export type InjectorScope = 'all' | 'errors' | 'nest';
export interface ProjectFacts {
  injectors: Record<HeaderKind, Set<InjectorScope>>;
  /** Error classes declared in the project's files, by name (null when two files disagree). */
  errorClasses: Map<string, ErrorClass | null>;
  /** Status-parameter helpers declared in the project's files, by name (null when two disagree). */
  templates: Map<string, HelperTemplate | null>;
}

export function emptyProject(): ProjectFacts {
  return { injectors: { www: new Set(), proxy: new Set() }, errorClasses: new Map(), templates: new Map() };
}

export interface Coverage {
  presence: Presence;
  values: ChallengeValue[];
  /** A challenge was set but the framework throws it away (Koa ctx.throw, Hono raw Response). */
  discarded?: HeaderWrite;
}

const STATUS_FOR: Record<HeaderKind, number> = { www: 401, proxy: 407 };

function ancestorsOf(fn: FunctionLike | null): Set<FunctionLike | null> {
  const out = new Set<FunctionLike | null>([fn, null]);
  for (let p: Node | null = fn; p; p = parentOf(p)) if (isFunction(p)) out.add(p);
  return out;
}

export class Flow {
  private readonly summaryMemo = new Map<string, boolean>();
  readonly fileInjectors: Record<HeaderKind, Set<InjectorScope>>;

  constructor(private readonly facts: FileFacts, private readonly project: ProjectFacts) {
    this.fileInjectors = findInjectors(facts);
  }

  coverage(e: Emission, header: HeaderKind): Coverage {
    const values = e.inline.values.filter((v) => v.header === header);
    if (e.inline[header] !== 'none') return { presence: e.inline[header], values };
    for (const inj of [this.fileInjectors[header], this.project.injectors[header]]) {
      if (inj.has('all') || (e.thrown && inj.has('errors') && e.framework !== 'nestjs') || (inj.has('nest') && e.framework === 'nestjs')) {
        return { presence: 'may', values };
      }
    }
    if (e.framework === 'nestjs' && e.kind !== 'nest-guard' && nestHeaderDecorator(e.fn, header)) return { presence: 'yes', values };
    const fns = ancestorsOf(e.fn);
    const limit = e.commitAt ?? Number.POSITIVE_INFINITY;
    const koaWipe = e.kind === 'koa-throw' || (e.thrown && this.isKoaHandler(e.fn));
    let presence: Presence = 'none';
    let discarded: HeaderWrite | undefined;
    for (const w of this.facts.writes) {
      if (w.header !== header && w.header !== 'unknown') continue;
      if (!fns.has(w.fn)) continue;
      const sameReceiver = e.receiver !== undefined && w.receiver === e.receiver;
      if (!sameReceiver && !(e.thrown && this.isResponseLike(w.receiver, e.fn))) {
        // Hono: c.header() then a raw Response: the header is dropped
        if (e.kind === 'response-init' && w.header === header && w.end <= e.node.range[0] && this.isResponseLike(w.receiver, e.fn)) discarded = w;
        continue;
      }
      if (w.end > limit && !(sameReceiver && (!e.commits || e.thrown))) continue;
      if (!isInsideNode(w.node, e.chainTop) && !(w.end <= e.node.range[0] ? reaches(w.node, e.node) : reaches(e.node, w.node))) continue;
      if (koaWipe && w.koa && w.end <= e.node.range[0]) {
        if (w.header === header) discarded = w;
        continue;
      }
      if (w.header === header) {
        presence = 'yes';
        if (w.value) values.push(w.value);
      } else if (presence === 'none') presence = 'may';
    }
    if (presence === 'none' && !e.commits && !e.thrown && e.receiver && e.fn) {
      // res.status(401); next(body): later middleware sends it and may add the challenge
      const fn = e.fn;
      if (this.facts.nextCalls.some((c) => c.range[0] > e.node.range[1] && isInsideNode(c, fn) && reaches(e.node, c))) presence = 'may';
    }
    if (presence === 'none') presence = this.viaHelpers(e, header, fns, limit);
    if (presence === 'none') presence = this.viaCallers(e, header);
    return { presence, values, discarded: presence === 'none' ? discarded : undefined };
  }

  /** A parameter of an enclosing function (res, reply, ctx, c, response...). */
  private isResponseLike(name: string, fn: FunctionLike | null): boolean {
    for (let f: Node | null = fn; f; f = parentOf(f)) {
      if (!isFunction(f)) continue;
      if (f.params.some((p) => p.type === 'Identifier' && p.name === name)) return true;
      if (f.params.some((p) => p.type === 'TSParameterProperty')) return true;
    }
    return name === '@response' || /^(res|response|reply|ctx|context|c|h)$/.test(name);
  }

  private isKoaHandler(fn: FunctionLike | null): boolean {
    if ([...this.facts.imports].some((m) => /^hono($|\/)/.test(m))) return false;
    for (let f: Node | null = fn; f; f = parentOf(f)) {
      if (isFunction(f) && f.params.some((p) => p.type === 'Identifier' && (p.name === 'ctx' || p.name === 'context'))) {
        return [...this.facts.imports].some((m) => /^(koa|@koa\/|koa-)/.test(m)) || this.facts.writes.some((w) => w.koa);
      }
    }
    return false;
  }

  private viaHelpers(e: Emission, header: HeaderKind, fns: Set<FunctionLike | null>, limit: number): Presence {
    for (const c of this.facts.calls) {
      if (!fns.has(c.fn)) continue;
      if (c.node.range[1] > limit && e.commits) continue;
      if (e.receiver !== undefined ? c.receiver !== e.receiver : !this.isResponseLike(c.receiver, e.fn)) continue;
      if (c.node === e.node || isInsideNode(e.node, c.node)) continue;
      const local = this.facts.functions.get(c.callee);
      if (local) {
        if (local.some((f) => this.setsOnParam(f, c.argIndex, header, 0))) return 'may';
      } else if (/auth|challenge|www|header|unauthori[sz]ed/i.test(c.callee) && !/^(authenticate|authorize)$/.test(c.callee)) {
        return 'may';
      }
    }
    return 'none';
  }

  /** Emission on a helper's parameter: a caller that sets the challenge first makes it a "may". */
  private viaCallers(e: Emission, header: HeaderKind): Presence {
    if (!e.receiver || !e.fn) return 'none';
    const idx = e.fn.params.findIndex((p) => p.type === 'Identifier' && p.name === e.receiver);
    if (idx < 0) return 'none';
    const names = [...this.facts.functions].filter(([, fs]) => fs.includes(e.fn!)).map(([n]) => n);
    for (const c of this.facts.calls) {
      if (!names.includes(c.callee) || c.argIndex !== idx) continue;
      const fns = ancestorsOf(c.fn);
      if (this.facts.writes.some((w) => (w.header === header || w.header === 'unknown') && w.receiver === c.receiver && fns.has(w.fn) && w.end <= c.node.range[0])) return 'may';
    }
    return 'none';
  }

  private setsOnParam(f: FunctionLike, index: number, header: HeaderKind, depth: number): boolean {
    const p = f.params[index];
    if (!p || p.type !== 'Identifier' || depth > 4) return false;
    const key = `${f.range[0]}:${index}:${header}`;
    const memo = this.summaryMemo.get(key);
    if (memo !== undefined) return memo;
    this.summaryMemo.set(key, false);
    const inside = (n: Node | null) => n !== null && n.range[0] >= f.range[0] && n.range[1] <= f.range[1];
    let result = this.facts.writes.some((w) => (w.header === header || w.header === 'unknown') && w.receiver === p.name && inside(w.fn));
    if (!result) {
      for (const c of this.facts.calls) {
        if (c.receiver !== p.name || !inside(c.fn)) continue;
        const local = this.facts.functions.get(c.callee);
        if (local && local.some((g) => g !== f && this.setsOnParam(g, c.argIndex, header, depth + 1))) {
          result = true;
          break;
        }
      }
    }
    this.summaryMemo.set(key, result);
    return result;
  }
}

/** NestJS `@Header('WWW-Authenticate', ...)` on the handler: applied before the handler runs, so its throws keep it. */
function nestHeaderDecorator(fn: FunctionLike | null, header: HeaderKind): boolean {
  const m = fn && parentOf(fn);
  if (!m || m.type !== 'MethodDefinition') return false;
  const want = header === 'www' ? 'www-authenticate' : 'proxy-authenticate';
  return (m.decorators ?? []).some((d) => {
    const e = d.expression;
    if (e.type !== 'CallExpression' || e.callee.type !== 'Identifier' || e.callee.name !== 'Header') return false;
    const a = e.arguments[0];
    return !!a && a.type === 'Literal' && typeof a.value === 'string' && a.value.toLowerCase() === want;
  });
}

function isBlock(n: Node): n is TSESTree.BlockStatement | TSESTree.Program {
  return n.type === 'BlockStatement' || n.type === 'Program';
}

function definitelyExits(s: Node): boolean {
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  if (s.type === 'BlockStatement') return s.body.some(definitelyExits);
  if (s.type === 'IfStatement') return !!s.alternate && definitelyExits(s.consequent) && definitelyExits(s.alternate);
  return false;
}

function childIn(block: TSESTree.BlockStatement | TSESTree.Program, n: Node): number {
  return (block.body as Node[]).findIndex((s) => isInsideNode(n, s));
}

/** Whether control can flow from `from` to `to` inside one function body (or outward to a closure). */
export function reaches(from: Node, to: Node): boolean {
  let cur: Node = from;
  for (let p = parentOf(cur); p; cur = p, p = parentOf(p)) {
    if (isInsideNode(to, p)) {
      if (isBlock(p)) {
        const a = childIn(p, from);
        const b = childIn(p, to);
        if (a < 0 || b < 0) return true;
        const [lo, hi] = a < b ? [a, b] : [b, a];
        return !(p.body as Node[]).slice(lo, hi).some(definitelyExits);
      }
      if ((p.type === 'IfStatement' || p.type === 'ConditionalExpression') && cur !== p.test && !isInsideNode(to, p.test)) return false;
      return true;
    }
    if (isFunction(p)) return from.range[0] > to.range[0] ? false : true;
    if (cur.type === 'ReturnStatement' || cur.type === 'ThrowStatement') return false;
    if (isBlock(p)) {
      const i = (p.body as Node[]).indexOf(cur);
      if ((p.body as Node[]).slice(i + 1).some(definitelyExits)) return false;
    }
  }
  return true;
}

function isInsideNode(inner: Node, outer: Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** Functions that set the challenge for responses they did not produce. */
export function findInjectors(facts: FileFacts): Record<HeaderKind, Set<InjectorScope>> {
  const out: Record<HeaderKind, Set<InjectorScope>> = { www: new Set(), proxy: new Set() };
  const hookByFn = new Map(facts.hooks.map((h) => [h.fn as Node, h.name]));
  for (const w of facts.writes) {
    if (w.header === 'unknown') continue;
    for (let f: Node | null = w.fn; f; f = parentOf(f)) {
      if (!isFunction(f)) continue;
      const scope = injectorScope(f, w.header, hookByFn.get(f), facts) ?? presetBeforeNext(f, w);
      if (scope) {
        out[w.header].add(scope);
        break;
      }
    }
  }
  return out;
}

function injectorScope(f: FunctionLike, header: HeaderKind, hook: string | undefined, facts: FileFacts): InjectorScope | undefined {
  if (hook === 'onSend' || hook === 'onPreResponse' || hook === 'preSerialization') return 'all';
  if (inCatchClass(f, facts)) return 'nest';
  if (comparesStatus(f, STATUS_FOR[header], facts)) return 'all';
  const first = f.params[0];
  if (f.params.length === 4 && first && first.type === 'Identifier' && /^(err|error|e|ex|exception)$/i.test(first.name)) return 'errors';
  if (hook === 'setErrorHandler' || hook === 'onError') return 'errors';
  return undefined;
}

/** `app.use((req, res, next) => { res.set(challenge); next(); })`: every later response carries it. */
function presetBeforeNext(f: FunctionLike, w: { node: Node }): InjectorScope | undefined {
  if (f.body.type !== 'BlockStatement' || f.params.length !== 3) return undefined;
  const last = f.params[2];
  if (!last || last.type !== 'Identifier') return undefined;
  const stmts = f.body.body;
  const i = stmts.findIndex((s) => isInsideNode(w.node, s) && s.type === 'ExpressionStatement');
  if (i < 0) return undefined;
  const callsNext = stmts.slice(i + 1).some((s) => {
    const e = s.type === 'ExpressionStatement' ? s.expression : s.type === 'ReturnStatement' ? s.argument : null;
    const c = e && unwrap(e);
    return !!c && c.type === 'CallExpression' && c.callee.type === 'Identifier' && c.callee.name === last.name && c.arguments.length === 0;
  });
  return callsNext ? 'all' : undefined;
}

function inCatchClass(f: FunctionLike, facts: FileFacts): boolean {
  return facts.catchClasses.some((c) => f.range[0] >= c.node.range[0] && f.range[1] <= c.node.range[1]);
}

function comparesStatus(f: FunctionLike, status: number, facts: FileFacts): boolean {
  return someNode(f.body, (n) => {
    if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator)) {
      const l = statusValues(n.left as Node, facts.bindings);
      const r = statusValues(n.right, facts.bindings);
      return (!!l && l.includes(status)) || (!!r && r.includes(status));
    }
    if (n.type === 'SwitchCase' && n.test) return statusValues(n.test, facts.bindings)?.includes(status) ?? false;
    return false;
  });
}

export type { TSESTree };
export { unwrap };
