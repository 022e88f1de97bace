// `authlint lint [PATH...] [--format text|json|sarif]`: two passes over the files (facts, then
// findings with the project's challenge injectors known), one output, exit 0/1/2.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { dependencyNames, lintProject, nearestPackageRoot, type PackageInfo, type ProjectHost } from '../analysis/project';
import { LineIndex } from '../analysis/positions';
import type { RuleId, Severity } from '../analysis/types';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { collectFiles } from './walk';

export interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: RuleId;
  severity: Severity;
  message: string;
}

export interface LintReport {
  findings: CliFinding[];
  files: number;
  errors: Array<{ file: string; message: string }>;
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const LINT_USAGE = `Usage: authlint lint [PATH...] [--format text|json|sarif]
Lints JS/TS server code for HTTP authentication mistakes. Folders are walked for
.js .jsx .mjs .cjs .ts .tsx .mts .cts, skipping node_modules, test code and what .gitignore ignores.
Exit 0: no findings; 1: findings; 2: usage or internal error.`;

export function lintPaths(paths: string[]): LintReport {
  const files: string[] = [];
  for (const p of paths) {
    for (const f of collectFiles(p, true)) if (!files.includes(f)) files.push(f);
  }
  const report: LintReport = { findings: [], files: 0, errors: [] };
  lintProject(files, fileSystemHost(), {}, ({ file, text, result: r, readError }) => {
    if (readError !== undefined) {
      report.errors.push({ file, message: readError });
      return;
    }
    report.files++;
    if (r.error) report.errors.push({ file, message: r.error });
    if (r.skipped) report.errors.push({ file, message: r.skipped });
    if (r.findings.length === 0 || text === undefined) return;
    const li = new LineIndex(text);
    for (const f of r.findings) {
      const s = li.position(f.range[0]);
      const e = li.position(f.range[1]);
      report.findings.push({ file, line: s.line + 1, column: s.column + 1, endLine: e.line + 1, endColumn: e.column + 1, ruleId: f.ruleId, severity: f.severity, message: f.message });
    }
  });
  return report;
}

/** Files and packages on disk: a package is the folder of the nearest package.json (linter-notes §D.10.3). */
export function fileSystemHost(): ProjectHost {
  const roots = new Map<string, string>();
  const packages = new Map<string, PackageInfo>();
  const hasPackageJson = (d: string): boolean => existsSync(join(d, 'package.json'));
  return {
    packageOf(file) {
      const dir = dirname(file);
      let root = roots.get(dir);
      if (root === undefined) roots.set(dir, (root = nearestPackageRoot(dir, hasPackageJson, dirname)));
      let pkg = packages.get(root);
      if (!pkg) {
        let dependencies: Set<string> | undefined;
        if (root) {
          try {
            dependencies = dependencyNames(readFileSync(join(root, 'package.json'), 'utf8'));
          } catch {
            dependencies = undefined;
          }
        }
        packages.set(root, (pkg = { root, dependencies }));
      }
      return pkg;
    },
    read(file) {
      try {
        return { text: readFileSync(file, 'utf8') };
      } catch (err) {
        return { error: `cannot read: ${(err as Error).message}` };
      }
    },
  };
}

export function runLint(argv: string[], io: CliIo, version: string): number {
  let format = 'text';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--format' || a === '-f') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--help' || a === '-h') {
      io.stdout.write(LINT_USAGE + '\n');
      return 0;
    } else if (a.startsWith('-')) {
      io.stderr.write(`authlint lint: unknown option ${a}\n${LINT_USAGE}\n`);
      return 2;
    } else paths.push(a);
  }
  if (!['text', 'json', 'sarif'].includes(format)) {
    io.stderr.write(`authlint lint: --format must be text, json or sarif\n`);
    return 2;
  }
  let report: LintReport;
  try {
    report = lintPaths(paths.length ? paths : ['.']);
  } catch (err) {
    io.stderr.write(`authlint lint: ${(err as Error).message}\n`);
    return 2;
  }
  io.stdout.write(format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report, version) : formatText(report));
  return report.findings.length > 0 ? 1 : 0;
}


