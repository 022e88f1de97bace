import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, authlintDiagnostics, codeOf, serverProcess, waitForDiagnostics, wsUri } from '../support/host';
import { repoRoot } from '../support/paths';
import { note } from '../support/notes';

interface Api { activationMs: number }

describe('the packaged .vsix, installed into code-server', () => {
  it('is the installed copy, not the repository', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const repo = repoRoot(__dirname);
    assert.ok(!ext.extensionPath.startsWith(repo + path.sep), `loaded from ${ext.extensionPath}`);
    assert.strictEqual(ext.packageJSON.version, require(path.join(repo, 'package.json')).version);
  });

  it('activates when a JavaScript file opens and lints it', async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID)!;
    assert.ok(!ext.isActive, 'not active before a server file opens');
    const t0 = performance.now();
    const uri = wsUri('src/express-app.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitForDiagnostics(uri, (d) => d.length > 0, 'AuthLint diagnostics from the .vsix');
    assert.ok(ext.isActive, 'activated by onLanguage:javascript');
    const { activationMs } = ext.exports;
    note(`packaged (production) bundle: ${activationMs.toFixed(1)} ms inside activate(), `
      + `first diagnostics from the language server ${(performance.now() - t0).toFixed(0)} ms after opening the first file`);
    assert.ok(serverProcess(), 'the installed dist/server.js runs in its own process');
    assert.ok(diags.some((d) => codeOf(d) === 'missing-www-authenticate'), diags.map(codeOf).join(', '));
    assert.deepStrictEqual(authlintDiagnostics(uri).length, diags.length);
  });

  it('ships the rule docs that diagnostics link to', async () => {
    const uri = wsUri('src/express-app.js');
    const [d] = authlintDiagnostics(uri);
    assert.ok(d && typeof d.code === 'object', 'diagnostic code carries a link');
    const target = (d.code as { target: vscode.Uri }).target;
    const stat = await vscode.workspace.fs.stat(target);
    assert.ok(stat.size > 0, `${target.toString()} exists in the installed extension`);
  });
});
