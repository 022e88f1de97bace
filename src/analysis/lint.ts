// Entry point of the analysis core: text in, findings out. Never throws.
import { enclosingFunction, isFunction, parentOf, propName, someNode, unwrap, type Node } from './ast';
import { collect, type FileFacts } from './collect';
import type { ScopeManagerLike } from './constants';
import { classEmission, type ErrorClass } from './frameworks/errors';
import { instantiateProjectTemplates, type HelperTemplate } from './frameworks/templates';
import { emptyProject, Flow, type ProjectFacts } from './flow';
import { fileInjectors, packageInjectors, type FileInjectors } from './injectors';
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
/** Files that may define a helper taking the status as a parameter (used by the other files). */
const HELPER_PREFILTER = /\.(status|code|setStatusCode|setStatus|writeHead|sendStatus)\(\s*[A-Za-z_$]|statusCode\s*=\s*[A-Za-z_$]/;

export type Analysis = { facts: FileFacts } | { error: string } | { skipped: string } | { none: true; text: string; fileName: string };

/**
 * Parse and collect facts; the first of the two passes a project lint makes. `program`: a tree
 * of `text` another tool already parsed (ESTree with ranges and comments, e.g. ESLint's), used
 * instead of parsing again.
 */
export function analyze(text: string, fileName: string, settings: LintSettings = {}, program?: Program, scopeManager?: ScopeManagerLike): Analysis {
  const max = settings.maxFileSize ?? DEFAULT_MAX_SIZE;
  if (text.length > max) return { skipped: `skipped: ${text.length} characters is over the ${max} limit (authlint.lint.maxFileSize)` };
  if (!PREFILTER.test(text) && !HELPER_PREFILTER.test(text)) return { none: true, text, fileName };
  return parseAndCollect(text, fileName, program, scopeManager);
}

function parseAndCollect(text: string, fileName: string, program?: Program, scopeManager?: ScopeManagerLike): Analysis {
  const parsed: ParseOutcome = program ? { ok: true, ast: program } : parseSource(text, fileName);
  if (!parsed.ok) return { error: parsed.error };
  try {
    return { facts: collect(parsed.ast, text, fileName, program ? scopeManager : undefined) };
  } catch (err) {
    return { error: `internal error while analysing: ${(err as Error).message}` };
  }
}

/**
 * What one file contributes to its package's facts (linter-notes §D.10.3): plain data (no syntax
 * tree), except the lazily computed function summaries of `injectors`, so a long-lived index (the
 * language server) can keep it per file and rebuild the package's facts when one file changes.
 */
export interface SharedFacts {
  templates: Map<string, HelperTemplate>;
  errorClasses: Map<string, ErrorClass>;
  injectors: FileInjectors;
  customPassportCallback: boolean;
}

/** The shared facts of one analysed file (undefined when it was not parsed: nothing to share). */
export function sharedFactsOf(a: Analysis): SharedFacts | undefined {
  if (!('facts' in a)) return undefined;
  const errorClasses = new Map<string, ErrorClass>();
  // classes carry no AST across files: only what a `new` elsewhere needs
  for (const [name, cls] of a.facts.errorClasses) errorClasses.set(name, { status: cls.status, statusParam: cls.statusParam, inline: { www: cls.inline.www, proxy: cls.inline.proxy, values: [] } });
  return { templates: a.facts.templates, errorClasses, injectors: fileInjectors(a.facts), customPassportCallback: a.facts.allCalls.some(isPassportCustomCallback) };
}

/**
 * What the files of ONE package share (linter-notes §D.10.3): its registered challenge injectors,
 * error classes and status helpers. Call it once per package, never over several packages.
 */
export function projectFactsOf(analyses: Analysis[], pkg?: PackageInfo): ProjectFacts {
  return projectFactsFromShared(analyses.map(sharedFactsOf), pkg);
}

/** projectFactsOf from the shared facts of each file of ONE package (undefined entries: files not parsed). */
export function projectFactsFromShared(files: ReadonlyArray<SharedFacts | undefined>, pkg?: PackageInfo): ProjectFacts {
  const p = emptyProject();
  p.dependencies = pkg?.dependencies;
  const injectorFacts = [];
  for (const a of files) {
    if (!a) continue;
    injectorFacts.push(a.injectors);
    for (const [name, t] of a.templates) {
      const prev = p.templates.get(name);
      p.templates.set(name, prev === undefined || JSON.stringify(prev) === JSON.stringify(t) ? t : null);
    }
    for (const [name, cls] of a.errorClasses) {
      const prev = p.errorClasses.get(name);
      const same = prev !== undefined && prev !== null && prev.status === cls.status && prev.statusParam === cls.statusParam && prev.inline.www === cls.inline.www;
      p.errorClasses.set(name, prev === undefined || same ? cls : null);
    }
  }
  p.injectors = packageInjectors(injectorFacts, p.dependencies);
  p.customPassportCallback = files.some((a) => !!a?.customPassportCallback);
  return p;
}

export function findingsOf(a: Analysis, settings: LintSettings = {}, project: ProjectFacts = emptyProject()): LintResult {
  if ('error' in a) return { findings: [], error: a.error };
  if ('skipped' in a) return { findings: [], skipped: a.skipped };
  if ('none' in a) {
    // a file the prefilter skipped may still throw an error class declared in another file
    const names = [...project.errorClasses.keys()].filter((n) => project.errorClasses.get(n) && a.text.includes(`new ${n}`));
    for (const [n, t] of project.templates) if (t && a.text.includes(n)) names.push(n);
    if (names.length === 0) return { findings: [] };
    return findingsOf(parseAndCollect(a.text, a.fileName), settings, project);
  }
  const facts = withoutForeignReceivers(withProjectClasses(a.facts, project), project);
  const findings: Finding[] = [];
  const internal: string[] = [];
  try {
    const flow = new Flow(facts, project);
    const guards = new Map<Emission, GuardClass>();
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
          return g;
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
        // one rule's failure loses nothing of the others' findings
        internal.push(`${rule.id}: ${(err as Error).message ?? err}`);
      }
    }
  } catch (err) {
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
  if ((facts.pendingNews.length === 0 || project.errorClasses.size === 0) && project.templates.size === 0) return facts;
  const out: FileFacts = { ...facts, emissions: [...facts.emissions] };
  const ctx = { facts: out, fnOf: enclosingFunction };
  instantiateProjectTemplates(ctx, project.templates);
  for (const n of facts.pendingNews) {
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
function guardWithCallers(e: Emission, facts: FileFacts): GuardClass {
  const own = classifyGuardOrNone(e.node, facts.bindings);
  if (own !== undefined) return own;
  let frontier: Node[] = [e.node];
  for (let level = 0; level < 2; level++) {
    const sites: Node[] = [];
    for (const n of frontier) {
      const fn = enclosingFunction(n);
      if (!fn) continue;
      const names = [...facts.functions].filter(([, fs]) => fs.length === 1 && fs[0] === fn).map(([name]) => name);
      if (names.length === 0) continue;
      for (const c of facts.allCalls) {
        const callee = unwrap(c.callee);
        const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && unwrap(callee.object).type === 'ThisExpression' ? propName(callee) : undefined;
        if (name && names.includes(name)) sites.push(c);
      }
    }
    if (sites.length === 0 || sites.length > 20) return 'other';
    const classes = sites.map((s) => classifyGuardOrNone(s, facts.bindings));
    const known = classes.filter((c): c is GuardClass => c !== undefined);
    if (known.length === sites.length) {
      const first = known[0]!;
      return known.every((c) => c === first) ? first : 'other';
    }
    if (known.length > 0) return 'other';
    frontier = sites;
  }
  return 'other';
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
