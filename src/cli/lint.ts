// `authlint lint [PATH...] [--format text|json|sarif]`: two passes over the files (facts, then
// findings with the project's challenge injectors known), one output, exit 0/1/2.
import { analyze, findingsOf, projectFactsOf, type Analysis } from '../analysis/lint';
import { LineIndex } from '../analysis/positions';
import type { RuleId, Severity } from '../analysis/types';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { readSource } from './read-source';
import { walkFiles } from './walk';

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
  /** How many folders or files could not be read (a subset of errors); not part of the JSON. */
  unreadable?: number;
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
  const report: LintReport = { findings: [], files: 0, errors: [], unreadable: 0 };
  const seen = new Set<string>(); // real paths: the same file named twice or reached twice is linted once
  for (const p of paths) {
    const walked = walkFiles(p, true, seen);
    files.push(...walked.files);
    report.errors.push(...walked.errors);
    report.unreadable! += walked.errors.length;
  }
  const analyses: Array<{ file: string; text: string; a: Analysis }> = [];
  for (const file of files) {
    const r = readSource(file);
    if ('unreadable' in r) {
      report.errors.push({ file, message: r.unreadable });
      report.unreadable!++;
      continue;
    }
    if ('skipped' in r) {
      report.errors.push({ file, message: r.skipped });
      continue;
    }
    const text = r.text;
    report.files++;
    analyses.push({ file, text, a: analyze(text, file) });
  }
  const project = projectFactsOf(analyses.map((x) => x.a));
  for (const { file, text, a } of analyses) {
    const r = findingsOf(a, {}, project);
    if (r.error) report.errors.push({ file, message: r.error });
    if (r.skipped) report.errors.push({ file, message: r.skipped });
    if (r.findings.length === 0) continue;
    const li = new LineIndex(text);
    for (const f of r.findings) {
      const s = li.position(f.range[0]);
      const e = li.position(f.range[1]);
      report.findings.push({ file, line: s.line + 1, column: s.column + 1, endLine: e.line + 1, endColumn: e.column + 1, ruleId: f.ruleId, severity: f.severity, message: f.message });
    }
  }
  return report;
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
  if (report.files === 0 && (report.unreadable ?? 0) > 0) return 2; // nothing could be read
  return report.findings.length > 0 ? 1 : 0;
}


