import { escapeForTerminal } from '../../http/terminal-text';
import type { LintReport } from '../lint';

/** One line per finding and per error; file names and messages come from the linted project, so
 * every non-printable character in them is escaped (no escape sequence, link or bidi control, and
 * no newline that would print a fake line, reaches the terminal). */
export function formatText(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${f.message}`);
  }
  for (const e of report.errors) lines.push(`${e.file}: error: ${e.message}`);
  const n = report.findings.length;
  lines.push(`${n} finding${n === 1 ? '' : 's'} in ${report.files} file${report.files === 1 ? '' : 's'}${report.errors.length ? `, ${report.errors.length} not analysed or not read` : ''}`);
  return lines.map((l) => escapeForTerminal(l)).join('\n') + '\n';
}
