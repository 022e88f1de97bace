// The one place where the core's UTF-16 offsets [start, end) become VS Code positions.
import * as vscode from 'vscode';
import type { TextEdit } from '../analysis/types';
import { positionMapper } from './text-edits';

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

/** Offset -> Range for a text that is not open in an editor (Lint Workspace). */
export function rangeMapper(text: string): (r: readonly [number, number]) => vscode.Range {
  const pos = positionMapper(text);
  const at = (offset: number): vscode.Position => {
    const p = pos(offset);
    return new vscode.Position(p.line, p.character);
  };
  return (r) => new vscode.Range(at(r[0]), at(r[1]));
}
