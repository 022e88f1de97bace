// Activation: wiring only. Linting runs in the AuthLint language server (its own process); the
// request runner loads on first use.
import * as vscode from 'vscode';
import { HttpCodeLens } from './codelens';
import { registerCommands } from './commands';
import { startLanguageClient, type AuthLintClient } from './language-client';
import { createLog } from './output';
import { registerMcpCheck } from './mcp-check-command';
import { editorAuth } from './oauth';
import { RequestRunner } from './request-runner';
import { ResponsePanel } from './response-panel';
import { registerRunnerCommands } from './runner-commands';

/** What activate() returns: used by the integration tests and the bench, not a public API. */
export interface AuthLintApi {
  lsp: AuthLintClient;
  responsePanel: ResponsePanel;
  activationMs: number;
  /** Folder of this extension's logs (the AuthLint output channel writes AuthLint.log there). */
  logUri: vscode.Uri;
}

let running: AuthLintClient | undefined;

export function activate(context: vscode.ExtensionContext): AuthLintApi {
  const t0 = performance.now();
  const log = createLog(context);
  const lsp = startLanguageClient(context, log);
  running = lsp;
  const responsePanel = new ResponsePanel();
  const codeLens = new HttpCodeLens();
  context.subscriptions.push(
    lsp,
    responsePanel,
    codeLens,
    vscode.languages.registerCodeLensProvider({ language: 'http' }, codeLens),
    ...registerCommands(context.extensionUri, lsp, log),
    ...registerRunnerCommands(new RequestRunner(log, editorAuth(context)), responsePanel, log),
    registerMcpCheck(log),
  );
  const activationMs = performance.now() - t0;
  log.info(`AuthLint ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms `
    + `(VS Code ${vscode.version}, ${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`);
  return { lsp, responsePanel, activationMs, logUri: context.logUri };
}

export function deactivate(): Thenable<void> | undefined {
  // The rest is disposed through context.subscriptions; VS Code waits for the server to stop.
  return running?.client.stop();
}
