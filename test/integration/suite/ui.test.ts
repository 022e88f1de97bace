import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitForDiagnostics, wsUri } from '../support/host';
import { canScreenshot, screenshot } from '../support/shots';

describe('what a person sees (screenshots in test-results/)', () => {
  it('a squiggle under the 401 and its row in Problems', async function () {
    if (!canScreenshot()) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = wsUri('src/express-app.js');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const [d] = await waitForDiagnostics(uri, (x) => x.length > 0, 'findings');
    editor.selection = new vscode.Selection(d!.range.start, d!.range.start);
    editor.revealRange(d!.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const shot = await screenshot({ name: 'squiggle', selector: '.monaco-editor .squiggly-error' });
    assert.ok(shot.ok, shot.error);
  });
});
