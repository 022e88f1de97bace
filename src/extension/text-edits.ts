// Plain helpers of the extension that need no VS Code (unit-tested in plain Node):
// merging fixes for "fix all", offset -> line/character, and files.exclude brace globs.
import type { TextEdit } from '../analysis/types';

/** True when two edits collide (two insertions at one point do not: both apply, in order). */
export function collides(a: TextEdit, b: TextEdit): boolean {
  const [as, ae] = a.range;
  const [bs, be] = b.range;
  if (as === ae && bs === be) return false;
  if (as === ae) return bs < as && as < be;
  if (bs === be) return as < bs && bs < ae;
  return as < be && bs < ae;
}

/**
 * Merges fixes the way `fix all` does: in order, a fix whose edits collide with an edit already
 * taken is skipped whole; an edit identical to one already taken is applied once.
 */
export function mergeFixes(fixes: ReadonlyArray<readonly TextEdit[]>): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const fix of fixes) {
    const edits = fix.filter((e) => !taken.some((t) => t.range[0] === e.range[0] && t.range[1] === e.range[1] && t.text === e.text));
    if (!edits.some((e) => taken.some((t) => collides(e, t)))) taken.push(...edits);
  }
  return taken;
}

/** Applies non-colliding edits to `text` (insertions at one point keep their order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.range[0] - b.e.range[0] || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    out += text.slice(pos, e.range[0]) + e.text;
    pos = Math.max(pos, e.range[1]);
  }
  return out + text.slice(pos);
}

/** UTF-16 offset -> 0-based { line, character }, with \n, \r\n and lone \r line breaks (as VS Code). */
export function positionMapper(text: string): (offset: number) => { line: number; character: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - (starts[lo] ?? 0) };
  };
}

/** `a/{b,c}/*.{js,ts}` -> its four alternatives (a VS Code glob's `{…}` group cannot nest). */
export function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob];
  return m[1]!.split(',').flatMap((alt) => expandBraces(glob.slice(0, m.index) + alt + glob.slice(m.index + m[0].length)));
}
