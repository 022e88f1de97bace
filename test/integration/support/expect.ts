// Compares VS Code diagnostics with the inline `// ^^^ rule-id` annotations of a fixture.
import * as vscode from 'vscode';
import { diffFindings, parseAnnotations } from '../../unit/support/annotations';
import { RULE_IDS } from '../../../src/analysis/types';
import { codeOf } from './host';

export function expectedFindings(doc: vscode.TextDocument) {
  return parseAnnotations(doc.getText(), RULE_IDS);
}

export function asLocated(doc: vscode.TextDocument, diags: readonly vscode.Diagnostic[]) {
  return diags.map((d) => ({ ruleId: codeOf(d), range: [doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)] as [number, number] }));
}

/** '' when the diagnostics are exactly the annotated findings, else a readable diff. */
export function diffWithAnnotations(doc: vscode.TextDocument, diags: readonly vscode.Diagnostic[]): string {
  return diffFindings(doc.getText(), expectedFindings(doc), asLocated(doc, diags));
}
