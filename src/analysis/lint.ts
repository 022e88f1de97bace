// Entry point of the analysis core: text in, findings out. Never throws.
import { AppGraph } from './apps';
import { enclosingFunction, isFunction, parentOf, propName, someNode, unwrap, type Node } from './ast';
import { BudgetExceeded, spend, startBudget } from './budget';
import { collect, type FileFacts } from './collect';
import type { ScopeManagerLike } from './constants';
import { classEmission } from './frameworks/errors';
import { instantiateProjectFactories, instantiateProjectTemplates } from './frameworks/templates';
import { emptyProject, Flow, type ProjectFacts } from './flow';
import { fileInjectors, isPackageName, once, packageInjectors, type FileInjectors, type FnSummary } from './injectors';
import type { FactoryTemplate, HelperTemplate } from './frameworks/templates';
import type { PackageInfo } from './packages';
import { classifyGuardOrNone, type GuardClass } from './guards';
import type { Emission } from './model';
import type { TSESTree } from '@typescript-eslint/types';
import { parseSource, type ParseOutcome, type Program } from './parse';
import { LineIndex } from './positions';
import { RULE_META } from './rule-meta';
import type { RuleContext } from './rule';
import { RULES } from './rules/index';
import { isSuppressed, parseSuppressions } from './suppressions';
import type { Finding, LintResult, LintSettings } from './types';

export const DEFAULT_CHALLENGE = 'Bearer realm="api"';
export const DEFAULT_PROXY_CHALLENGE = 'Basic realm="proxy"';
const DEFAULT_MAX_SIZE = 2_000_000;

/** Files with none of these tokens cannot hold a finding: skip the parse. */
const PREFILTER = /40[137]|unauthori[sz]ed|unauthenticated|notauthenticated|invalidcredentials|forbidden|proxyauth|proxy_auth|www-authenticate|proxy-authenticate|www_authenticate|canActivate|realm\s*=|express-basic-auth|koa-jwt|passport-jwt|@fastify\/basic-auth|@nestjs\/passport|\.strategy\(/i;
/** Files that may define a helper or an error class taking the status as a parameter or option (used by the other files). */
const HELPER_PREFILTER = /\.(status|code|setStatusCode|setStatus|writeHead|sendStatus)\(\s*[A-Za-z_$]|\b(status|statusCode)\s*=\s*[A-Za-z_$]|[{,]\s*status(Code)?\s*[,}]/;

/**
 * Files that may register an error handler, hook, middleware or filter (an injector of the
 * package's other files, linter-notes §D.10.2), or mount a router or plugin (the application
 * model), though they say nothing about 401 themselves.
 */
const REGISTRATION_PREFILTER = /useGlobalFilters|APP_FILTER|UseFilters|setErrorHandler|addHook|onPreResponse|\.onError\(|\.use\(|\.register\(|\.route\(/;

export type Analysis = { facts: FileFacts } | { error: string } | { skipped: string } | { none: true; text: string; fileName: string };

/**
 * Parse and collect facts; the first of the two passes a project lint makes. `program`: a tree
 * of `text` another tool already parsed (ESTree with ranges and comments, e.g. ESLint's), used
 * instead of parsing again.
 */
export function analyze(text: string, fileName: string, settings: LintSettings = {}, program?: Program, scopeManager?: ScopeManagerLike): Analysis {
  const max = settings.maxFileSize ?? DEFAULT_MAX_SIZE;
  if (text.length > max) return { skipped: `skipped: ${text.length} characters is over the ${max} limit (authlint.lint.maxFileSize)` };
  if (!PREFILTER.test(text) && !HELPER_PREFILTER.test(text) && !REGISTRATION_PREFILTER.test(text)) return { none: true, text, fileName };
  return parseAndCollect(text, fileName, program, scopeManager);
}

function parseAndCollect(text: string, fileName: string, program?: Program, scopeManager?: ScopeManagerLike): Analysis {
  const parsed: ParseOutcome = program ? { ok: true, ast: program } : parseSource(text, fileName);
  if (!parsed.ok) return { error: parsed.error };
  // the parse is the reference the budget is measured against; the analysis is what it bounds
  const restore = startBudget(text.length);
  try {
    return { facts: collect(parsed.ast, text, fileName, program ? scopeManager : undefined) };
  } catch (err) {
    if (err instanceof BudgetExceeded) return { skipped: err.message };
    return { error: `internal error while analysing: ${(err as Error).message}` };
  } finally {
    restore();
  }
}

/**
 * What the files of ONE package share (linter-notes §D.10.3): its registered challenge injectors,
 * error classes and status helpers. Call it once per package, never over several packages.
 */
export function projectFactsOf(analyses: Analysis[], pkg?: PackageInfo): ProjectFacts {
  return projectFactsFrom(analyses.map((a) => sharedFactsOf(a)), pkg);
}

type ProjectClass = NonNullable<ReturnType<ProjectFacts['errorClasses']['get']>>;

/**
 * What one file gives the other files of its package, holding no syntax tree: a project lint
 * keeps these, not the analyses, while it goes through the files (issue 12, item 4).
 */
export interface SharedFacts {
  injectors?: FileInjectors;
  templates: Array<[string, HelperTemplate]>;
  factories: Array<[string, FactoryTemplate]>;
  errorClasses: Array<[string, ProjectClass]>;
  customPassportCallback: boolean;
}

/**
 * The shared facts of one analysis. `reload` gives the file's facts again (from the analysis
 * kept, or parsed again): the summaries of its functions, asked for by registrations in other
 * files, are computed from it when asked, so that the record does not hold the tree meanwhile.
 */
export function sharedFactsOf(a: Analysis, reload?: () => FileFacts): SharedFacts {
  if (!('facts' in a)) return { templates: [], factories: [], errorClasses: [], customPassportCallback: false };
  const f = a.facts;
  let injectors = fileInjectors(f);
  if (reload) {
    let again: FileInjectors | undefined;
    const fresh = () => (again ??= fileInjectors(reload()));
    const lazy = (names: Iterable<string>, pick: (x: FileInjectors) => Map<string, () => FnSummary>) => new Map([...names].map((n) => [n, once(() => pick(fresh()).get(n)!())] as [string, () => FnSummary]));
    injectors = { ...injectors, summaries: lazy(injectors.summaries.keys(), (x) => x.summaries), exports: lazy(injectors.exports.keys(), (x) => x.exports) };
  }
  return {
    injectors,
    templates: [...f.templates],
    factories: [...f.factories],
    // classes carry no AST across files: only what a `new` elsewhere needs
    errorClasses: [...f.errorClasses].map(([name, cls]) => [name, { status: cls.status, statusParam: cls.statusParam, statusKey: cls.statusKey, statusMap: cls.statusMap, inline: { www: cls.inline.www, proxy: cls.inline.proxy, values: [] } }]),
    customPassportCallback: f.allCalls.some(isPassportCustomCallback),
  };
}

/** projectFactsFrom for a list that may hold nothing for some files (not parsed): the language server's index. */
export function projectFactsFromShared(files: ReadonlyArray<SharedFacts | undefined>, pkg?: PackageInfo): ProjectFacts {
  return projectFactsFrom(files.filter((x): x is SharedFacts => x !== undefined), pkg);
}

/** The package's facts from its files' shared facts (see projectFactsOf). */
export function projectFactsFrom(shared: SharedFacts[], pkg?: PackageInfo): ProjectFacts {
  const p = emptyProject();
  p.dependencies = pkg?.dependencies;
  p.factories = new Map();
  const injectorFacts: FileInjectors[] = [];
  for (const s of shared) {
    if (s.injectors) injectorFacts.push(s.injectors);
    for (const [name, t] of s.templates) {
      const prev = p.templates.get(name);
      p.templates.set(name, prev === undefined || JSON.stringify(prev) === JSON.stringify(t) ? t : null);
    }
    for (const [name, f] of s.factories) {
      const prev = p.factories!.get(name);
      p.factories!.set(name, prev === undefined || JSON.stringify(prev) === JSON.stringify(f) ? f : null);
    }
    for (const [name, cls] of s.errorClasses) {
      const prev = p.errorClasses.get(name);
      const same = prev !== undefined && prev !== null && prev.status === cls.status && prev.statusParam === cls.statusParam && JSON.stringify(prev.statusKey) === JSON.stringify(cls.statusKey) && JSON.stringify(prev.statusMap) === JSON.stringify(cls.statusMap) && prev.inline.www === cls.inline.www;
      p.errorClasses.set(name, prev === undefined || same ? cls : null);
    }
  }
  p.injectors = packageInjectors(injectorFacts, p.dependencies);
  p.apps = new AppGraph(injectorFacts.map((f) => f.apps));
  p.customPassportCallback = shared.some((s) => s.customPassportCallback);
  return p;
}

export function findingsOf(a: Analysis, settings: LintSettings = {}, project: ProjectFacts = emptyProject()): LintResult {
  if ('error' in a) return { findings: [], error: a.error };
  if ('skipped' in a) return { findings: [], skipped: a.skipped };
  if ('none' in a) {
    // a file the prefilter skipped may still throw an error class declared in another file
    const names = [...project.errorClasses.keys()].filter((n) => project.errorClasses.get(n) && a.text.includes(`new ${n}`));
    for (const [n, t] of project.templates) if (t && a.text.includes(n)) names.push(n);
    for (const [n, f] of project.factories ?? []) if (f && a.text.includes(n)) names.push(n);
    if (names.length === 0) return { findings: [] };
    return findingsOf(parseAndCollect(a.text, a.fileName), settings, project);
  }
  const restore = startBudget(a.facts.text.length);
  try {
    return findingsOfFacts(a.facts, settings, project);
  } catch (err) {
    if (err instanceof BudgetExceeded) return { findings: [], skipped: err.message };
    return { findings: [], error: `internal error while linting: ${(err as Error).message ?? err}` };
  } finally {
    restore();
  }
}

function findingsOfFacts(facts0: FileFacts, settings: LintSettings, project: ProjectFacts): LintResult {
  const facts = withoutForeignReceivers(withProjectClasses(facts0, project), project);
  const findings: Finding[] = [];
  const internal: string[] = [];
  try {
    const flow = new Flow(facts, project);
    const guards = new Map<Emission, { cls: GuardClass; every: boolean }>();
    for (const rule of RULES) {
      const level = settings.rules?.[rule.id] ?? RULE_META[rule.id].severity;
      if (level === 'off') continue;
      const ctx: RuleContext = {
        facts,
        flow,
        text: facts.text,
        defaultChallenge: settings.defaultChallenge || DEFAULT_CHALLENGE,
        defaultProxyChallenge: settings.defaultProxyChallenge || DEFAULT_PROXY_CHALLENGE,
        guard(e) {
          let g = guards.get(e);
          if (!g) guards.set(e, (g = guardWithCallers(e, facts)));
          return g.cls;
        },
        guardOnEveryPath(e) {
          let g = guards.get(e);
          if (!g) guards.set(e, (g = guardWithCallers(e, facts)));
          return g.every;
        },
        report(r) {
          findings.push({
            ruleId: rule.id,
            messageId: r.messageId,
            message: r.message,
            severity: level,
            range: [r.node.range[0], r.node.range[1]],
            fixes: (r.fixes ?? []).filter((f): f is NonNullable<typeof f> => !!f),
            related: r.related,
          });
        },
      };
      try {
        rule.check(ctx);
      } catch (err) {
        if (err instanceof BudgetExceeded) throw err;
        // one rule's failure loses nothing of the others' findings
        internal.push(`${rule.id}: ${(err as Error).message ?? err}`);
      }
    }
  } catch (err) {
    if (err instanceof BudgetExceeded) throw err;
    return { findings: [], error: `internal error while linting: ${(err as Error).message ?? err}` };
  }
  if (findings.length === 0) return internal.length ? { findings, error: `internal error in ${internal.join('; ')}` } : { findings };
  const lines = new LineIndex(facts.text);
  const sup = parseSuppressions(facts.program.comments, lines);
  return {
    ...(internal.length ? { error: `internal error in ${internal.join('; ')}` } : {}),
    findings: dedupe(findings.filter((f) => !isSuppressed(f, sup, lines))).sort((x, y) => x.range[0] - y.range[0] || x.ruleId.localeCompare(y.ruleId)),
  };
}

/** Emissions of `new X()` where X is an error class declared in another file of the project. */
function withProjectClasses(facts: FileFacts, project: ProjectFacts): FileFacts {
  const factories = project.factories ?? new Map();
  if ((facts.pendingNews.length === 0 || project.errorClasses.size === 0) && project.templates.size === 0 && factories.size === 0) return facts;
  const out: FileFacts = { ...facts, emissions: [...facts.emissions] };
  const ctx = { facts: out, fnOf: enclosingFunction };
  instantiateProjectTemplates(ctx, project.templates);
  instantiateProjectFactories(ctx, factories, (m) => !m.startsWith('.') && isPackageName(m, project.dependencies));
  for (const n of facts.pendingNews) {
    const mod = n.callee.type === 'Identifier' ? facts.importNames.get(n.callee.name) : undefined;
    if (mod && !mod.startsWith('.') && isPackageName(mod, project.dependencies)) continue;
    const cls = n.callee.type === 'Identifier' ? project.errorClasses.get(n.callee.name) : undefined;
    if (cls) classEmission(n, n.callee, { ...cls, inline: { ...cls.inline, values: [] } }, ctx);
  }
  return out;
}

/**
 * The guard of an emission; for one that nothing guards inside its function (a helper such as
 * `function deny(res) { return res.status(403).end() }`), the conditions at the helper's call
 * sites, up to two levels, when they all agree (linter-notes §D.10.4).
 */
function guardWithCallers(e: Emission, facts: FileFacts): { cls: GuardClass; every: boolean } {
  const at = e.guardAt ?? e.node;
  const own = classifyGuardOrNone(at, facts.bindings);
  if (own !== undefined) return { cls: own, every: true };
  const index = callIndex(facts);
  let frontier: Node[] = [at];
  for (let level = 0; level < 2; level++) {
    const sites: Node[] = [];
    for (const n of frontier) {
      const fn = enclosingFunction(n);
      if (!fn) continue;
      const names = index.namesOf.get(fn);
      if (!names) continue;
      // each call has one name: the sites of the names are disjoint
      for (const name of names) for (const c of index.callsTo.get(name) ?? []) sites.push(c);
    }
    spend(sites.length);
    if (sites.length === 0 || sites.length > 20) return { cls: 'other', every: true };
    const classes = sites.map((s) => classifyGuardOrNone(s, facts.bindings));
    const known = classes.filter((c): c is GuardClass => c !== undefined);
    if (known.length === sites.length) {
      const first = known[0]!;
      if (known.every((c) => c === first)) return { cls: first, every: true };
      // each call site is a path to the emission (§D.10.1): a 403 reached where credentials
      // are absent is wrong on that path whatever the other paths ask. (Not the converse: a
      // shared 401 helper reached from one call site the names call a permission test was
      // mostly a client-authentication check, and the swap would break the other paths.)
      if (e.statuses.includes(403) && !e.statuses.includes(401) && known.includes('credentials')) return { cls: 'credentials', every: false };
      return { cls: 'other', every: true };
    }
    if (known.length > 0) return { cls: 'other', every: true };
    frontier = sites;
  }
  return { cls: 'other', every: true };
}

interface CallIndex {
  /** function -> the names it alone is declared under */
  namesOf: Map<Node, string[]>;
  /** name -> the calls `name(...)` and `this.name(...)` of the file */
  callsTo: Map<string, TSESTree.CallExpression[]>;
}
const callIndexes = new WeakMap<FileFacts, CallIndex>();

/** The file's named functions and calls by name, built once per file (was a scan of every call per emission). */
function callIndex(facts: FileFacts): CallIndex {
  let index = callIndexes.get(facts);
  if (index) return index;
  index = { namesOf: new Map(), callsTo: new Map() };
  for (const [name, fs] of facts.functions) {
    if (fs.length !== 1) continue;
    const list = index.namesOf.get(fs[0]!);
    if (list) list.push(name);
    else index.namesOf.set(fs[0]!, [name]);
  }
  for (const c of facts.allCalls) {
    const callee = unwrap(c.callee);
    const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && unwrap(callee.object).type === 'ThisExpression' ? propName(callee) : undefined;
    if (name === undefined || !facts.functions.has(name)) continue;
    const list = index.callsTo.get(name);
    if (list) list.push(c);
    else index.callsTo.set(name, [c]);
  }
  callIndexes.set(facts, index);
  return index;
}

/** `passport.authenticate('jwt', opts, (err, user) => ...)`: the application answers passport's failures itself. */
function isPassportCustomCallback(c: TSESTree.CallExpression): boolean {
  const callee = unwrap(c.callee);
  if (callee.type !== 'MemberExpression' || propName(callee) !== 'authenticate') return false;
  const last = c.arguments[c.arguments.length - 1];
  return c.arguments.length >= 2 && !!last && (isFunction(unwrap(last)) || unwrap(last).type === 'Identifier' || unwrap(last).type === 'CallExpression');
}

/**
 * `try { ...; throw new UnauthorizedException(); } catch { throw new BadRequestException(); }`:
 * an error thrown inside a try whose catch never looks at what it caught does not leave the
 * function; what the catch does instead is judged on its own.
 */
function swallowed(e: Emission): boolean {
  if (!e.thrown) return false;
  let child: Node = e.node;
  let p = parentOf(child);
  while (p && (p.type === 'AwaitExpression' || p.type === 'TSAsExpression')) {
    child = p;
    p = parentOf(p);
  }
  if (!p || p.type !== 'ThrowStatement') return false;
  for (let q: Node | null = parentOf(p), c: Node = p; q && !isFunction(q); c = q, q = parentOf(q)) {
    if (q.type !== 'TryStatement' || c !== q.block || !q.handler) continue;
    const param = q.handler.param;
    if (!param) return true;
    if (param.type !== 'Identifier') return false;
    const name = param.name;
    return !someNode(q.handler.body, (n) => n.type === 'Identifier' && n.name === name);
  }
  return false;
}

/** Emissions whose receiver is a framework object only when a package is present (`reply.unauthorized()`). */
function withoutForeignReceivers(facts: FileFacts, project: ProjectFacts): FileFacts {
  const customPassport = project.customPassportCallback ?? facts.allCalls.some(isPassportCustomCallback);
  const keep = (e: Emission): boolean => (!e.needsPackage || e.needsPackage.some((m) => facts.imports.has(m) || !!project.dependencies?.has(m))) && !swallowed(e) && !(e.library === 'passport-jwt' && customPassport);
  return facts.emissions.every(keep) ? facts : { ...facts, emissions: facts.emissions.filter(keep) };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.ruleId}:${f.range[0]}:${f.range[1]}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Lint one file on its own (the editor's path). */
export function lintSource(text: string, fileName: string, settings: LintSettings = {}, project?: ProjectFacts): LintResult {
  return findingsOf(analyze(text, fileName, settings), settings, project);
}
