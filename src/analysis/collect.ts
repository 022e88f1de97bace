// One walk over the file collecting emissions, header writes, calls that pass a response,
// named functions and imports. Framework idioms are recognised in frameworks/*.ts.
import type { TSESTree } from '@typescript-eslint/types';
import { calleeName, enclosingFunction, isFunction, parentOf, propName, rootName, unwrap, walk, type FunctionLike, type Node } from './ast';
import { Bindings, staticString, type ScopeManagerLike } from './constants';
import { compoundAssignedNames } from './text-scan';
import { headerNameKind } from './headers';
import type { ChallengeValue, Emission, HeaderWrite, ReceiverCall } from './model';
import { carriedEmissions, recogniseCall, recogniseNew, type PendingCarried } from './frameworks/calls';
import { recogniseAssignment, recogniseLambdaObject, recogniseReturn, recogniseThrownObject } from './frameworks/statements';
import { collectErrorClass, collectFunctionErrorClass, nextErrorEmission, recogniseClassFactory, type ErrorClasses } from './frameworks/errors';
import { recogniseLibraryCall, recogniseLibraryNew } from './frameworks/libraries';
import { atDefault } from './config';
import { instantiateOptionTemplates, instantiateTemplates, moveFactoryEmissions, type FactoryTemplate, type HelperTemplate } from './frameworks/templates';
import type { Program } from './parse';

export interface FileFacts {
  program: Program;
  text: string;
  fileName: string;
  bindings: Bindings;
  emissions: Emission[];
  writes: HeaderWrite[];
  calls: ReceiverCall[];
  functions: Map<string, FunctionLike[]>;
  imports: Set<string>;
  /** local names bound to package imports: name -> module */
  importNames: Map<string, string>;
  /** local names bound to imports: the module and the name imported ('default' for a default or CommonJS module export) */
  importSpecs: Map<string, { module: string; imported: string }>;
  /** what the file exports: name ('default' for `export default` / `module.exports =`) -> local function */
  exportedFns: Map<string, FunctionLike>;
  errorClasses: ErrorClasses;
  /** `new X()` of a class defined in another file of the project: resolved with the project's facts. */
  pendingNews: TSESTree.NewExpression[];
  /** Statuses sent from what a function of the file returned (`res.status(result.status)`), resolved after the walk. */
  pendingCarried: PendingCarried[];
  /** Error classes made by a factory call in this file (reported at the definition). */
  factoryClasses: Set<string>;
  /** `next(...)` calls: a status set before one is finished by later middleware. */
  nextCalls: TSESTree.CallExpression[];
  /** Status-parameter helpers of this file, by name, for the other files of the project. */
  templates: Map<string, HelperTemplate>;
  /** Error factories this file exports, by exported name, for the other files of the package. */
  factories: Map<string, FactoryTemplate>;
  /** Every call of the file. */
  allCalls: TSESTree.CallExpression[];
  /** Challenge-shaped strings built away from a header write (`return \`Digest realm="${r}", ...\``). */
  looseChallenges: ChallengeValue[];
  /** `ctx.body = { error: 'insufficient_scope' }`: a JSON body's error code set on a response. */
  bodies: Array<{ receiver: string; node: Node; error: Node }>;
  /** functions registered as hooks/middleware, by hook name: 'onSend', 'onPreResponse', 'onError', 'setErrorHandler' */
  hooks: Array<{ name: string; fn: FunctionLike }>;
  /** classes decorated with @Catch(...) and the exception names they catch */
  catchClasses: Array<{ node: TSESTree.ClassDeclaration | TSESTree.ClassExpression; catches: string[] }>;
}

export interface Ctx {
  facts: FileFacts;
  fnOf(node: Node): FunctionLike | null;
}

const HOOK_NAMES = new Set(['onSend', 'onRequest', 'preHandler', 'onError', 'onPreResponse', 'onPostAuth', 'onPreAuth', 'preSerialization']);

export function collect(program: Program, text: string, fileName = '', scopeManager?: ScopeManagerLike): FileFacts {
  const facts: FileFacts = {
    program,
    text,
    fileName,
    bindings: new Bindings(),
    emissions: [],
    writes: [],
    calls: [],
    functions: new Map(),
    imports: new Set(),
    importNames: new Map(),
    importSpecs: new Map(),
    exportedFns: new Map(),
    errorClasses: new Map(),
    pendingNews: [],
    pendingCarried: [],
    factoryClasses: new Set(),
    nextCalls: [],
    bodies: [],
    looseChallenges: [],
    templates: new Map(),
    factories: new Map(),
    allCalls: [],
    hooks: [],
    catchClasses: [],
  };
  facts.bindings.attach(program, scopeManager);
  const calls: TSESTree.CallExpression[] = [];
  const news: TSESTree.NewExpression[] = [];
  const assigns: TSESTree.AssignmentExpression[] = [];
  const returns: TSESTree.ReturnStatement[] = [];
  const challengeCandidates: Node[] = [];
  const lambdaObjects: TSESTree.ObjectExpression[] = [];
  const headerTuples: TSESTree.ArrayExpression[] = [];
  const statusObjects: TSESTree.ObjectExpression[] = [];
  const errorClassFactories: Array<TSESTree.VariableDeclarator & { id: TSESTree.Identifier }> = [];
  const pendingExports: Array<[string, string]> = [];
  const functionClasses: Array<[TSESTree.FunctionDeclaration | TSESTree.FunctionExpression, string]> = [];

  walk(program, (node, parent) => {
    switch (node.type) {
      case 'CallExpression':
        calls.push(node);
        requireOf(node, facts);
        break;
      case 'NewExpression':
        news.push(node);
        break;
      case 'AssignmentExpression':
        assigns.push(node);
        noteExport(node, facts);
        break;
      case 'ExportDefaultDeclaration': {
        const d = unwrap(node.declaration as Node);
        if (isFunction(d)) facts.exportedFns.set('default', d);
        else if (d.type === 'Identifier') pendingExports.push(['default', d.name]);
        break;
      }
      case 'ExportNamedDeclaration':
        if (node.declaration && node.declaration.type === 'FunctionDeclaration' && node.declaration.id) facts.exportedFns.set(node.declaration.id.name, node.declaration);
        if (node.declaration && node.declaration.type === 'VariableDeclaration') {
          for (const d of node.declaration.declarations) if (d.id.type === 'Identifier' && d.init && isFunction(unwrap(d.init))) facts.exportedFns.set(d.id.name, unwrap(d.init) as FunctionLike);
        }
        for (const sp of node.specifiers) {
          if (sp.local.type === 'Identifier') pendingExports.push([sp.exported.type === 'Identifier' ? sp.exported.name : String(sp.exported.value), sp.local.name]);
        }
        break;
      case 'ReturnStatement':
        returns.push(node);
        break;
      case 'ImportDeclaration':
        if (typeof node.source.value === 'string') {
          facts.imports.add(node.source.value);
          for (const s of node.specifiers) {
            facts.importNames.set(s.local.name, node.source.value);
            const imported = s.type === 'ImportSpecifier' ? (s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value)) : 'default';
            facts.importSpecs.set(s.local.name, { module: node.source.value, imported });
          }
        }
        facts.bindings.collect(node);
        break;
      case 'VariableDeclaration':
        facts.bindings.collect(node);
        for (const d of node.declarations) {
          if (d.id.type === 'Identifier' && d.init && isFunction(unwrap(d.init))) addFn(facts, d.id.name, unwrap(d.init) as FunctionLike);
          if (d.id.type === 'Identifier' && d.init) errorClassFactories.push(d as TSESTree.VariableDeclarator & { id: TSESTree.Identifier });
        }
        break;
      case 'TSEnumDeclaration':
        facts.bindings.collect(node);
        break;
      case 'FunctionDeclaration':
        if (node.id) {
          addFn(facts, node.id.name, node);
          functionClasses.push([node, node.id.name]);
        }
        break;
      case 'FunctionExpression':
        // module.exports = function AuthError(...) {...}; const AuthError = function (...) {...}
        if (node.id) functionClasses.push([node, node.id.name]);
        else if (parent && parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') functionClasses.push([node, parent.id.name]);
        break;
      case 'MethodDefinition':
      case 'Property':
        if (node.key.type === 'Identifier' && node.value && isFunction(node.value as Node)) addFn(facts, node.key.name, node.value as FunctionLike);
        break;
      case 'ObjectExpression':
        if (node.properties.some((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'statusCode')) lambdaObjects.push(node);
        if (node.properties.some((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && (p.key.name === 'status' || p.key.name === 'statusCode'))) statusObjects.push(node);
        break;
      case 'Literal':
        if (typeof node.value === 'string' && CHALLENGE_SHAPE.test(node.value)) challengeCandidates.push(node);
        break;
      case 'ArrayExpression':
        if (node.elements.length === 2) headerTuples.push(node);
        break;
      case 'TemplateLiteral':
        if (CHALLENGE_SHAPE.test(node.quasis.map((q) => q.value.cooked ?? q.value.raw).join('x'))) challengeCandidates.push(node);
        break;
      case 'Identifier':
        if (parent && bindsName(node, parent)) facts.bindings.declare(node.name);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        collectErrorClass(node, facts);
        collectCatch(node, facts);
        break;
      default:
        break;
    }
  });

  facts.bindings.seal();
  const fnCache = new Map<Node, FunctionLike | null>();
  const ctx: Ctx = {
    facts,
    fnOf(node) {
      let f = fnCache.get(node);
      if (f === undefined) {
        f = enclosingFunction(node);
        fnCache.set(node, f);
      }
      return f;
    },
  };
  for (const [fn, name] of functionClasses) collectFunctionErrorClass(fn, name, facts);
  for (const d of errorClassFactories) recogniseClassFactory(d, ctx);
  for (const c of calls) {
    recogniseCall(c, ctx);
    recogniseLibraryCall(c, ctx);
    noteReceiverCall(c, ctx);
    noteHook(c, facts);
  }
  for (const n of news) {
    recogniseNew(n, ctx);
    recogniseLibraryNew(n, ctx);
  }
  for (const a of assigns) recogniseAssignment(a, ctx);
  for (const r of returns) recogniseReturn(r, ctx);
  for (const o of lambdaObjects) recogniseLambdaObject(o, ctx);
  for (const o of statusObjects) recogniseThrownObject(o, ctx);
  for (const n of challengeCandidates) looseChallenge(n, facts);
  for (const t of headerTuples) headerTuple(t, facts);
  facts.allCalls = calls;
  for (const [exported, local] of pendingExports) {
    const fns = facts.functions.get(local);
    if (fns && fns.length === 1) facts.exportedFns.set(exported, fns[0]!);
  }
  for (const p of facts.pendingCarried) carriedEmissions(p, ctx);
  instantiateTemplates(ctx, calls);
  instantiateOptionTemplates(ctx, calls);
  moveFactoryEmissions(ctx, calls);
  // `const code = opts.proxyMode ? 407 : 401`: configuration takes its default (§D.10.1)
  for (const e of facts.emissions) {
    if (e.statuses.length < 2 || !e.statusNode) continue;
    const v = atDefault(e.statusNode, facts.bindings, e.node);
    if (v && typeof v.v === 'number' && e.statuses.includes(v.v)) e.statuses = [v.v];
  }
  facts.nextCalls = calls.filter((c) => c.callee.type === 'Identifier' && c.callee.name === 'next');
  const emitted = new Set<Node>(facts.emissions.map((e) => e.node));
  for (const c of calls) nextErrorEmission(c, ctx, emitted);
  return facts;
}

/** Whether an identifier binds a name where it stands (a declaration, a parameter, an import, a pattern). */
function bindsName(id: TSESTree.Identifier, p: Node): boolean {
  switch (p.type) {
    case 'VariableDeclarator':
      return p.id === id;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return p.id === id || (p.params as Node[]).includes(id);
    case 'AssignmentPattern':
      return p.left === id;
    case 'ArrayPattern':
    case 'RestElement':
    case 'TSParameterProperty':
    case 'CatchClause':
      return true;
    case 'Property': {
      const gp = parentOf(p);
      return p.value === id && !!gp && gp.type === 'ObjectPattern';
    }
    case 'ClassDeclaration':
    case 'ClassExpression':
    case 'TSEnumDeclaration':
      return p.id === id;
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
      return p.local === id;
    default:
      return false;
  }
}

function addFn(facts: FileFacts, name: string, fn: FunctionLike): void {
  const list = facts.functions.get(name);
  if (list) list.push(fn);
  else facts.functions.set(name, [fn]);
}

function requireOf(call: TSESTree.CallExpression, facts: FileFacts): void {
  if (call.callee.type === 'Identifier' && call.callee.name === 'require' && call.arguments[0]?.type === 'Literal') {
    const mod = call.arguments[0].value;
    if (typeof mod !== 'string') return;
    facts.imports.add(mod);
    let decl = parentOf(call);
    // require('m').errors; compiled ESM interop: __importDefault(require('m')), __importStar(require('m'))
    while (decl && (decl.type === 'MemberExpression' || (decl.type === 'CallExpression' && decl.arguments[0] === call && /^(__importDefault|__importStar|_interopRequireDefault|_interopRequireWildcard|__toESM)$/.test(calleeName(decl) ?? '')))) decl = parentOf(decl);
    if (decl && decl.type === 'VariableDeclarator') {
      if (decl.id.type === 'Identifier') {
        facts.importNames.set(decl.id.name, mod);
        const member = parentOf(call);
        const imported = member && member.type === 'MemberExpression' ? propName(member) ?? 'default' : 'default';
        facts.importSpecs.set(decl.id.name, { module: mod, imported });
      } else if (decl.id.type === 'ObjectPattern') {
        for (const p of decl.id.properties) {
          if (p.type === 'Property' && p.value.type === 'Identifier') {
            facts.importNames.set(p.value.name, mod);
            const k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined;
            if (k) facts.importSpecs.set(p.value.name, { module: mod, imported: k });
          }
        }
      }
    }
  }
}

/** `module.exports = fn`, `module.exports.x = fn`, `exports.x = fn`. */
function noteExport(a: TSESTree.AssignmentExpression, facts: FileFacts): void {
  if (a.operator !== '=' || a.left.type !== 'MemberExpression') return;
  const right = unwrap(a.right);
  const l = a.left;
  const obj = unwrap(l.object);
  const isModuleExports = (n: Node) => n.type === 'MemberExpression' && unwrap(n.object).type === 'Identifier' && (unwrap(n.object) as TSESTree.Identifier).name === 'module' && propName(n) === 'exports';
  let name: string | undefined;
  if (isModuleExports(l)) name = 'default';
  else if ((obj.type === 'Identifier' && obj.name === 'exports') || isModuleExports(obj)) name = propName(l);
  if (!name) return;
  if (isFunction(right)) facts.exportedFns.set(name, right);
  else if (right.type === 'ObjectExpression' && name === 'default') {
    // module.exports = { onError, auth: function () {} }
    for (const p of right.properties) {
      if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier') continue;
      const v = unwrap(p.value as Node);
      if (isFunction(v)) facts.exportedFns.set(p.key.name, v);
      else if (v.type === 'Identifier') {
        const fns = facts.functions.get(v.name);
        if (fns && fns.length === 1) facts.exportedFns.set(p.key.name, fns[0]!);
      }
    }
  } else if (right.type === 'Identifier') {
    const fns = facts.functions.get(right.name);
    if (fns && fns.length === 1) facts.exportedFns.set(name, fns[0]!);
  }
}

function noteReceiverCall(call: TSESTree.CallExpression, ctx: Ctx): void {
  let callee: string | undefined;
  const c = unwrap(call.callee);
  if (c.type === 'Identifier') callee = c.name;
  else if (c.type === 'MemberExpression') callee = propName(c);
  if (!callee) return;
  call.arguments.forEach((arg, i) => {
    const a = unwrap(arg);
    if (a.type === 'Identifier' || a.type === 'MemberExpression') {
      const r = rootName(a);
      if (r) ctx.facts.calls.push({ callee: callee!, argIndex: i, receiver: r, fn: ctx.fnOf(call), node: call, ...(a.type === 'MemberExpression' ? { part: true as const } : {}) });
    }
  });
}

function noteHook(call: TSESTree.CallExpression, facts: FileFacts): void {
  const c = unwrap(call.callee);
  if (c.type !== 'MemberExpression') return;
  const m = propName(c);
  const fnArg = [...call.arguments].reverse().find((a) => isFunction(unwrap(a)));
  if (!fnArg) return;
  const fn = unwrap(fnArg) as FunctionLike;
  const first = call.arguments[0];
  if ((m === 'addHook' || m === 'ext') && first && first.type === 'Literal' && typeof first.value === 'string' && HOOK_NAMES.has(first.value)) {
    facts.hooks.push({ name: first.value, fn });
  } else if (m === 'setErrorHandler' || m === 'onError') {
    facts.hooks.push({ name: m, fn });
  } else if (m === 'use') {
    facts.hooks.push({ name: 'use', fn });
  }
}

function collectCatch(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, facts: FileFacts): void {
  for (const d of node.decorators ?? []) {
    const e = d.expression;
    if (e.type === 'CallExpression' && e.callee.type === 'Identifier' && e.callee.name === 'Catch') {
      const catches = e.arguments.map((a) => (a.type === 'Identifier' ? a.name : '?'));
      facts.catchClasses.push({ node, catches });
    }
  }
}

/** A scheme followed by auth-params naming realm, error, nonce, scope, charset or resource_metadata. */
const CHALLENGE_SHAPE = /^\s*(Basic|Bearer|Digest|Negotiate|DPoP|HOBA|Mutual|Token|APIKey|Hawk)\s+[A-Za-z0-9_-]+\s*=[^]*\b(realm|error|nonce|scope|charset|resource_metadata)\s*=|^\s*(Basic|Bearer|Digest|DPoP)\s+(realm|error|nonce|scope|charset|resource_metadata)\s*=/i;
/** Per file: the names written as `name +=` (one scan of the text, not one per loose challenge). */
const compoundAssigned = new WeakMap<FileFacts, Set<string>>();
const NOT_A_CHALLENGE_CALL = /^(startsWith|endsWith|includes|indexOf|test|match|equal|strictEqual|deepEqual|toBe|toEqual|toContain|toMatch|parse|parseChallenges|parseChallenge|split|replace|log|debug|info|warn|error)$/;

function looseChallenge(n: Node, facts: FileFacts): void {
  let top: Node = n;
  for (let p = parentOf(top); p && p.type === 'BinaryExpression' && p.operator === '+' && p.left === top; p = parentOf(top)) top = p;
  const parent = parentOf(top);
  if (parent && parent.type === 'BinaryExpression') return; // a comparison
  if (parent && parent.type === 'CallExpression' && parent.callee !== top) {
    const name = unwrap(parent.callee).type === 'MemberExpression' ? propName(unwrap(parent.callee)) : unwrap(parent.callee).type === 'Identifier' ? (unwrap(parent.callee) as TSESTree.Identifier).name : undefined;
    if (name && NOT_A_CHALLENGE_CALL.test(name)) return;
  }
  if (parent && parent.type === 'TemplateLiteral') return;
  const value = staticString(top, facts.bindings);
  if (!value) return;
  // var challenge = 'Digest realm="' + realm + '"'; challenge += ', nonce="..."'
  const holder = parent && parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier' ? parent.id.name
    : parent && parent.type === 'AssignmentExpression' && parent.left.type === 'Identifier' ? parent.left.name : undefined;
  const partial = holder !== undefined && (compoundAssigned.get(facts) ?? compoundAssigned.set(facts, compoundAssignedNames(facts.text)).get(facts)!).has(holder);
  facts.looseChallenges.push({ node: top, value, header: 'www', partial });
}

/** `[headerName, 'Basic']`: a [name, value] pair whose name is a challenge header, e.g. returned for reply.header(...pair). */
function headerTuple(t: TSESTree.ArrayExpression, facts: FileFacts): void {
  const [name, value] = t.elements;
  if (!name || !value || name.type === 'SpreadElement' || value.type === 'SpreadElement') return;
  const kind = headerNameKind(name, facts.bindings);
  if (kind !== 'www' && kind !== 'proxy') return;
  const v = staticString(value, facts.bindings);
  if (v) facts.looseChallenges.push({ node: value, value: v, header: kind });
}
