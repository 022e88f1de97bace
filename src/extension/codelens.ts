// "Send & Explain" above each request of a .http/.rest file (titled apart from REST Client's
// "Send Request", so both can coexist). Setting: authlint.codeLens.enabled.
import * as vscode from 'vscode';
import { editorSettings } from './settings';

export const SEND_COMMAND = 'authlint.sendRequest';
export const CODELENS_TITLE = 'Send & Explain';

type HttpFile = typeof import('../http/http-file');
let httpFile: HttpFile | undefined;

/** The .http parser, loaded on first use. */
export function loadHttpFile(): HttpFile {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  httpFile ??= require('../http/http-file') as HttpFile;
  return httpFile;
}

export class HttpCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('authlint.codeLens')) this.changed.fire();
  });

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!editorSettings(doc.uri).codeLens) return [];
    const { parseHttpFile, requestBlocks } = loadHttpFile();
    return requestBlocks(parseHttpFile(doc.getText())).map((b) => {
      const line = b.requestLine! - 1; // the parser's lines are 1-based
      return new vscode.CodeLens(doc.lineAt(line).range, {
        title: CODELENS_TITLE,
        tooltip: b.name ? `Send "${b.name}" and explain the answer` : 'Send this request and explain the answer',
        command: SEND_COMMAND,
        arguments: [doc.uri, line],
      });
    });
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
