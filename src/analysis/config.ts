// Configuration at its defaults (linter-notes §D.10.1): a condition or value that depends on
// configuration (an options parameter of a factory, what is cloned or merged from it, an
// environment variable) takes the value it has when the user passes nothing: the default written
// in the code (`opts.x ?? d`, `{ ...defaults, ...opts }`, `Object.assign({}, defaults, opts)`), else
// `undefined`. The options object itself is present and empty.
import type { TSESTree } from '@typescript-eslint/types';
import { calleeName, enclosingFunction, isFunction, isInside, keyName, parentOf, propName, someNode, unwrap, type FunctionLike, type Node } from './ast';
import type { Bindings } from './constants';

/** An options object as the user passes it by default: empty, with the code's defaults objects behind it. */
class Options {
  constructor(readonly defaults: TSESTree.ObjectExpression[]) {}
}

/** A known value at the default configuration (`undefined` is a known value); undefined when unknown. */
export type Known = { v: unknown };

const MERGE_CALLS = /^(clone|cloneDeep|assign|applyToDefaults|merge|defaults|defaultsDeep|extend|xtend|mergeDeep|deepmerge)$/;

/**
 * The value `node` has at the default configuration, when it depends only on configuration and
 * literals; undefined when it depends on anything else (the request, a call, a loop...).
 * `site` is where the value is read: a factory's parameter is configuration for the functions it
 * makes, not for its own body's per-call work.
 */
export function atDefault(node: Node, b: Bindings, site: Node = node): Known | undefined {
  return evaluate(node, b, site, 0);
}

function evaluate(node: Node, b: Bindings, site: Node, depth: number): Known | undefined {
  if (depth > 8) return undefined;
  const n = unwrap(node);
  switch (n.type) {
    case 'Literal':
      return { v: n.value };
    case 'TemplateLiteral':
      if (n.expressions.length === 0) return { v: n.quasis.map((q) => q.value.cooked ?? q.value.raw).join('') };
      return undefined;
    case 'Identifier': {
      if (n.name === 'undefined') return { v: undefined };
      if (isFactoryParam(n, site)) return { v: new Options([]) };
      const init = b.get(n);
      if (init) return evaluate(init, b, site, depth + 1);
      return letAtDefault(n, b, site, depth);
    }
    case 'MemberExpression': {
      // process.env.X: nothing set
      if (unwrap(n.object).type === 'MemberExpression' && propName(unwrap(n.object)) === 'env' && identName(unwrap((unwrap(n.object) as TSESTree.MemberExpression).object)) === 'process') return { v: undefined };
      const obj = evaluate(n.object, b, site, depth + 1);
      if (!obj || !(obj.v instanceof Options)) return undefined;
      const key = n.computed ? evaluate(n.property as Node, b, site, depth + 1) : { v: propName(n) };
      if (!key || typeof key.v !== 'string') return undefined;
      for (let i = obj.v.defaults.length - 1; i >= 0; i--) {
        const p = obj.v.defaults[i]!.properties.find((q): q is TSESTree.Property => q.type === 'Property' && keyName(q) === key.v);
        if (p) return evaluate(p.value as Node, b, site, depth + 1);
      }
      return { v: undefined };
    }
    case 'LogicalExpression': {
      const l = evaluate(n.left, b, site, depth + 1);
      if (!l) return undefined;
      if (n.operator === '&&') return truthy(l.v) ? evaluate(n.right, b, site, depth + 1) : l;
      if (n.operator === '||') return truthy(l.v) ? l : evaluate(n.right, b, site, depth + 1);
      return l.v === undefined || l.v === null ? evaluate(n.right, b, site, depth + 1) : l;
    }
    case 'UnaryExpression': {
      if (n.operator === 'void') return { v: undefined };
      const a = evaluate(n.argument, b, site, depth + 1);
      if (!a) return undefined;
      if (n.operator === '!') return { v: !truthy(a.v) };
      if (n.operator === 'typeof') return { v: a.v instanceof Options ? 'object' : typeof a.v };
      return undefined;
    }
    case 'BinaryExpression': {
      if (!/^[!=]==?$/.test(n.operator)) return undefined;
      const l = evaluate(n.left as Node, b, site, depth + 1);
      const r = l && evaluate(n.right, b, site, depth + 1);
      if (!l || !r || l.v instanceof Options || r.v instanceof Options) return undefined;
      const loose = n.operator.length === 2;
      const eq = loose ? (l.v == null && r.v == null) || l.v === r.v : l.v === r.v;
      return { v: n.operator.startsWith('!') ? !eq : eq };
    }
    case 'ConditionalExpression': {
      const t = evaluate(n.test, b, site, depth + 1);
      if (!t) return undefined;
      return evaluate(truthy(t.v) ? n.consequent : n.alternate, b, site, depth + 1);
    }
    case 'ObjectExpression': {
      // { ...defaults, ...options }: the options object with these defaults behind it
      let options: Options | undefined;
      const defaults: TSESTree.ObjectExpression[] = [];
      for (const p of n.properties) {
        if (p.type !== 'SpreadElement') continue;
        const v = evaluate(p.argument, b, site, depth + 1);
        if (v && v.v instanceof Options) {
          options = v.v;
          defaults.push(...v.v.defaults);
        } else {
          const o = objectLiteral(p.argument, b);
          if (!o) return undefined;
          defaults.push(o);
        }
      }
      if (!options) return undefined;
      defaults.push(n);
      return { v: new Options(defaults) };
    }
    case 'CallExpression': {
      // Hoek.clone(options), Object.assign({}, defaults, options), applyToDefaults(defaults, options)
      const callee = unwrap(n.callee);
      const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? propName(callee) : undefined;
      if (!name || !MERGE_CALLS.test(name)) return undefined;
      let options: Options | undefined;
      const defaults: TSESTree.ObjectExpression[] = [];
      for (const a of n.arguments) {
        if (a.type === 'SpreadElement') return undefined;
        const v = evaluate(a, b, site, depth + 1);
        if (v && v.v instanceof Options) {
          options = v.v;
          defaults.push(...v.v.defaults);
          continue;
        }
        const o = objectLiteral(a, b);
        if (!o) return undefined;
        defaults.push(o);
      }
      return options ? { v: new Options(defaults) } : undefined;
    }
    default:
      return undefined;
  }
}

function identName(n: Node): string | undefined {
  return n.type === 'Identifier' ? n.name : undefined;
}

/** JavaScript truthiness of a value at the default configuration (an options object is truthy). */
export function truthyAtDefault(v: unknown): boolean {
  return truthy(v);
}

function truthy(v: unknown): boolean {
  return v instanceof Options || !!v;
}

function objectLiteral(node: Node, b: Bindings): TSESTree.ObjectExpression | undefined {
  let n = unwrap(node);
  if (n.type === 'Identifier') {
    const init = b.get(n);
    if (!init) return undefined;
    n = unwrap(init);
  } else if (n.type === 'MemberExpression' && !n.computed) {
    // internals.defaults = { ... } in a module namespace object: not followed (may be reassigned)
    return undefined;
  }
  return n.type === 'ObjectExpression' && n.properties.every((p) => p.type === 'Property') ? n : undefined;
}

/**
 * Whether an identifier is a parameter of a factory: a function that makes the functions that
 * run later (it returns a function, or an object of functions), read from inside one of them.
 */
function isFactoryParam(id: TSESTree.Identifier, site: Node): boolean {
  const inner = enclosingFunction(site);
  for (let f: Node | null = enclosingFunction(id); f; f = parentOf(f)) {
    if (!isFunction(f)) continue;
    const p = paramNamed(f, id.name);
    if (p === undefined) continue;
    return f !== inner && inner !== null && isInside(inner, f) && makesFunctions(f);
  }
  return false;
}

/** The parameter (a plain name or one with a default) bound to `name`, if any. */
function paramNamed(f: FunctionLike, name: string): Node | undefined {
  for (const p of f.params) {
    const q = p.type === 'AssignmentPattern' ? p.left : p;
    if (q.type === 'Identifier' && q.name === name) return q;
  }
  return undefined;
}

const factories = new WeakMap<FunctionLike, boolean>();

/** A function that returns a function or an object holding functions (a middleware or scheme factory). */
function makesFunctions(f: FunctionLike): boolean {
  let known = factories.get(f);
  if (known !== undefined) return known;
  const made = (x: Node | null | undefined): boolean => {
    if (!x) return false;
    const u = unwrap(x);
    if (isFunction(u)) return true;
    if (u.type === 'ObjectExpression') return u.properties.some((p) => (p.type === 'Property' && isFunction(unwrap(p.value as Node))) || (p.type === 'Property' && p.method));
    if (u.type === 'Identifier') return localFunctionOrObject(f, u.name);
    return false;
  };
  if (registeredPlugin(f)) known = true;
  else if (f.body.type !== 'BlockStatement') known = made(f.body);
  else {
    known = someNode(f.body, (n) => {
      if (n !== f.body && isFunction(n)) return false;
      return n.type === 'ReturnStatement' && enclosingFunction(n) === f && made(n.argument);
    });
  }
  factories.set(f, known);
  return known;
}

const PLUGIN_CALLS = /^(register|fp|fastifyPlugin)$/;

/**
 * A plugin: a function handed to a framework's plugin registration (`fastify.register(f, opts)`,
 * `fp(f)` of fastify-plugin, hapi's `{ register(server, options) }`). Its options parameter is
 * configuration for everything it sets up.
 */
function registeredPlugin(f: FunctionLike): boolean {
  const p = parentOf(f);
  if (!p) return false;
  if (p.type === 'Property' && p.value === f && keyName(p) === 'register') return true;
  if (p.type === 'MethodDefinition' && p.value === f && p.key.type === 'Identifier' && p.key.name === 'register') return true;
  if (p.type === 'CallExpression' && p.arguments.includes(f as TSESTree.CallExpressionArgument)) return PLUGIN_CALLS.test(calleeName(p) ?? '');
  // function plugin(app, opts) {...}; module.exports = fp(plugin)
  const name = f.type === 'FunctionDeclaration' ? f.id?.name : p.type === 'VariableDeclarator' && p.id.type === 'Identifier' ? p.id.name : undefined;
  if (!name) return false;
  let root: Node = f;
  for (let q = parentOf(root); q; q = parentOf(q)) root = q;
  return someNode(root, (n) => n.type === 'CallExpression' && PLUGIN_CALLS.test(calleeName(n) ?? '') && n.arguments.some((a) => a.type === 'Identifier' && a.name === name));
}

/** Whether `name` is declared in f's body as a function or as an object literal holding functions. */
function localFunctionOrObject(f: FunctionLike, name: string): boolean {
  if (f.body.type !== 'BlockStatement') return false;
  for (const s of f.body.body) {
    if (s.type === 'FunctionDeclaration' && s.id?.name === name) return true;
    if (s.type !== 'VariableDeclaration') continue;
    for (const d of s.declarations) {
      if (d.id.type !== 'Identifier' || d.id.name !== name || !d.init) continue;
      const u = unwrap(d.init);
      if (isFunction(u)) return true;
      if (u.type === 'ObjectExpression') return u.properties.some((p) => p.type === 'Property' && (p.method || isFunction(unwrap(p.value as Node))));
    }
  }
  return false;
}

/**
 * `let key = 'user'; if (options.customKey) key = options.customKey;`: a `let` whose every later
 * assignment sits under a condition that is false at the default configuration keeps its initial value.
 */
function letAtDefault(id: TSESTree.Identifier, b: Bindings, site: Node, depth: number): Known | undefined {
  const init = b.initOf(id);
  if (!init) return undefined;
  const decl = parentOf(init);
  if (!decl || decl.type !== 'VariableDeclarator' || decl.id.type !== 'Identifier') return undefined;
  const scope = enclosingFunction(decl);
  if (!scope || scope.body.type !== 'BlockStatement') return undefined;
  const writes = writesIn(scope).get(id.name);
  if (writes === null) return undefined;
  for (const w of writes ?? []) if (!notTakenAtDefault(w, scope, b, site, depth)) return undefined;
  return evaluate(init, b, site, depth + 1);
}

const writesOf = new WeakMap<FunctionLike, Map<string, Node[] | null>>();

/** The assignments to each plain name in a function's body, found in one walk (null: also updated with ++/--). */
function writesIn(scope: FunctionLike): Map<string, Node[] | null> {
  let m = writesOf.get(scope);
  if (m) return m;
  const out = new Map<string, Node[] | null>();
  someNode(scope.body, (n) => {
    if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') {
      const list = out.get(n.left.name);
      if (list !== null) out.set(n.left.name, [...(list ?? []), n]);
    } else if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier') out.set(n.argument.name, null);
  });
  writesOf.set(scope, (m = out));
  return m;
}

/** Whether a statement sits under an `if` whose test is false at the default configuration. */
function notTakenAtDefault(n: Node, scope: FunctionLike, b: Bindings, site: Node, depth: number): boolean {
  let child: Node = n;
  for (let p = parentOf(n); p && p !== scope; child = p, p = parentOf(p)) {
    if (isFunction(p)) return false;
    if (p.type === 'IfStatement' && child !== p.test) {
      const t = evaluate(p.test, b, site, depth + 1);
      if (t && truthy(t.v) === (child === p.alternate)) return true;
    }
  }
  return false;
}
