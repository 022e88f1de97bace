// Command registrations. Command ids here must match contributes.commands in package.json
// (a unit test checks both directions).
import * as vscode from 'vscode';
import { RULE_IDS, type RuleId } from '../analysis/types';
import { RULE_META } from '../analysis/rule-meta';
import type { AuthLintClient } from './language-client';
import { lintWorkspace } from './lint-workspace';
import { showLog, type Log } from './output';

export const COMMANDS = {
  lintWorkspace: 'authlint.lintWorkspace',
  showRuleDocumentation: 'authlint.showRuleDocumentation',
  showOutput: 'authlint.showOutput',
  // The server's "open rule page" code action carries this command with the page's URL.
  openRulePage: 'authlint.openRulePage',
} as const;

export function registerCommands(extensionUri: vscode.Uri, lsp: AuthLintClient, log: Log): vscode.Disposable[] {
  const docsUri = (id: RuleId): vscode.Uri => vscode.Uri.joinPath(extensionUri, RULE_META[id].docsPath);
  return [
    vscode.commands.registerCommand(COMMANDS.lintWorkspace, async () => {
      const s = await lintWorkspace(lsp.client, lsp.ready, log);
      void vscode.window.showInformationMessage(`AuthLint: ${s.findings} finding(s) in ${s.files} file(s)${s.cancelled ? ' (cancelled)' : ''}`);
      return s;
    }),
    vscode.commands.registerCommand(COMMANDS.showRuleDocumentation, async (id?: RuleId) => {
      const ruleId = id && RULE_IDS.includes(id) ? id : await pickRule();
      if (!ruleId) return;
      // Rendered markdown preview of the bundled page; works offline.
      await vscode.commands.executeCommand('markdown.showPreview', docsUri(ruleId));
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => showLog()),
    vscode.commands.registerCommand(COMMANDS.openRulePage, async (url?: unknown) => {
      if (typeof url !== 'string') return false;
      let uri: vscode.Uri;
      try {
        uri = vscode.Uri.parse(url, true);
      } catch {
        return false;
      }
      // Only web pages: a code action must not be able to open arbitrary schemes.
      if (uri.scheme !== 'https' && uri.scheme !== 'http') return false;
      return vscode.env.openExternal(uri);
    }),
  ];
}

async function pickRule(): Promise<RuleId | undefined> {
  const pick = await vscode.window.showQuickPick([...RULE_IDS], { placeHolder: 'AuthLint rule' });
  return pick as RuleId | undefined;
}
