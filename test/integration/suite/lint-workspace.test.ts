import * as assert from 'assert';
import * as vscode from 'vscode';
import { authlintDiagnostics, waitForDiagnostics, wsUri } from '../support/host';
import { diffWithAnnotations } from '../support/expect';

interface Summary { files: number; findings: number; filesWithFindings: number; cancelled: boolean }

describe('AuthLint: Lint Workspace', () => {
  before(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('fills Problems for files that are not open, skipping .gitignore, files.exclude and node_modules', async () => {
    const app = wsUri('src/routes/admin.ts'); // no other test opens it
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === app.toString()), 'admin.ts is not open');
    const s = await vscode.commands.executeCommand<Summary>('authlint.lintWorkspace');
    assert.deepStrictEqual({ files: s.files, cancelled: s.cancelled }, { files: 4, cancelled: false }, 'the four files under src/');
    const diags = await waitForDiagnostics(app, (d) => d.length > 0, 'workspace findings');
    const total = ['src/express-app.js', 'src/multi.js', 'src/routes/admin.ts'].reduce((n, f) => n + authlintDiagnostics(wsUri(f)).length, 0);
    assert.strictEqual(s.findings, total);
    assert.strictEqual(s.filesWithFindings, 3);
    // Ranges of a file that is not open come from the offset mapper: compare with the annotations.
    const doc = await vscode.workspace.openTextDocument(app);
    assert.strictEqual(diffWithAnnotations(doc, diags), '');
    for (const skipped of ['generated/bundle.js', 'excluded/old.js', 'node_modules/fake-auth/index.js']) {
      assert.strictEqual(authlintDiagnostics(wsUri(skipped)).length, 0, skipped);
    }
    assert.strictEqual(authlintDiagnostics(wsUri('src/clean.ts')).length, 0);
  });
});
