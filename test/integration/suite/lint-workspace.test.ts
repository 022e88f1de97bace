import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { canScreenshot, screenshot } from '../support/shots';
import { note } from '../support/notes';
import { authlintDiagnostics, waitForDiagnostics, wsUri } from '../support/host';
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
    for (const skipped of ['generated/bundle.js', 'excluded/old.js', 'legacy/old.js', 'node_modules/fake-auth/index.js']) {
      assert.strictEqual(authlintDiagnostics(wsUri(skipped)).length, 0, skipped);
    }
    assert.strictEqual(authlintDiagnostics(wsUri('src/clean.ts')).length, 0);
  });

  it('can be cancelled from its progress notification', async function () {
    if (!canScreenshot()) this.skip(); // the Cancel button is clicked by the runner
    // Enough files that linting them all takes far longer than showing the notification.
    const bulk = wsUri('bulk');
    fs.mkdirSync(bulk.fsPath, { recursive: true });
    const text = fs.readFileSync(wsUri('src/multi.js').fsPath, 'utf8');
    for (let i = 0; i < 1500; i++) fs.writeFileSync(`${bulk.fsPath}/app-${i}.js`, text);
    try {
      await vscode.commands.executeCommand('notifications.clearAll');
      const running = vscode.commands.executeCommand<Summary>('authlint.lintWorkspace');
      const shot = await screenshot({ name: 'lint-workspace-progress', text: 'bulk/app-', click: 'Cancel' });
      assert.ok(shot.ok, shot.error);
      const s = await running;
      assert.strictEqual(s.cancelled, true);
      assert.ok(s.files < 1504, `stopped early: ${s.files} files linted`);
      note(`Lint Workspace: cancelled after ${s.files} of 1504 files`);
    } finally {
      fs.rmSync(bulk.fsPath, { recursive: true, force: true });
    }
    await waitUntil(() => !vscode.languages.getDiagnostics().some(([uri, d]) => uri.path.includes('/bulk/') && d.length > 0),
      'the problems of deleted files to go');
  });
});
