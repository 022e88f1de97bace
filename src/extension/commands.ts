// Command registrations. Command ids here must match contributes.commands in package.json
// (a unit test checks both directions).
import * as vscode from 'vscode';
import { RULE_IDS, type RuleId } from '../analysis/types';
import { SHOW_DOCS_COMMAND } from './code-actions';
import type { Diagnostics } from './diagnostics';
import { lintWorkspace } from './lint-workspace';
import { showLog, type Log } from './output';

export const COMMANDS = {
  lintWorkspace: 'authlint.lintWorkspace',
  showRuleDocumentation: SHOW_DOCS_COMMAND,
  showOutput: 'authlint.showOutput',
} as const;

export function registerCommands(diags: Diagnostics, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.lintWorkspace, async () => {
      const s = await lintWorkspace(diags, log);
      const text = `AuthLint: ${s.findings} finding(s) in ${s.filesWithFindings} of ${s.files} file(s)`
        + (s.cancelled ? ' (cancelled)' : '');
      void vscode.window.showInformationMessage(text);
      return s;
    }),
    vscode.commands.registerCommand(COMMANDS.showRuleDocumentation, async (id?: RuleId) => {
      const ruleId = id && RULE_IDS.includes(id) ? id : await pickRule();
      if (!ruleId) return;
      // Rendered markdown preview of the bundled page; works offline.
      await vscode.commands.executeCommand('markdown.showPreview', diags.docsUri(ruleId));
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => showLog()),
  ];
}

async function pickRule(): Promise<RuleId | undefined> {
  const pick = await vscode.window.showQuickPick([...RULE_IDS], { placeHolder: 'AuthLint rule' });
  return pick as RuleId | undefined;
}
