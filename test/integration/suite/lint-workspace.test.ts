import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { note } from '../support/notes';
import { authlintDiagnostics, sleep, waitForDiagnostics, wsUri } from '../support/host';
import { diffWithAnnotations } from '../support/expect';

/** Resolves once `ok()` holds, checked now and whenever diagnostics change. */
function waitUntil(ok: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ok()) return resolve();
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      if (!ok()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

interface Summary { files: number; findings: number; cancelled: boolean }

describe('AuthLint: Lint Workspace (the language server lints every file)', () => {
  before(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('fills Problems for files that are not open, skipping .gitignore, authlint.config.json ignores and node_modules', async () => {
    const app = wsUri('src/routes/admin.ts'); // no other test opens it
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === app.toString()), 'admin.ts is not open');
    const s = await vscode.commands.executeCommand<Summary>('authlint.lintWorkspace');
    assert.strictEqual(s.cancelled, false);
    const diags = await waitForDiagnostics(app, (d) => d.length > 0, 'workspace findings');
    const withFindings = ['src/express-app.js', 'src/multi.js', 'src/routes/admin.ts'];
    await waitUntil(() => withFindings.every((f) => authlintDiagnostics(wsUri(f)).length > 0), 'findings for every file under src/');
    // The CLI's walk: src/ (4 files) and excluded/old.js (files.exclude only hides files in the
    // editor); generated/ is .gitignored, legacy/ ignored by authlint.config.json.
    assert.strictEqual(s.files, 5, 'files linted');
    const total = [...withFindings, 'excluded/old.js'].reduce((n, f) => n + authlintDiagnostics(wsUri(f)).length, 0);
    assert.strictEqual(s.findings, total);
    // Ranges of a file that is not open come from the server: compare with the annotations.
    const doc = await vscode.workspace.openTextDocument(app);
    assert.strictEqual(diffWithAnnotations(doc, diags), '');
    for (const skipped of ['generated/bundle.js', 'legacy/old.js', 'node_modules/fake-auth/index.js']) {
      assert.strictEqual(authlintDiagnostics(wsUri(skipped)).length, 0, skipped);
    }
    assert.strictEqual(authlintDiagnostics(wsUri('src/clean.ts')).length, 0);
  });

  it("a file's problems stay in Problems after its tab is closed", async () => {
    const app = wsUri('src/routes/admin.ts');
    const before = authlintDiagnostics(app).length;
    assert.ok(before > 0, 'admin.ts has findings from Lint Workspace');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(app));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => (t.input as { uri?: vscode.Uri })?.uri?.toString() === app.toString())), 'the tab is closed');
    await sleep(1500); // the server would have cleared them by now
    assert.strictEqual(authlintDiagnostics(app).length, before, 'still listed');
  });

  it("a deleted file's problems go", async () => {
    const gone = wsUri('src/gone.js');
    fs.copyFileSync(wsUri('src/express-app.js').fsPath, gone.fsPath);
    // The server learns of the new file from the file watcher, shortly after it was written.
    for (let i = 0; authlintDiagnostics(gone).length === 0; i++) {
      if (i === 40) assert.fail('Lint Workspace never listed the new file');
      await vscode.commands.executeCommand<Summary>('authlint.lintWorkspace');
      if (authlintDiagnostics(gone).length === 0) await sleep(250);
    }
    fs.rmSync(gone.fsPath);
    await waitForDiagnostics(gone, (d) => d.length === 0, 'the deleted file\'s problems to go');
    note('Lint Workspace: closed files keep their problems; a deleted file loses them');
  });
});
