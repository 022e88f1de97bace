// Activation: wiring only. The analysis core and the request runner load on first use.
import * as vscode from 'vscode';
import { AuthLintCodeActions } from './code-actions';
import { HttpCodeLens } from './codelens';
import { registerCommands } from './commands';
import { Diagnostics, LINTED_LANGUAGES, engineLoadMs, watchDocuments } from './diagnostics';
import { createLog } from './output';
import { registerMcpCheck } from './mcp-check-command';
import { editorAuth } from './oauth';
import { RequestRunner } from './request-runner';
import { ResponsePanel } from './response-panel';
import { registerRunnerCommands } from './runner-commands';

/** What activate() returns: used by the integration tests, not a public API. */
export interface AuthLintApi {
  diagnostics: Diagnostics;
  responsePanel: ResponsePanel;
  activationMs: number;
  engineLoadMs(): number | undefined;
  /** Folder of this extension's logs (the AuthLint output channel writes AuthLint.log there). */
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): AuthLintApi {
  const t0 = performance.now();
  const log = createLog(context);
  const diagnostics = new Diagnostics(context.extensionUri, log);
  const responsePanel = new ResponsePanel();
  const codeLens = new HttpCodeLens();
  context.subscriptions.push(
    diagnostics,
    responsePanel,
    codeLens,
    watchDocuments(diagnostics),
    vscode.languages.registerCodeActionsProvider(
      LINTED_LANGUAGES.map((language) => ({ language })),
      new AuthLintCodeActions(diagnostics),
      { providedCodeActionKinds: AuthLintCodeActions.providedCodeActionKinds },
    ),
    vscode.languages.registerCodeLensProvider({ language: 'http' }, codeLens),
    ...registerCommands(diagnostics, log),
    ...registerRunnerCommands(new RequestRunner(log, editorAuth(context)), responsePanel, log),
    registerMcpCheck(log),
  );
  const activationMs = performance.now() - t0;
  log.info(`AuthLint ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms `
    + `(VS Code ${vscode.version}, ${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`);
  return { diagnostics, responsePanel, activationMs, engineLoadMs, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
