// "AuthLint: Lint Workspace": the language server lints every JS/TS file of every workspace
// folder (the CLI's walk: .gitignore and config ignores) and publishes each file's diagnostics,
// closed files included; they stay in Problems until the file changes or is deleted.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Log } from './output';

export const LINT_WORKSPACE_REQUEST = 'authlint/lintWorkspace';

export interface WorkspaceLintSummary {
  files: number;
  findings: number;
  cancelled: boolean;
}

export function lintWorkspace(client: LanguageClient, ready: Promise<void>, log: Log): Thenable<WorkspaceLintSummary> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'AuthLint: linting workspace', cancellable: true },
    async (_progress, token) => {
      await ready;
      try {
        const r = await client.sendRequest<{ files: number; findings: number; cancelled?: boolean }>(LINT_WORKSPACE_REQUEST, {}, token);
        // the server says whether it stopped early (a cancellation after its last file changes nothing)
        const summary = { files: r?.files ?? 0, findings: r?.findings ?? 0, cancelled: r?.cancelled ?? token.isCancellationRequested };
        log.info(`Lint Workspace: ${summary.findings} finding(s) in ${summary.files} file(s)${summary.cancelled ? ' (cancelled)' : ''}`);
        return summary;
      } catch (err) {
        if (token.isCancellationRequested) {
          log.info('Lint Workspace: cancelled');
          return { files: 0, findings: 0, cancelled: true };
        }
        throw err;
      }
    },
  );
}
