// The package model (linter-notes §D.10.3): a project is one package, the folder of the nearest
// package.json. Facts (error classes, helpers, injectors) flow between the files of one package
// and never into another, so linting many packages in one run gives each exactly the findings
// it gets alone. File access is the caller's (the CLI, the language server): this module only
// groups and analyses.
import { analyze, findingsOf, projectFactsOf, type Analysis } from './lint';
import type { LintResult, LintSettings } from './types';
import type { PackageInfo } from './packages';

export type { PackageInfo } from './packages';
export { dependencyNames, nearestPackageRoot } from './packages';


export interface ProjectHost {
  /** The package a file belongs to. */
  packageOf(file: string): PackageInfo;
  /** The text of a file, or an error message when it cannot be read. */
  read(file: string): { text: string } | { error: string };
}

export interface FileResult {
  file: string;
  text?: string;
  result: LintResult;
  /** Set when the file could not be read. */
  readError?: string;
}

/** Groups files by package, keeping the order of first appearance. */
export function groupByPackage(files: string[], packageOf: (file: string) => PackageInfo): Array<{ pkg: PackageInfo; files: string[] }> {
  const groups = new Map<string, { pkg: PackageInfo; files: string[] }>();
  for (const f of files) {
    const pkg = packageOf(f);
    let g = groups.get(pkg.root);
    if (!g) groups.set(pkg.root, (g = { pkg, files: [] }));
    g.files.push(f);
  }
  return [...groups.values()];
}

/** Lints files package by package; `onFile` receives each file's result as soon as it is known. */
export function lintProject(files: string[], host: ProjectHost, settings: LintSettings = {}, onFile?: (r: FileResult) => void): FileResult[] {
  const out: FileResult[] = [];
  const emit = (r: FileResult): void => {
    if (onFile) onFile(r);
    else out.push(r);
  };
  for (const { pkg, files: group } of groupByPackage(files, host.packageOf)) {
    const analyses: Array<{ file: string; text: string; a: Analysis }> = [];
    for (const file of group) {
      const r = host.read(file);
      if ('error' in r) {
        emit({ file, result: { findings: [] }, readError: r.error });
        continue;
      }
      analyses.push({ file, text: r.text, a: analyze(r.text, file, settings) });
    }
    const project = projectFactsOf(analyses.map((x) => x.a), pkg);
    for (const { file, text, a } of analyses) emit({ file, text, result: findingsOf(a, settings, project) });
  }
  return out;
}
