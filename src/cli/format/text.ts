import type { LintReport } from '../lint';

export function formatText(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${f.message}`);
  }
  for (const e of report.errors) lines.push(`${e.file}: error: ${e.message}`);
  const n = report.findings.length;
  lines.push(`${n} finding${n === 1 ? '' : 's'} in ${report.files} file${report.files === 1 ? '' : 's'}${report.errors.length ? `, ${report.errors.length} file${report.errors.length === 1 ? '' : 's'} not analysed` : ''}`);
  return lines.join('\n') + '\n';
}
