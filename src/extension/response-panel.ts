// The response view: a webview showing exactly the standalone document of render-html.ts
// (diagnosis first, then status, every header field line, the body), which carries its own
// strict Content-Security-Policy. No script runs in it and it loads nothing. Hidden values are
// revealed by a link to a command (the only command URI the webview allows), which renders
// the same result again with secrets shown; a second link hides them again.
import * as vscode from 'vscode';
import type { RunResult } from './request-runner';

export const RESPONSE_VIEW_TYPE = 'authlint.response';
export const REVEAL_COMMANDS = { show: 'authlint.showResponseSecrets', hide: 'authlint.hideResponseSecrets' } as const;

export class ResponsePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: RunResult | undefined;
  private readonly commands: vscode.Disposable[];
  /** The HTML last shown (the integration tests read it). */
  lastHtml = '';

  constructor() {
    this.commands = [
      vscode.commands.registerCommand(REVEAL_COMMANDS.show, () => this.rerender(true)),
      vscode.commands.registerCommand(REVEAL_COMMANDS.hide, () => this.rerender(false)),
    ];
  }

  show(result: RunResult, showSecrets: boolean): void {
    this.last = result;
    const title = result.report.response ? `${result.report.response.status} ${result.report.request.method}` : `Failed ${result.report.request.method}`;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        RESPONSE_VIEW_TYPE,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        // Links to the two reveal commands only; no script, no forms, no local resources.
        { enableScripts: false, enableForms: false, enableCommandUris: [REVEAL_COMMANDS.show, REVEAL_COMMANDS.hide], localResourceRoots: [], retainContextWhenHidden: false },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.last = undefined;
      });
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.title = `AuthLint: ${title}`;
    this.render(result, showSecrets);
  }

  private rerender(showSecrets: boolean): void {
    if (this.last && this.panel) this.render(this.last, showSecrets);
  }

  private render(result: RunResult, showSecrets: boolean): void {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { renderHtml } = require('../http/render-html') as typeof import('../http/render-html');
    const { bodyOf } = require('../http/body-view') as typeof import('../http/body-view');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const body = result.exchange ? bodyOf(result.exchange.response) : {};
    // The same policy as `authlint send`: credentials and values from secret sources hidden.
    this.lastHtml = renderHtml(result.report, body, {
      showSecrets,
      secretValues: result.secretValues,
      reveal: { show: `command:${REVEAL_COMMANDS.show}`, hide: `command:${REVEAL_COMMANDS.hide}` },
    });
    if (this.panel) this.panel.webview.html = this.lastHtml;
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  dispose(): void {
    for (const d of this.commands) d.dispose();
    this.panel?.dispose();
  }
}
