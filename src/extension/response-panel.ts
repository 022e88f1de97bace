// The response view: a webview showing exactly the standalone document of render-html.ts
// (diagnosis first, then status, every header field line, the body), which carries its own
// strict Content-Security-Policy. No script runs in it and it loads nothing.
import * as vscode from 'vscode';
import type { RunResult } from './request-runner';

export const RESPONSE_VIEW_TYPE = 'authlint.response';

export class ResponsePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The HTML last shown (the integration tests read it). */
  lastHtml = '';

  show(result: RunResult, showSecrets: boolean): void {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { renderHtml } = require('../http/render-html') as typeof import('../http/render-html');
    const { bodyOf } = require('../http/body-view') as typeof import('../http/body-view');
    const { redactSecrets, hideValues } = require('../http/redact') as typeof import('../http/redact');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const { exchange } = result;
    let report = result.report;
    const body = exchange ? bodyOf(exchange.response) : {};
    // Values substituted from secret sources (private env files) are hidden like credentials.
    const secrets = showSecrets ? [] : [...result.secretValues].sort((a, b) => b.length - a.length);
    if (secrets.length) {
      // the same hiding as `authlint send`: URL, headers, diagnosis text, redirect targets, errors
      report = hideValues(report, secrets);
      if (body.text !== undefined) body.text = redactSecrets(body.text, secrets);
    }
    const title = report.response ? `${report.response.status} ${report.request.method}` : `Failed ${report.request.method}`;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        RESPONSE_VIEW_TYPE,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, enableForms: false, enableCommandUris: false, localResourceRoots: [], retainContextWhenHidden: false },
      );
      this.panel.onDidDispose(() => { this.panel = undefined; });
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.title = `AuthLint: ${title}`;
    this.lastHtml = renderHtml(report, body, { showSecrets });
    this.panel.webview.html = this.lastHtml;
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
