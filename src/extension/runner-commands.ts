// The runner's commands: Send Request (at the cursor or from the CodeLens), Send Ad-hoc
// Request (method, URL and headers from quick inputs) and Explain Raw Response. Each returns
// its RunResult, so tests can call them through executeCommand.
import * as vscode from 'vscode';
import { SEND_COMMAND } from './codelens';
import type { Log } from './output';
import { RequestRunner, UserError, type RunResult } from './request-runner';
import { ResponsePanel } from './response-panel';
import { runnerSettings } from './settings';

export const RUNNER_COMMANDS = {
  sendRequest: SEND_COMMAND,
  sendAdHocRequest: 'authlint.sendAdHocRequest',
  explainRawResponse: 'authlint.explainRawResponse',
} as const;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export interface AdHocArgs {
  method: string;
  url: string;
  headers?: string[];
}

export function registerRunnerCommands(runner: RequestRunner, panel: ResponsePanel, log: Log): vscode.Disposable[] {
  const present = (r: RunResult | undefined, scope?: vscode.Uri): RunResult | undefined => {
    if (r) panel.show(r, runnerSettings(scope).showSecrets);
    return r;
  };
  return [
    vscode.commands.registerCommand(RUNNER_COMMANDS.sendRequest, async (uri?: vscode.Uri, line?: number) => {
      if (!trusted()) return undefined;
      const editor = vscode.window.activeTextEditor;
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
      if (!doc) return void vscode.window.showWarningMessage('AuthLint: open a .http or .rest file first.');
      const at = line ?? (editor?.document === doc ? editor.selection.active.line : 0);
      const prepared = await guarded(log, 'Send Request', () => runner.prepareFromDocument(doc, at), false);
      return prepared && present(await guarded(log, `Sending ${prepared.label}`, (t) => runner.send(prepared, t)), doc.uri);
    }),
    vscode.commands.registerCommand(RUNNER_COMMANDS.sendAdHocRequest, async (args?: AdHocArgs) => {
      if (!trusted()) return undefined;
      const input = args ?? (await askAdHoc());
      if (!input) return undefined;
      const prepared = await guarded(log, 'Send Ad-hoc Request', () => runner.prepareAdHoc(input.method, input.url, input.headers ?? []), false);
      return prepared && present(await guarded(log, `Sending ${prepared.label}`, (t) => runner.send(prepared, t)));
    }),
    vscode.commands.registerCommand(RUNNER_COMMANDS.explainRawResponse, async (capture?: string, rawRequest?: string) => {
      // Reads pasted text only: allowed in Restricted Mode too.
      const text = capture ?? (await findCapture());
      if (!text) return undefined;
      return present(await guarded(log, 'Explaining response', async () => runner.explainRaw(text, rawRequest), false));
    }),
  ];
}

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage('AuthLint: sending requests needs a trusted workspace. Linting keeps working in Restricted Mode.', 'Manage Workspace Trust')
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

/** Runs `work` (under a cancellable progress notification when it waits on the network). */
async function guarded<T>(log: Log, title: string, work: (t: vscode.CancellationToken) => Promise<T | undefined>, network = true): Promise<T | undefined> {
  try {
    if (!network) return await work(new vscode.CancellationTokenSource().token);
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `AuthLint: ${title}…`, cancellable: true },
      (_p, token) => work(token),
    );
  } catch (err) {
    // UserError: a plain message for the user; anything else is a bug, logged with its stack.
    const message = err instanceof UserError ? err.message : `unexpected error: ${(err as Error).message}`;
    if (err instanceof UserError) log.warn(`${title}: ${message}`);
    else log.error(`${title}: ${(err as Error).stack ?? err}`);
    void vscode.window.showErrorMessage(`AuthLint: ${message}`);
    return undefined;
  }
}

async function askAdHoc(): Promise<AdHocArgs | undefined> {
  const method = await vscode.window.showQuickPick(METHODS, { title: 'AuthLint: Send Ad-hoc Request (1/3)', placeHolder: 'HTTP method' });
  if (!method) return undefined;
  const url = await vscode.window.showInputBox({
    title: 'AuthLint: Send Ad-hoc Request (2/3)', prompt: 'URL', placeHolder: 'https://api.example.com/me', ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) || /\{\{/.test(v) ? undefined : 'An http:// or https:// URL'),
  });
  if (!url) return undefined;
  const headers: string[] = [];
  for (;;) {
    const h = await vscode.window.showInputBox({
      title: `AuthLint: Send Ad-hoc Request (3/3): header ${headers.length + 1}`,
      prompt: 'A header as `Name: value` (e.g. Authorization: Bearer …). Leave empty to send.', ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || /^[!#$%&'*+.^_`|~\w-]+\s*:/.test(v) ? undefined : 'Name: value'),
    });
    if (h === undefined) return undefined;
    if (h.trim() === '') break;
    headers.push(h.trim());
  }
  return { method, url: url.trim(), headers };
}

const STATUS_LINE = /^HTTP\/\d(?:\.\d)? \d{3}/m;

/** The selection, the active document, or the clipboard, whichever holds a raw response. */
async function findCapture(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const candidates = [
    editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined,
    editor?.document.getText(),
    await vscode.env.clipboard.readText(),
  ];
  for (const c of candidates) {
    const m = c === undefined ? null : STATUS_LINE.exec(c);
    if (c && m) return c.slice(m.index); // from the first status line (drops the paste hint)
  }
  const doc = await vscode.workspace.openTextDocument({
    language: 'http',
    content: '# Paste what `curl -si URL` printed below this line, then run "AuthLint: Explain Raw Response" again.\n',
  });
  await vscode.window.showTextDocument(doc);
  return undefined;
}
