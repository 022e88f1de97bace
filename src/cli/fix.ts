// `authlint lint --fix`: the preferred fix of each finding applied in one pass (fixes whose edits
// overlap an earlier one wait for the next pass, as in ESLint), and the safe write of the result.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Finding, TextEdit } from '../analysis/types';

/** `text` with the first fix of every finding applied, skipping fixes that overlap one applied. */
export function applyPreferredFixes(text: string, findings: readonly Finding[]): string {
  const accepted = preferredFixEdits(text, findings);
  if (accepted.length === 0) return text;
  let out = '';
  let at = 0;
  for (const e of accepted) {
    out += text.slice(at, e.range[0]) + e.text;
    at = e.range[1];
  }
  return out + text.slice(at);
}

/**
 * The edits of one `--fix` pass, in order and never overlapping: the first fix of every finding,
 * skipping fixes that touch or overlap one taken (the language server's "fix all" uses them too).
 */
export function preferredFixEdits(text: string, findings: readonly Finding[]): TextEdit[] {
  const fixes = findings
    .map((f) => f.fixes[0])
    .filter((x): x is NonNullable<typeof x> => !!x && x.edits.length > 0)
    .map((x) => {
      const edits = [...x.edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
      return { edits, start: edits[0]!.range[0], end: Math.max(...edits.map((e) => e.range[1])) };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const accepted: TextEdit[] = [];
  let lastEnd = -1;
  for (const fx of fixes) {
    // touching or overlapping an applied fix: left for the next pass (ESLint does the same)
    if (fx.start <= lastEnd) continue;
    if (fx.edits.some((e) => e.range[0] < 0 || e.range[1] > text.length || e.range[0] > e.range[1])) continue;
    if (!nonOverlapping(fx.edits)) continue;
    accepted.push(...fx.edits);
    lastEnd = fx.end;
  }
  return accepted;
}

function nonOverlapping(edits: TextEdit[]): boolean {
  for (let k = 1; k < edits.length; k++) if (edits[k]!.range[0] < edits[k - 1]!.range[1]) return false;
  return true;
}

/**
 * Writes `fixed` over `file` when the file still holds `original`: a temporary file next to it,
 * then a rename, so the file is never half-written. Returns a problem to report, or undefined.
 */
export function writeFixed(file: string, original: string, fixed: string): string | undefined {
  let now: string;
  try {
    now = readFileSync(file, 'utf8');
  } catch (err) {
    return `not fixed: cannot read it again (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  if (now !== original) return 'not fixed: the file changed on disk during the lint';
  const tmp = join(dirname(file), `.${basename(file)}.authlint-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    const mode = statSync(file).mode & 0o7777;
    fd = openSync(tmp, 'wx', mode);
    writeSync(fd, fixed);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // a last look right before the rename narrows the window for a concurrent edit
    if (readFileSync(file, 'utf8') !== original) {
      unlinkSync(tmp);
      return 'not fixed: the file changed on disk during the lint';
    }
    renameSync(tmp, file);
    return undefined;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    return `not fixed: cannot write it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}
