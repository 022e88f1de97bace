// Applies the preferred (first) fix of each finding, the way "fix all" does.
import type { Finding, TextEdit } from '../../../src/analysis/types';

type FixableFinding = Pick<Finding, 'range' | 'fixes'>;

const overlaps = (a: TextEdit, b: TextEdit): boolean => {
  const [as, ae] = a.range;
  const [bs, be] = b.range;
  if (as === ae && bs === be) return false; // two insertions at one point: both apply, in order
  if (as === ae) return bs < as && as < be; // insertion strictly inside a replacement
  if (bs === be) return as < bs && bs < ae;
  return as < be && bs < ae;
};

/**
 * Takes findings in source order and each one's first fix as a unit; a fix whose edits
 * overlap an edit already taken is skipped whole (as ESLint's fixer does). Exact duplicate
 * edits (two findings proposing the same change) are applied once.
 */
export function applyPreferredFixes(text: string, findings: readonly FixableFinding[]): { text: string; applied: number; skipped: number } {
  const ordered = [...findings].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const taken: TextEdit[] = [];
  let applied = 0;
  let skipped = 0;
  for (const f of ordered) {
    const fix = f.fixes[0];
    if (!fix) continue;
    const edits = fix.edits.filter(
      (e) => !taken.some((t) => t.range[0] === e.range[0] && t.range[1] === e.range[1] && t.text === e.text),
    );
    if (edits.some((e) => taken.some((t) => overlaps(e, t)))) {
      skipped++;
      continue;
    }
    taken.push(...edits);
    applied++;
  }
  // Stable sort keeps insertions at one point in the order they were taken.
  const sorted = taken.map((e, i) => ({ e, i })).sort((a, b) => a.e.range[0] - b.e.range[0] || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    out += text.slice(pos, e.range[0]) + e.text;
    pos = Math.max(pos, e.range[1]);
  }
  out += text.slice(pos);
  return { text: out, applied, skipped };
}
