// The application model (linter-notes §D.10.2 b): which application, router or plugin context a
// handler and an injector are registered on, and what is mounted under what. An injector covers
// an emission only when the emission's context is the injector's or lies below it. Contexts:
//   - an app or router object the file creates from a framework (`express()`, `express.Router()`,
//     `new Koa()`, `new Router()`, `Fastify()`, `new Hono()`), keyed by file and name;
//   - a plugin's instance parameter (`app.register(async (instance) => {...})`): Fastify
//     encapsulation, a context below the one it is registered on (both ways when the plugin is
//     wrapped in fastify-plugin, which shares its parent's context);
//   - a function given the app (`routes(app)`): the same context as its argument.
// Mounts: `X.use(path?, Y)`, `X.route(path, Y)`, `X.register(P)`, `P(X)`, also through imports
// of the package's files. A context nothing in the package mounts, that the file exports, may
// be mounted anywhere: what covers it is unknown, and unknown covers (as before the model).
import type { TSESTree } from '@typescript-eslint/types';
import { calleeName, enclosingFunction, isFunction, parentOf, propName, someNode, unwrap, type FunctionLike, type Node } from './ast';
import type { FileFacts } from './collect';
import { importCandidates, normal } from './injectors';
import type { Emission } from './model';

/** A mount edge: `parent` holds `child` (a context of this file, or what an import names). */
export interface Mount {
  parent: string;
  child?: string;
  childImport?: { module: string; imported: string };
  /** fastify-plugin, or a function given the app itself: the child shares the parent's context. */
  shared?: boolean;
}

/** What one file says about contexts, as plain data for the package's other files. */
export interface AppFacts {
  fileName: string;
  /** contexts of this file */
  contexts: string[];
  /** applications (express(), Fastify(), new Koa()): tops even when exported, never mounted under another */
  roots: string[];
  /** exported name -> context ('default' for module.exports / export default) */
  exported: Array<[string, string]>;
  mounts: Mount[];
}

const FRAMEWORK_MODULES = /^(express|koa|fastify|hono|connect|polka|restify|@koa\/router|koa-router|@hapi\/hapi|hono\/[a-z-]+)$/;
const APP_MODULES = /^(express|koa|fastify|connect|polka|restify)$/;
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'use', 'route', 'on', 'addRoute']);
const PLUGIN_WRAPPERS = new Set(['fp', 'fastifyPlugin']);

/** The file's contexts and mounts. */
export function appFacts(facts: FileFacts): AppFacts {
  const out: AppFacts = { fileName: facts.fileName, contexts: [], roots: [], exported: [], mounts: [] };
  const model = fileModel(facts);
  out.contexts = [...new Set(model.created.values())];
  out.roots = [...model.roots];
  for (const [name, key] of exportsOf(facts, model)) out.exported.push([name, key]);
  for (const call of facts.allCalls) {
    const callee = unwrap(call.callee);
    // X.use(path?, Y), X.route(path, Y), X.register(P)
    if (callee.type === 'MemberExpression') {
      const m = propName(callee);
      if (m !== 'use' && m !== 'route' && m !== 'register') continue;
      const parent = contextOf(callee.object, facts, model);
      if (!parent) continue;
      for (const a of call.arguments) {
        if (a.type === 'SpreadElement') continue;
        let u = unwrap(a);
        let shared = false;
        if (u.type === 'CallExpression' && wrapperName(u) !== undefined && u.arguments[0]) {
          shared = true;
          u = unwrap(u.arguments[0]);
        }
        if (isFunction(u)) {
          if (m === 'register') {
            const ctx = paramContext(u, facts);
            if (ctx) out.mounts.push({ parent, child: ctx, shared: shared || sharedPlugin(u) });
          }
          continue;
        }
        if (u.type === 'Identifier') {
          const local = localContextOf(u.name, facts, model, m === 'register');
          if (local) out.mounts.push({ parent, child: local.key, shared: shared || local.shared });
          else {
            const spec = facts.importSpecs.get(u.name);
            if (spec && spec.module.startsWith('.')) out.mounts.push({ parent, childImport: spec, shared });
          }
        } else if (u.type === 'CallExpression' && unwrap(u.callee).type === 'Identifier' && unwrap(u.callee) !== callee) {
          // app.use(require('./routes')), app.register(import('./plugin'))
          const mod = requiredModule(u);
          if (mod && mod.startsWith('.')) out.mounts.push({ parent, childImport: { module: mod, imported: 'default' }, shared });
        } else if (u.type === 'CallExpression' || u.type === 'MemberExpression') {
          // app.use(router.routes()), app.use(router.middleware()), app.use(sub.fetch): what a context hands over
          let root: Node = u;
          while (root.type === 'CallExpression' || root.type === 'MemberExpression') root = unwrap(root.type === 'CallExpression' ? root.callee : root.object);
          const child = root.type === 'Identifier' ? localContextOf(root.name, facts, model, false) ?? (contextOf(root, facts, model) ? { key: contextOf(root, facts, model)!, shared: false } : undefined) : undefined;
          if (child && child.key !== parent) out.mounts.push({ parent, child: child.key, shared });
          else if (root.type === 'Identifier' && !child) {
            const spec = facts.importSpecs.get(root.name);
            if (spec && spec.module.startsWith('.')) out.mounts.push({ parent, childImport: spec, shared });
          }
        }
      }
      continue;
    }
    // routes(app): a function given the app works on that same context
    if (callee.type === 'Identifier') {
      const ctxArg = call.arguments.find((a) => a.type !== 'SpreadElement' && contextOf(a, facts, model));
      if (!ctxArg) continue;
      const parent = contextOf(ctxArg as Node, facts, model)!;
      const idx = call.arguments.indexOf(ctxArg);
      const fns = facts.functions.get(callee.name);
      if (fns && fns.length === 1) {
        const ctx = paramContextAt(fns[0]!, idx, facts);
        if (ctx) out.mounts.push({ parent, child: ctx, shared: true });
      } else {
        const spec = facts.importSpecs.get(callee.name);
        if (spec && spec.module.startsWith('.')) out.mounts.push({ parent, childImport: spec, shared: true });
      }
    }
  }
  return out;
}

interface FileModel {
  /** local name -> context key, for objects created from a framework */
  created: Map<string, string>;
  /** the keys of those that are applications, not routers */
  roots: Set<string>;
}

const models = new WeakMap<FileFacts, FileModel>();

function fileModel(facts: FileFacts): FileModel {
  let m = models.get(facts);
  if (m) return m;
  m = { created: new Map(), roots: new Set() };
  const frameworkNames = new Set([...facts.importNames].filter(([, mod]) => FRAMEWORK_MODULES.test(mod)).map(([n]) => n));
  if (frameworkNames.size > 0) {
    const seen = new Map<string, number>();
    const visit = (d: TSESTree.VariableDeclarator) => {
      if (d.id.type !== 'Identifier' || !d.init) return;
      const init = unwrap(d.init);
      if (init.type !== 'CallExpression' && init.type !== 'NewExpression') return;
      let root: Node = unwrap(init.callee);
      while (root.type === 'MemberExpression') root = unwrap(root.object);
      if (root.type !== 'Identifier' || !frameworkNames.has(root.name)) return;
      seen.set(d.id.name, (seen.get(d.id.name) ?? 0) + 1);
      const key = `${facts.fileName}#${d.id.name}`;
      m!.created.set(d.id.name, key);
      // `express()`, `Fastify()`, `new Koa()`: the module's default export itself, not a Router
      const callee = unwrap(init.callee);
      if (callee.type === 'Identifier' && APP_MODULES.test(facts.importNames.get(callee.name) ?? '') && facts.importSpecs.get(callee.name)?.imported === 'default') m!.roots.add(key);
    };
    for (const c of facts.allCalls) {
      const p = parentOf(c);
      if (p && p.type === 'VariableDeclarator' && p.init === c) visit(p);
    }
    // `new Koa()`, `new Router()`, `new Hono()`: declarators are found from the program's statements
    forEachDeclarator(facts.program, (d) => {
      if (d.init && unwrap(d.init).type === 'NewExpression') visit(d);
    });
    for (const [n, count] of seen) {
      if (count > 1) {
        m.roots.delete(m.created.get(n)!);
        m.created.delete(n);
      }
    }
  }
  models.set(facts, m);
  return m;
}

/** Declarators of the program's top level and of its top-level functions' bodies (where apps and routers are made). */
function forEachDeclarator(program: TSESTree.Program, visit: (d: TSESTree.VariableDeclarator) => void): void {
  const stmts: Node[] = [...program.body];
  while (stmts.length > 0) {
    let s = stmts.pop()!;
    if (s.type === 'ExportNamedDeclaration' && s.declaration) s = s.declaration;
    if (s.type === 'VariableDeclaration') s.declarations.forEach(visit);
    else if (s.type === 'FunctionDeclaration' && s.body) stmts.push(...s.body.body);
    else if (s.type === 'ExpressionStatement') {
      const e = unwrap(s.expression);
      // module.exports = function (app) { const router = ... }
      const f = e.type === 'AssignmentExpression' ? unwrap(e.right) : e;
      if (isFunction(f) && f.body.type === 'BlockStatement') stmts.push(...f.body.body);
    }
  }
}

function wrapperName(call: TSESTree.CallExpression): string | undefined {
  const name = calleeName(call);
  return name && PLUGIN_WRAPPERS.has(name) ? name : undefined;
}

function requiredModule(call: TSESTree.CallExpression): string | undefined {
  const c = unwrap(call.callee);
  const a = call.arguments[0];
  if (c.type === 'Identifier' && c.name === 'require' && a && a.type === 'Literal' && typeof a.value === 'string') return a.value;
  return undefined;
}

/** The context of the first parameter of a plugin function. */
function paramContext(f: FunctionLike, facts: FileFacts): string | undefined {
  return paramContextAt(f, 0, facts);
}

function paramContextAt(f: FunctionLike, i: number, facts: FileFacts): string | undefined {
  const p = f.params[i];
  return p && p.type === 'Identifier' ? `${facts.fileName}#${p.name}@${f.range[0]}` : undefined;
}

/** A plugin function wrapped where it is declared: `const plugin = fp(async (app) => ...)`. */
function sharedPlugin(f: FunctionLike): boolean {
  const p = parentOf(f);
  return !!p && p.type === 'CallExpression' && wrapperName(p) !== undefined;
}

/** A name of this file that is a context: a created object, or a named plugin/route function. */
function localContextOf(name: string, facts: FileFacts, model: FileModel, plugin: boolean): { key: string; shared: boolean } | undefined {
  const created = model.created.get(name);
  if (created) return { key: created, shared: false };
  if (!plugin) return undefined;
  const fns = facts.functions.get(name);
  if (fns && fns.length === 1) {
    const ctx = paramContext(fns[0]!, facts);
    return ctx ? { key: ctx, shared: sharedPlugin(fns[0]!) } : undefined;
  }
  // const plugin = fp(async function (app) {...})
  const init = facts.bindings.initOf(name);
  const u = init && unwrap(init);
  if (u && u.type === 'CallExpression' && wrapperName(u) && u.arguments[0] && isFunction(unwrap(u.arguments[0]))) {
    const ctx = paramContext(unwrap(u.arguments[0]) as FunctionLike, facts);
    return ctx ? { key: ctx, shared: true } : undefined;
  }
  return undefined;
}

/**
 * The context an expression denotes: an object the file creates from a framework, or the
 * parameter of a function through which an app or instance is handed over (a plugin, `routes(app)`).
 */
export function contextOf(node: Node, facts: FileFacts, model: FileModel = fileModel(facts)): string | undefined {
  const n = unwrap(node);
  if (n.type !== 'Identifier') return undefined;
  const created = model.created.get(n.name);
  if (created) {
    // a parameter of an enclosing function of the same name shadows it
    if (!paramOwner(n)) return created;
  }
  const owner = paramOwner(n);
  if (!owner) return undefined;
  const i = owner.params.findIndex((p) => p.type === 'Identifier' && p.name === n.name);
  // only functions that receive an app: plugins and route-setup functions, not handlers (req, res)
  return i >= 0 && receivesApp(owner, i) ? paramContextAt(owner, i, facts) : undefined;
}

/** The nearest enclosing function that has a plain parameter of this name. */
function paramOwner(id: TSESTree.Identifier): FunctionLike | undefined {
  for (let f: Node | null = enclosingFunction(id); f; f = parentOf(f)) {
    if (isFunction(f) && f.params.some((p) => p.type === 'Identifier' && p.name === id.name)) return f;
  }
  return undefined;
}

const receives = new WeakMap<FunctionLike, Map<number, boolean>>();

/** Whether parameter i of f is an app or instance: handlers and hooks are registered on it in f's body. */
function receivesApp(f: FunctionLike, i: number): boolean {
  let memo = receives.get(f);
  if (!memo) receives.set(f, (memo = new Map()));
  const known = memo.get(i);
  if (known !== undefined) return known;
  const p = f.params[i];
  const found =
    !!p &&
    p.type === 'Identifier' &&
    someNode(f.body, (n) => {
      if (n.type !== 'CallExpression') return false;
      const c = unwrap(n.callee);
      if (c.type !== 'MemberExpression' || unwrap(c.object).type !== 'Identifier' || (unwrap(c.object) as TSESTree.Identifier).name !== p.name) return false;
      const m = propName(c);
      return !!m && (ROUTE_METHODS.has(m) || m === 'register' || m === 'addHook' || m === 'setErrorHandler' || m === 'onError' || m === 'ext');
    });
  memo.set(i, found);
  return found;
}

/** What the file exports that is a context: a created app or router, or a plugin / route-setup function. */
function exportsOf(facts: FileFacts, model: FileModel): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, fn] of facts.exportedFns) {
    const ctx = fn.params[0] && receivesApp(fn, 0) ? paramContext(fn, facts) : undefined;
    if (ctx) out.push([name, ctx]);
  }
  for (const s of facts.program.body) {
    // module.exports = router; export default router; export { router }
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression') {
      const l = s.expression.left;
      const r = unwrap(s.expression.right);
      const target = l.type === 'MemberExpression' ? (propName(l) === 'exports' && unwrap(l.object).type === 'Identifier' && (unwrap(l.object) as TSESTree.Identifier).name === 'module' ? 'default' : unwrap(l.object).type === 'Identifier' && (unwrap(l.object) as TSESTree.Identifier).name === 'exports' ? propName(l) : undefined) : undefined;
      if (target && r.type === 'Identifier' && model.created.has(r.name)) out.push([target, model.created.get(r.name)!]);
      if (target && r.type === 'CallExpression' && wrapperName(r) && r.arguments[0]) {
        const inner = unwrap(r.arguments[0]);
        const fn = isFunction(inner) ? inner : inner.type === 'Identifier' && facts.functions.get(inner.name)?.length === 1 ? facts.functions.get(inner.name)![0]! : undefined;
        const ctx = fn ? paramContext(fn, facts) : undefined;
        if (ctx) out.push([target, ctx]);
      }
    } else if (s.type === 'ExportDefaultDeclaration') {
      const d = unwrap(s.declaration as Node);
      if (d.type === 'Identifier' && model.created.has(d.name)) out.push(['default', model.created.get(d.name)!]);
    } else if (s.type === 'ExportNamedDeclaration') {
      for (const sp of s.specifiers) if (sp.local.type === 'Identifier' && model.created.has(sp.local.name)) out.push([sp.exported.type === 'Identifier' ? sp.exported.name : String(sp.exported.value), model.created.get(sp.local.name)!]);
      if (s.declaration && s.declaration.type === 'VariableDeclaration') for (const d of s.declaration.declarations) if (d.id.type === 'Identifier' && model.created.has(d.id.name)) out.push([d.id.name, model.created.get(d.id.name)!]);
    }
  }
  return out;
}

const emissionContexts = new WeakMap<Emission, string | null>();

/**
 * The context an emission's handler is registered on: the nearest enclosing function given to
 * `Y.get/post/use/route(...)` (directly, or by its name in this file); undefined when unknown.
 */
export function emissionContext(e: Emission, facts: FileFacts): string | undefined {
  const memo = emissionContexts.get(e);
  if (memo !== undefined) return memo ?? undefined;
  let found: string | undefined;
  const model = fileModel(facts);
  for (let f: Node | null = e.fn; f && !found; f = parentOf(f)) {
    if (!isFunction(f)) continue;
    const p = parentOf(f);
    if (p && p.type === 'CallExpression' && p.arguments.includes(f as TSESTree.CallExpressionArgument)) {
      found = registeredOn(p, facts, model);
      if (found !== undefined) break;
    }
    // a named handler: router.get('/x', getUser)
    const name = f.type === 'FunctionDeclaration' ? f.id?.name : p && p.type === 'VariableDeclarator' && p.id.type === 'Identifier' ? p.id.name : undefined;
    if (name) {
      const keys = new Set<string>();
      for (const c of facts.allCalls) {
        if (!c.arguments.some((a) => a.type === 'Identifier' && a.name === name)) continue;
        const k = registeredOn(c, facts, model);
        if (k !== undefined) keys.add(k);
      }
      if (keys.size === 1) found = [...keys][0];
      if (keys.size > 0) break;
    }
  }
  emissionContexts.set(e, found ?? null);
  return found;
}

function registeredOn(call: TSESTree.CallExpression, facts: FileFacts, model: FileModel): string | undefined {
  const c = unwrap(call.callee);
  if (c.type !== 'MemberExpression') return undefined;
  const m = propName(c);
  if (!m || !ROUTE_METHODS.has(m)) return undefined;
  // router.route('/x').get(handler): the route's object
  let obj = unwrap(c.object);
  while (obj.type === 'CallExpression' && unwrap(obj.callee).type === 'MemberExpression') obj = unwrap((unwrap(obj.callee) as TSESTree.MemberExpression).object);
  return contextOf(obj, facts, model);
}

/** The package's contexts: parents of each context, and which are open (may be mounted outside what is known). */
export class AppGraph {
  private readonly parents = new Map<string, Set<string>>();
  private readonly known = new Set<string>();
  private readonly exported = new Set<string>();
  private readonly unresolved = new Set<string>();
  private readonly roots = new Set<string>();

  constructor(files: AppFacts[]) {
    const byPath = new Map(files.map((f) => [normal(f.fileName), f]));
    for (const f of files) {
      for (const c of f.contexts) this.known.add(c);
      for (const c of f.roots) this.roots.add(c);
      for (const [, c] of f.exported) {
        this.known.add(c);
        this.exported.add(c);
      }
    }
    for (const f of files) {
      for (const m of f.mounts) {
        this.known.add(m.parent);
        let child = m.child;
        if (!child && m.childImport) child = resolveExport(m.childImport, f.fileName, byPath);
        if (!child) {
          // mounted from somewhere the model cannot follow: what lies below is unknown
          this.unresolved.add(m.parent);
          continue;
        }
        this.known.add(child);
        this.edge(m.parent, child);
        if (m.shared) this.edge(child, m.parent);
      }
    }
  }

  private edge(parent: string, child: string): void {
    let s = this.parents.get(child);
    if (!s) this.parents.set(child, (s = new Set()));
    s.add(parent);
  }

  /**
   * Whether an injector registered on `on` can see what is registered on `at`: true when `at` is
   * `on` or lies below it, and when the model cannot tell (a context of unknown mount).
   */
  reaches(on: string | undefined, at: string | undefined): boolean {
    if (on === undefined || at === undefined || !this.known.has(on) || !this.known.has(at)) return true;
    const seen = new Set<string>([at]);
    const queue = [at];
    let open = false;
    while (queue.length > 0) {
      const k = queue.shift()!;
      if (k === on) return true;
      const ps = this.parents.get(k);
      if (!ps || ps.size === 0) {
        // a top nothing mounts: an exported router or plugin may be mounted by code the model does not see
        if (!this.roots.has(k) && (this.exported.has(k) || k.slice(k.lastIndexOf('#')).includes('@'))) open = true;
        continue;
      }
      for (const p of ps) {
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    }
    // an injector on a context that mounts something the model cannot follow may be above `at`
    return open || this.unresolved.has(on);
  }
}

function resolveExport(spec: { module: string; imported: string }, fromFile: string, byPath: Map<string, AppFacts>): string | undefined {
  for (const cand of importCandidates(spec.module, fromFile)) {
    const target = byPath.get(cand);
    if (target) return target.exported.find(([n]) => n === spec.imported)?.[1];
  }
  return undefined;
}
