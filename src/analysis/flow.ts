// Does a challenge reach an emission? Inline headers, header writes on the same response
// earlier in the handler (or in enclosing closures), local helpers that set it on a
// parameter, the framework's error pipeline (Koa wipes, Hono's raw Response drops), and
// challenge injectors (error handlers, hooks, filters) in the file or the project.
import { AppGraph, appFacts, emissionContext } from './apps';
import type { TSESTree } from '@typescript-eslint/types';
import { isFunction, parentOf, unwrap, type FunctionLike, type Node } from './ast';
import { spend } from './budget';
import type { FileFacts } from './collect';
import type { ErrorClass } from './frameworks/errors';
import type { FactoryTemplate, HelperTemplate } from './frameworks/templates';
import type { ChallengeValue, Emission, HeaderKind, HeaderWrite, Presence } from './model';
import { dominates, followsAlways, unconditionalWithin } from './dominance';
import { covers, fileInjectors, packageInjectors, statusesOfTest, type Injector } from './injectors';

export interface ProjectFacts {
  /** The package's registered injectors; undefined when linting one file alone (its own are used). */
  injectors?: Injector[];
  /** Dependencies of the package (package.json), when known. */
  dependencies?: Set<string>;
  /** Some file of the package answers passport's failures in a custom callback. */
  customPassportCallback?: boolean;
  /** Error classes declared in the project's files, by name (null when two files disagree). */
  errorClasses: Map<string, ErrorClass | null>;
  /** Status-parameter helpers declared in the project's files, by name (null when two disagree). */
  templates: Map<string, HelperTemplate | null>;
  /** Error factories exported by the package's files, by exported name (null when two disagree). */
  factories?: Map<string, FactoryTemplate | null>;
  /** The package's application contexts and mounts (§D.10.2 b); undefined: the file's own. */
  apps?: AppGraph;
}

export function emptyProject(): ProjectFacts {
  return { errorClasses: new Map(), templates: new Map() };
}

export interface Coverage {
  presence: Presence;
  values: ChallengeValue[];
  /** A challenge was set but the framework throws it away (Koa ctx.throw, Hono raw Response). */
  discarded?: HeaderWrite;
}


function ancestorsOf(fn: FunctionLike | null): Set<FunctionLike | null> {
  const out = new Set<FunctionLike | null>([fn, null]);
  for (let p: Node | null = fn; p; p = parentOf(p)) if (isFunction(p)) out.add(p);
  return out;
}

export class Flow {
  private readonly summaryMemo = new Map<string, boolean>();
  readonly injectors: Injector[];

  constructor(private readonly facts: FileFacts, project: ProjectFacts) {
    const own = project.injectors && project.apps ? undefined : fileInjectors(facts);
    this.injectors = project.injectors ?? packageInjectors([own!]);
    this.apps = project.apps ?? new AppGraph([own ? own.apps : appFacts(facts)]);
  }

  private readonly apps: AppGraph;

  coverage(e: Emission, header: HeaderKind): Coverage {
    const values = e.inline.values.filter((v) => v.header === header);
    if (e.inline[header] !== 'none') return { presence: e.inline[header], values };
    for (const inj of this.injectors) if (covers(inj, e, header, this.facts.fileName) && this.apps.reaches(inj.on, emissionContext(e, this.facts))) return { presence: 'may', values };
    if (e.framework === 'nestjs' && e.kind !== 'nest-guard' && nestHeaderDecorator(e.fn, header)) return { presence: 'yes', values };
    const fns = ancestorsOf(e.fn);
    const limit = e.commitAt ?? Number.POSITIVE_INFINITY;
    const koaWipe = e.kind === 'koa-throw' || (e.thrown && this.isKoaHandler(e.fn));
    let presence: Presence = 'none';
    let discarded: HeaderWrite | undefined;
    for (const w of this.facts.writes) {
      spend(1);
      if (w.header !== header && w.header !== 'unknown') continue;
      if (!fns.has(w.fn)) continue;
      const sameReceiver = e.receiver !== undefined && w.receiver === e.receiver;
      if (!sameReceiver && !(e.thrown && this.isResponseLike(w.receiver, e.fn))) {
        // Hono: c.header() then a raw Response: the header is dropped
        if (e.kind === 'response-init' && w.header === header && w.end <= e.node.range[0] && this.isResponseLike(w.receiver, e.fn)) discarded = w;
        continue;
      }
      if (w.end > limit && !(sameReceiver && (!e.commits || e.thrown))) continue;
      // `if (status === 401) res.set(challenge)`: a write under a test that admits this status holds on its path
      const holds = (test: Node, positive: boolean): boolean => !!statusesOfTest(test, positive, this.facts.bindings)?.includes(header === 'www' ? 401 : 407);
      if (!isInsideNode(w.node, e.chainTop) && !(w.end <= e.node.range[0] ? dominates(w.node, closureOf(e.node, w.fn), holds) : followsAlways(e.node, w.node))) continue;
      if (koaWipe && w.koa && w.end <= e.node.range[0]) {
        if (w.header === header) discarded = w;
        continue;
      }
      if (w.header === header) {
        presence = 'yes';
        if (w.value) values.push(w.value);
      } else if (presence === 'none') presence = 'may';
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
      spend(1);
      if (!fns.has(c.fn)) continue;
      if (c.node.range[1] > limit && e.commits) continue;
      if (e.receiver !== undefined ? c.receiver !== e.receiver : !this.isResponseLike(c.receiver, e.fn)) continue;
      if (c.node === e.node || isInsideNode(e.node, c.node)) continue;
      if (!(c.node.range[1] <= e.node.range[0] ? dominates(c.node, closureOf(e.node, c.fn)) : followsAlways(e.node, c.node))) continue;
      const local = this.facts.functions.get(c.callee);
      if (local) {
        if (local.some((f) => this.setsOnParam(f, c.argIndex, header, 0))) return 'may';
      } else if (e.receiver !== undefined && !c.part && this.fromElsewhere(c.node)) {
        // a function of another package or module whose body is not analysed here, given the
        // response itself (not `c.env.DB`, a part of it): unknown
        return 'may';
      }
    }
    return 'none';
  }

  /** The callee of a call is imported (from a package or another file) and so not analysed here. */
  private fromElsewhere(call: Node): boolean {
    if (call.type !== 'CallExpression') return false;
    let c: Node = unwrap(call.callee);
    while (c.type === 'MemberExpression') c = unwrap(c.object);
    return c.type === 'Identifier' && this.facts.importNames.has(c.name);
  }

  /** Emission on a helper's parameter: a caller that sets the challenge first makes it a "may". */
  private viaCallers(e: Emission, header: HeaderKind): Presence {
    if (!e.receiver || !e.fn) return 'none';
    const idx = e.fn.params.findIndex((p) => p.type === 'Identifier' && p.name === e.receiver);
    if (idx < 0) return 'none';
    const names = [...this.facts.functions].filter(([, fs]) => fs.includes(e.fn!)).map(([n]) => n);
    for (const c of this.facts.calls) {
      spend(1);
      if (!names.includes(c.callee) || c.argIndex !== idx) continue;
      const fns = ancestorsOf(c.fn);
      if (this.facts.writes.some((w) => (w.header === header || w.header === 'unknown') && w.receiver === c.receiver && fns.has(w.fn) && w.end <= c.node.range[0] && dominates(w.node, closureOf(c.node, w.fn)))) return 'may';
    }
    return 'none';
  }

  /** Whether a helper always sets the header on its parameter `index` (on every path through it). */
  private setsOnParam(f: FunctionLike, index: number, header: HeaderKind, depth: number): boolean {
    const p = f.params[index];
    if (!p || p.type !== 'Identifier' || depth > 4) return false;
    const key = `${f.range[0]}:${index}:${header}`;
    const memo = this.summaryMemo.get(key);
    if (memo !== undefined) return memo;
    this.summaryMemo.set(key, false);
    const always = (n: Node) => n.range[0] >= f.range[0] && n.range[1] <= f.range[1] && unconditionalWithin(n, f);
    let result = this.facts.writes.some((w) => (w.header === header || w.header === 'unknown') && w.receiver === p.name && always(w.node));
    if (!result) {
      for (const c of this.facts.calls) {
        if (c.receiver !== p.name || !always(c.node)) continue;
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

/** The node standing for `target` in the function `fn`: the closure holding it, or itself. */
function closureOf(target: Node, fn: FunctionLike | null): Node {
  let t: Node = target;
  for (let p = parentOf(target); p; p = parentOf(p)) {
    if (p === fn) return t;
    if (isFunction(p)) t = p;
  }
  return t;
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

function isInsideNode(inner: Node, outer: Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

export type { TSESTree };
export { unwrap };
