// Quick fixes for AuthLint diagnostics (the rule's fixes, disable for this line / file, show
// documentation) and `source.fixAll.authlint` (every preferred fix at once, e.g. on save).
import * as vscode from 'vscode';
import type { Finding, RuleId, TextEdit } from '../analysis/types';
import { RULE_IDS } from '../analysis/types';
import type { Diagnostics } from './diagnostics';
import { addEdits, sameRange } from './positions';
import { mergeFixes } from './text-edits';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('authlint');
export const SHOW_DOCS_COMMAND = 'authlint.showRuleDocumentation';

export class AuthLintCodeActions implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(private readonly diags: Diagnostics) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only?.contains(FIX_ALL_KIND)) {
      const all = this.fixAll(doc);
      return all ? [all] : [];
    }
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const ruleId = ruleOf(d);
      if (!ruleId) continue;
      const finding = this.diags.findings(doc).find((f) => f.ruleId === ruleId && sameRange(doc, d.range, f.range));
      finding?.fixes.forEach((fix, i) => {
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = new vscode.WorkspaceEdit();
        addEdits(a.edit, doc, fix.edits);
        a.diagnostics = [d];
        a.isPreferred = i === 0;
        actions.push(a);
      });
      actions.push(disableForLine(doc, d, ruleId), disableForFile(doc, d, ruleId), showDocs(d, ruleId));
    }
    return actions;
  }

  /** One action applying the preferred fix of every finding whose edits do not collide. */
  fixAll(doc: vscode.TextDocument): vscode.CodeAction | undefined {
    const ordered = [...this.diags.findings(doc)].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
    const edits = mergeFixes(ordered.map(preferred).filter((e): e is TextEdit[] => e !== undefined));
    if (!edits.length) return undefined;
    const a = new vscode.CodeAction('Fix all AuthLint problems', FIX_ALL_KIND);
    a.edit = new vscode.WorkspaceEdit();
    addEdits(a.edit, doc, edits);
    return a;
  }
}

function preferred(f: Finding): TextEdit[] | undefined {
  return f.fixes[0]?.edits.length ? f.fixes[0].edits : undefined;
}

function ruleOf(d: vscode.Diagnostic): RuleId | undefined {
  if (d.source !== 'authlint') return undefined;
  const value = typeof d.code === 'object' ? d.code.value : d.code;
  return (RULE_IDS as readonly unknown[]).includes(value) ? (value as RuleId) : undefined;
}

const NEXT_LINE = /^(\s*)\/\/\s*authlint-disable-next-line\s+(.*?)\s*$/;

function disableForLine(doc: vscode.TextDocument, d: vscode.Diagnostic, id: RuleId): vscode.CodeAction {
  const a = new vscode.CodeAction(`Disable ${id} for this line`, vscode.CodeActionKind.QuickFix);
  a.edit = new vscode.WorkspaceEdit();
  const line = doc.lineAt(d.range.start.line);
  const above = line.lineNumber > 0 ? doc.lineAt(line.lineNumber - 1) : undefined;
  const m = above && NEXT_LINE.exec(above.text);
  if (above && m) {
    // Extend an existing directive instead of stacking a second one.
    a.edit.replace(doc.uri, above.range, `${m[1]}// authlint-disable-next-line ${m[2]}, ${id}`);
  } else {
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
    a.edit.insert(doc.uri, line.range.start, `${indent}// authlint-disable-next-line ${id}${eol(doc)}`);
  }
  a.diagnostics = [d];
  return a;
}

function disableForFile(doc: vscode.TextDocument, d: vscode.Diagnostic, id: RuleId): vscode.CodeAction {
  const a = new vscode.CodeAction(`Disable ${id} for this file`, vscode.CodeActionKind.QuickFix);
  a.edit = new vscode.WorkspaceEdit();
  // After a shebang line, which must stay first.
  const at = doc.lineCount > 0 && doc.lineAt(0).text.startsWith('#!') ? 1 : 0;
  a.edit.insert(doc.uri, new vscode.Position(at, 0), `/* authlint-disable ${id} */${eol(doc)}`);
  a.diagnostics = [d];
  return a;
}

function showDocs(d: vscode.Diagnostic, id: RuleId): vscode.CodeAction {
  const a = new vscode.CodeAction(`Show documentation for ${id}`, vscode.CodeActionKind.QuickFix);
  a.command = { command: SHOW_DOCS_COMMAND, title: a.title, arguments: [id] };
  a.diagnostics = [d];
  return a;
}

function eol(doc: vscode.TextDocument): string {
  return doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}
