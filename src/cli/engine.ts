// The one place the CLI and the ESLint plugin reach the analysis engine. The engine (parser and
// TypeScript, most of the bytes) is required lazily: the bundles turn this require into
// `require('./engine.js')`, so `authlint --help`, `send` and `explain`, and a lint answered from
// the cache, never load it. Re-point these few functions when the engine's entry points change.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { loadWithCodeCache, privateDir, type CodeCacheState } from './code-cache';
import type { Analysis, SharedFacts } from '../analysis/lint';
import type { ProjectFacts } from '../analysis/flow';
import { dependencyNames, nearestPackageRoot, type PackageInfo } from '../analysis/packages';
import type { Program } from '../analysis/parse';
import type { ScopeManagerLike } from '../analysis/constants';
import type { Finding, LintResult, LintSettings } from '../analysis/types';

type Engine = typeof import('../analysis/lint');
let loaded: Engine | undefined;

let codeCache: { dir: string; state: CodeCacheState; save?: () => void } | undefined;

function engine(): Engine {
  if (loaded) return loaded;
  // Bundled (dist/server.js next to dist/engine.js), a long-lived process may keep V8's compile of
  // the engine in a code cache (code-cache.ts); the tests' unbundled out/ loads it plainly.
  const bundle = join(__dirname, 'engine.js');
  if (codeCache && codeCache.state === 'off' && basename(__filename) !== 'engine.js' && existsSync(bundle)) {
    try {
      const l = loadWithCodeCache(bundle, codeCache.dir);
      codeCache.state = l.state;
      codeCache.save = l.save;
      return (loaded = l.exports as Engine);
    } catch {
      codeCache.state = 'off';
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('../analysis/lint') as Engine);
}

/**
 * Keep V8's compile of the engine in `dir` (a folder only this user can write; see
 * code-cache.ts). Call before the engine is first used; false when `dir` is not private.
 */
export function useEngineCodeCache(dir: string): boolean {
  const ok = privateDir(dir);
  if (!ok || loaded) return false;
  codeCache = { dir: ok, state: 'off' };
  return true;
}

/** Loads the engine now (a language server does it while the editor is still opening files). */
export function warmEngine(): void {
  engine();
}

/** After the first analysis: writes the code cache when it was made or rejected this time. */
export function saveEngineCodeCache(): void {
  codeCache?.save?.();
}

/** How the engine was loaded: from a code cache ('used'), making one ('made', 'rejected'), or plainly ('off'). */
export function engineCodeCacheState(): CodeCacheState {
  return codeCache?.state ?? 'off';
}

/** True once the engine has been loaded in this process (the bench and tests look). */
export function engineLoaded(): boolean {
  return loaded !== undefined;
}

export interface SourceFile {
  file: string;
  text: string;
  settings: LintSettings;
}

const roots = new Map<string, string>();
const packages = new Map<string, PackageInfo>();
/** Folders known to hold a package.json or not (files in sibling folders share their parents). */
const hasPackageJson = new Map<string, boolean>();
const holdsPackageJson = (d: string): boolean => {
  let has = hasPackageJson.get(d);
  if (has === undefined) hasPackageJson.set(d, (has = existsSync(join(d, 'package.json'))));
  return has;
};

/** The package of a file: the folder of the nearest package.json, with its dependency names (linter-notes §D.10.3). */
export function packageOf(file: string): PackageInfo {
  const start = dirname(resolve(file));
  let root = roots.get(start);
  if (root === undefined) roots.set(start, (root = nearestPackageRoot(start, holdsPackageJson, dirname)));
  let pkg = packages.get(root);
  if (!pkg) {
    let dependencies: Set<string> | undefined;
    try {
      dependencies = root ? dependencyNames(readFileSync(join(root, 'package.json'), 'utf8')) : undefined;
    } catch {
      dependencies = undefined;
    }
    packages.set(root, (pkg = { root, dependencies }));
  }
  return pkg;
}

/**
 * Source characters of a package whose analyses (syntax trees included) are kept from the first
 * pass to the second; past it, a file's tree is dropped once its shared facts are taken, and the
 * file is parsed again for its findings. About 90 bytes of heap a character: some 180 MB.
 */
const KEEP_CHARS = 2_000_000;

/** KEEP_CHARS, or less on a small heap: kept trees take at most a quarter of it. */
function keepCharsDefault(): number {
  return Math.min(KEEP_CHARS, Math.floor(getHeapStatistics().heap_size_limit / 4 / 90));
}

/**
 * Lints files package by package (facts shared within a package, never across: linter-notes
 * §D.10.3): the result of each file, in the order given. Pass 1 takes each file's shared facts
 * (no tree); pass 2 computes each file's findings with its package's facts, from the analysis
 * kept in pass 1 or parsed again, and drops it. `watch` is called between files (the CLI stops
 * there when memory runs out).
 */
export function lintProject(files: SourceFile[], watch?: (done: number) => void, keepChars = keepCharsDefault()): LintResult[] {
  if (files.length === 0) return [];
  const e = engine();
  const out: LintResult[] = new Array(files.length);
  const groups = new Map<string, number[]>();
  files.forEach((f, k) => {
    const root = packageOf(f.file).root;
    const g = groups.get(root);
    if (g) g.push(k);
    else groups.set(root, [k]);
  });
  let done = 0;
  for (const [root, idx] of groups) {
    const kept: Array<Analysis | undefined> = new Array(idx.length);
    const shared = [];
    let keptChars = 0;
    for (let i = 0; i < idx.length; i++) {
      watch?.(done);
      const f = files[idx[i]!]!;
      const a = e.analyze(f.text, f.file, f.settings);
      const reload = () => {
        const again = kept[i] ?? e.analyze(f.text, f.file, f.settings);
        if (!('facts' in again)) throw new Error(`${f.file} analysed differently the second time`);
        return again.facts;
      };
      shared.push(e.sharedFactsOf(a, reload));
      // error, skipped and prefiltered files hold no tree
      if (!('facts' in a) || keptChars + f.text.length <= keepChars) {
        kept[i] = a;
        if ('facts' in a) keptChars += f.text.length;
      }
    }
    const project = e.projectFactsFrom(shared, packages.get(root));
    shared.length = 0;
    for (let i = 0; i < idx.length; i++) {
      watch?.(done);
      const f = files[idx[i]!]!;
      const a = kept[i] ?? e.analyze(f.text, f.file, f.settings);
      kept[i] = undefined;
      out[idx[i]!] = e.findingsOf(a, f.settings, project);
      done++;
    }
  }
  return out;
}

/** Lints one file alone, from a tree already parsed (ESTree with `range` and `comments`). */
export function lintParsed(text: string, file: string, program: unknown, settings: LintSettings, scopeManager?: unknown): LintResult {
  const e = engine();
  return e.findingsOf(e.analyze(text, file, settings, program as Program, scopeManager as ScopeManagerLike | undefined), settings);
}

const scopes = new WeakMap<readonly unknown[], Map<string, unknown[]>>();

/**
 * The files whose content the findings of a file depend on, besides its own: the files of its
 * package in this run (the engine shares facts within a package and never across).
 */
export function factsScope<T extends { file: string }>(file: T, all: readonly T[]): readonly T[] {
  let byRoot = scopes.get(all) as Map<string, T[]> | undefined;
  if (!byRoot) {
    byRoot = new Map();
    for (const f of all) {
      const root = packageOf(f.file).root;
      const g = byRoot.get(root);
      if (g) g.push(f);
      else byRoot.set(root, [f]);
    }
    scopes.set(all, byRoot as Map<string, unknown[]>);
  }
  return byRoot.get(packageOf(file.file).root) ?? [file];
}

/** Forgets the package of every folder (a package.json was created, changed or deleted). */
export function forgetPackages(): void {
  roots.clear();
  packages.clear();
}

// The language server's steps (src/server): the same engine calls as lintProject, one file at a
// time, with the package's facts kept per file between runs.

/** Parse and collect the facts of one file (the first pass of lintProject). */
export function analyzeFile(text: string, file: string, settings: LintSettings): Analysis {
  return engine().analyze(text, file, settings);
}

/** What one analysed file contributes to its package's facts (plain data, no syntax tree). */
export function sharedFactsOf(a: Analysis): SharedFacts | undefined {
  return 'facts' in a ? engine().sharedFactsOf(a) : undefined;
}

/** The facts of one package from the shared facts of its files (what projectFactsOf computes). */
export function packageFacts(files: ReadonlyArray<SharedFacts | undefined>, pkg: PackageInfo): ProjectFacts {
  return engine().projectFactsFromShared(files, pkg);
}

/** The findings of one analysed file with its package's facts (the second pass of lintProject). */
export function findingsWith(a: Analysis, settings: LintSettings, project: ProjectFacts): LintResult {
  return engine().findingsOf(a, settings, project);
}

export type { Analysis, SharedFacts, ProjectFacts, Finding, LintResult };
