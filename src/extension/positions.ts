// The one place where the core's UTF-16 offsets [start, end) become VS Code positions.
import * as vscode from 'vscode';
import type { TextEdit } from '../analysis/types';

export function toRange(doc: vscode.TextDocument, range: readonly [number, number]): vscode.Range {
  return new vscode.Range(doc.positionAt(range[0]), doc.positionAt(range[1]));
}

export function sameRange(doc: vscode.TextDocument, a: vscode.Range, b: readonly [number, number]): boolean {
  return doc.offsetAt(a.start) === b[0] && doc.offsetAt(a.end) === b[1];
}

/** Adds core edits to a WorkspaceEdit (all offsets refer to the current text of `doc`). */
export function addEdits(edit: vscode.WorkspaceEdit, doc: vscode.TextDocument, edits: readonly TextEdit[]): void {
  for (const e of edits) edit.replace(doc.uri, toRange(doc, e.range), e.text);
}

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

/** Offset -> Range for a text that is not open in an editor (Lint Workspace). */
export function rangeMapper(text: string): (r: readonly [number, number]) => vscode.Range {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  const pos = (offset: number): vscode.Position => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return new vscode.Position(lo, offset - (starts[lo] ?? 0));
  };
  return (r) => new vscode.Range(pos(r[0]), pos(r[1]));
}
