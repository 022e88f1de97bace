// The one place the CLI and the ESLint plugin reach the analysis engine. The engine (parser and
// TypeScript, most of the bytes) is required lazily: the bundles turn this require into
// `require('./engine.js')`, so `authlint --help`, `send` and `explain`, and a lint answered from
// the cache, never load it. Re-point these few functions when the engine's entry points change.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Analysis, SharedFacts } from '../analysis/lint';
import type { ProjectFacts } from '../analysis/flow';
import { dependencyNames, nearestPackageRoot, type PackageInfo } from '../analysis/packages';
import type { Program } from '../analysis/parse';
import type { ScopeManagerLike } from '../analysis/constants';
import type { Finding, LintResult, LintSettings } from '../analysis/types';

type Engine = typeof import('../analysis/lint');
let loaded: Engine | undefined;

function engine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('../analysis/lint') as Engine);
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

/** The package of a file: the folder of the nearest package.json, with its dependency names (linter-notes §D.10.3). */
export function packageOf(file: string): PackageInfo {
  const start = dirname(resolve(file));
  let root = roots.get(start);
  if (root === undefined) roots.set(start, (root = nearestPackageRoot(start, (d) => existsSync(join(d, 'package.json')), dirname)));
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
 * Lints files package by package (facts shared within a package, never across: linter-notes
 * §D.10.3): the result of each file, in the order given.
 */
export function lintProject(files: SourceFile[]): LintResult[] {
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
  for (const [root, idx] of groups) {
    const analyses: Analysis[] = idx.map((k) => e.analyze(files[k]!.text, files[k]!.file, files[k]!.settings));
    const project = e.projectFactsOf(analyses, packages.get(root));
    idx.forEach((k, i) => (out[k] = e.findingsOf(analyses[i]!, files[k]!.settings, project)));
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
  return engine().sharedFactsOf(a);
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
