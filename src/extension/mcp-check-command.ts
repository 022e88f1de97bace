// "AuthLint: Check MCP Server Authorization": asks for the URL, runs the same check as
// `authlint mcp-check` and shows its HTML page (no script, own CSP) in a webview.
import * as vscode from 'vscode';
import type { Log } from './output';

export function registerMcpCheck(log: Log): vscode.Disposable {
  let panel: vscode.WebviewPanel | undefined;
  return vscode.commands.registerCommand('authlint.checkMcpServer', async (given?: string) => {
    const url = given ?? (await vscode.window.showInputBox({
      title: 'AuthLint: Check MCP Server Authorization',
      prompt: 'URL of the MCP server (Streamable HTTP endpoint)',
      placeHolder: 'https://example.com/mcp',
      ignoreFocusOut: true,
      validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'An http: or https: URL'),
    }));
    if (!url) return undefined;
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { mcpCheck } = require('../http/mcp-check') as typeof import('../http/mcp-check');
    const { mcpHtml } = require('../http/mcp-check-render') as typeof import('../http/mcp-check-render');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const timeoutMs = vscode.workspace.getConfiguration('authlint').get<number>('request.timeout', 10_000);
    const { report, unreachable } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `AuthLint: checking ${url.trim()}` }, () => mcpCheck(url.trim(), { timeoutMs }));
    const failed = report.steps.filter((s) => s.ok === false).map((s) => s.id);
    log.info(`mcp-check ${report.url}: ${unreachable ? `unreachable (${unreachable.code})` : failed.length ? `failed: ${failed.join(', ')}` : 'no step failed'}`);
    if (!panel) {
      panel = vscode.window.createWebviewPanel('authlint.mcpCheck', 'AuthLint: MCP authorization', vscode.ViewColumn.Active, { enableScripts: false, enableForms: false, enableCommandUris: false, localResourceRoots: [] });
      panel.onDidDispose(() => (panel = undefined));
    } else panel.reveal();
    panel.webview.html = mcpHtml(report);
    return report;
  });
}
