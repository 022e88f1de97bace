// The "AuthLint" output channel. Callers log what happened, never header values or bodies.
import * as vscode from 'vscode';

export type Log = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error' | 'debug'>;

let channel: vscode.LogOutputChannel | undefined;

export function createLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('AuthLint', { log: true });
  context.subscriptions.push(channel);
  return channel;
}

export function showLog(): void {
  channel?.show(true);
}
