import type { LintReport } from '../lint';

/** The contract's JSON shape, exactly. */
export function formatJson(report: LintReport): string {
  return (
    JSON.stringify(
      {
        version: 1,
        findings: report.findings.map((f) => ({
          file: f.file,
          line: f.line,
          column: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn,
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
        })),
        files: report.files,
        errors: report.errors,
      },
      null,
      2,
    ) + '\n'
  );
}
