// The one place the CLI and the ESLint plugin reach the analysis engine. The engine (parser and
// TypeScript, most of the bytes) is required lazily: the bundles turn this require into
// `require('./engine.js')`, so `authlint --help`, `send` and `explain`, and a lint answered from
// the cache, never load it. Re-point these few functions when the engine's entry points change.
import type { Analysis } from '../analysis/lint';
import type { Program } from '../analysis/parse';
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

/**
 * Lints files as one project (facts shared across them, as `authlint lint` does): the result
 * of each file, in the order given.
 */
export function lintProject(files: SourceFile[]): LintResult[] {
  if (files.length === 0) return [];
  const e = engine();
  const analyses: Analysis[] = files.map((f) => e.analyze(f.text, f.file, f.settings));
  const project = e.projectFactsOf(analyses);
  return analyses.map((a, k) => e.findingsOf(a, files[k]!.settings, project));
}

/** Lints one file alone, from a tree already parsed (ESTree with `range` and `comments`). */
export function lintParsed(text: string, file: string, program: unknown, settings: LintSettings): LintResult {
  const e = engine();
  return e.findingsOf(e.analyze(text, file, settings, program as Program), settings);
}

/**
 * The files whose content the findings of a file depend on, besides its own. Today the engine
 * shares facts (error classes, helpers, injectors) across every file of one `lint` run, so that
 * is all of them; narrow this when the engine exposes a per-package digest of shared facts.
 */
export function factsScope<T>(_file: T, all: readonly T[]): readonly T[] {
  return all;
}

export type { Finding, LintResult };
