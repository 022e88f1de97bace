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

/** True when an edit of `a` overlaps an edit of `b` (used when several fixes are merged). */
export function overlaps(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some((x) => b.some((y) => x.range[0] < y.range[1] && y.range[0] < x.range[1]));
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
