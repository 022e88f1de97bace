// Code actions of the language server, as WorkspaceEdits (the server never saves a file): the
// rule's fixes (the preferred one first), disable for this line / this file, the rule's page (a
// command the client implements), and `source.fixAll.authlint` (the preferred fixes `authlint
// lint --fix` applies in one pass).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionKind, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import { DOCS_BASE_URL, RULE_META } from '../analysis/rule-meta';
import { RULE_IDS, type Finding, type RuleId, type TextEdit } from '../analysis/types';
import { preferredFixEdits } from '../cli/fix';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.authlint`;
export const OPEN_RULE_PAGE_COMMAND = 'authlint.openRulePage';

export function rulePage(id: RuleId): string {
  return DOCS_BASE_URL + RULE_META[id].docsPath;
}

export function ruleOf(d: Diagnostic): RuleId | undefined {
  if (d.source !== 'authlint') return undefined;
  return (RULE_IDS as readonly unknown[]).includes(d.code) ? (d.code as RuleId) : undefined;
}

function lspEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: { start: doc.positionAt(e.range[0]), end: doc.positionAt(e.range[1]) }, newText: e.text }));
}

function eol(doc: TextDocument): string {
  return doc.getText().includes('\r\n') ? '\r\n' : '\n';
}

function lineText(doc: TextDocument, line: number): string {
  const t = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return t.replace(/\r?\n$|\r$/, '');
}

/** Whether an only-filter (context.only) asks for a kind. */
export function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
}

const NEXT_LINE = /^(\s*)\/\/\s*authlint-disable-next-line\s+(.*?)\s*$/;

/** Quick fixes for the AuthLint diagnostics of a request, given the findings of the document's text. */
export function quickFixes(doc: TextDocument, diagnostics: readonly Diagnostic[], findings: readonly Finding[]): CodeAction[] {
  const out: CodeAction[] = [];
  const disables: CodeAction[] = [];
  for (const d of diagnostics) {
    const id = ruleOf(d);
    if (!id) continue;
    const f = findings.find((x) => x.ruleId === id && doc.offsetAt(d.range.start) === x.range[0] && doc.offsetAt(d.range.end) === x.range[1]);
    f?.fixes.forEach((fix, i) => {
      const a = CodeAction.create(fix.title, { changes: { [doc.uri]: lspEdits(doc, fix.edits) } }, CodeActionKind.QuickFix);
      a.diagnostics = [d];
      if (i === 0) a.isPreferred = true;
      out.push(a);
    });
    disables.push(disableForLine(doc, d, id), disableForFile(doc, d, id), openRulePage(d, id));
  }
  // every rule fix before the disable comments, the preferred ones first
  out.sort((a, b) => Number(!!b.isPreferred) - Number(!!a.isPreferred));
  return [...out, ...disables];
}

function disableForLine(doc: TextDocument, d: Diagnostic, id: RuleId): CodeAction {
  const line = d.range.start.line;
  const text = lineText(doc, line);
  const above = line > 0 ? lineText(doc, line - 1) : undefined;
  const m = above !== undefined ? NEXT_LINE.exec(above) : null;
  let edit: LspTextEdit;
  if (above !== undefined && m) {
    // extend the directive above instead of stacking a second one
    edit = { range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: above.length } }, newText: `${m[1]}// authlint-disable-next-line ${m[2]}, ${id}` };
  } else {
    const indent = /^\s*/.exec(text)![0];
    edit = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// authlint-disable-next-line ${id}${eol(doc)}` };
  }
  const a = CodeAction.create(`Disable ${id} for this line`, { changes: { [doc.uri]: [edit] } }, CodeActionKind.QuickFix);
  a.diagnostics = [d];
  return a;
}

function disableForFile(doc: TextDocument, d: Diagnostic, id: RuleId): CodeAction {
  // after a shebang line, which must stay first
  const at = lineText(doc, 0).startsWith('#!') ? 1 : 0;
  const edit = { range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, newText: `/* authlint-disable ${id} */${eol(doc)}` };
  const a = CodeAction.create(`Disable ${id} for this file`, { changes: { [doc.uri]: [edit] } }, CodeActionKind.QuickFix);
  a.diagnostics = [d];
  return a;
}

function openRulePage(d: Diagnostic, id: RuleId): CodeAction {
  const title = `Show documentation for ${id}`;
  const a = CodeAction.create(title, { title, command: OPEN_RULE_PAGE_COMMAND, arguments: [rulePage(id)] }, CodeActionKind.QuickFix);
  a.diagnostics = [d];
  return a;
}

/** One action applying the preferred fix of every finding (as one `--fix` pass), or none. */
export function fixAll(doc: TextDocument, findings: readonly Finding[]): CodeAction | undefined {
  const edits = preferredFixEdits(doc.getText(), findings);
  if (edits.length === 0) return undefined;
  return CodeAction.create('Fix all AuthLint problems', { changes: { [doc.uri]: lspEdits(doc, edits) } }, FIX_ALL_KIND);
}
