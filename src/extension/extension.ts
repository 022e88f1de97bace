// Activation: wiring only. The analysis core and the request runner load on first use.
import * as vscode from 'vscode';
import { AuthLintCodeActions } from './code-actions';
import { Diagnostics, LINTED_LANGUAGES, watchDocuments } from './diagnostics';
import { registerCommands } from './commands';
import { createLog } from './output';

/** What activate() returns: used by the integration tests, not a public API. */
export interface AuthLintApi {
  diagnostics: Diagnostics;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): AuthLintApi {
  const t0 = performance.now();
  const log = createLog(context);
  const diagnostics = new Diagnostics(context.extensionUri, log);
  const selector = LINTED_LANGUAGES.map((language) => ({ language }));
  context.subscriptions.push(
    diagnostics,
    watchDocuments(diagnostics),
    vscode.languages.registerCodeActionsProvider(selector, new AuthLintCodeActions(diagnostics), {
      providedCodeActionKinds: AuthLintCodeActions.providedCodeActionKinds,
    }),
    ...registerCommands(diagnostics, log),
  );
  const activationMs = performance.now() - t0;
  log.info(`AuthLint ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms `
    + `(VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'restricted'})`);
  return { diagnostics, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
