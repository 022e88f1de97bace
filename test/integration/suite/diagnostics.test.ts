import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { RULE_META } from '../../../src/analysis/rule-meta';
import { EXTENSION_ID, codeOf, extensionApi, setSetting, waitForDiagnostics, wsUri } from '../support/host';
import { diffWithAnnotations, expectedFindings } from '../support/expect';
import { note } from '../support/notes';

describe('live diagnostics', () => {
  afterEach(async () => {
    await setSetting('authlint.rules', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lints a server file on open: the annotated findings, source, severity and rule link', async () => {
    const uri = wsUri('src/express-app.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const expected = expectedFindings(doc);
    assert.ok(expected.length > 0, 'the fixture has annotations');
    const diags = await waitForDiagnostics(uri, (d) => d.length >= expected.length, 'the annotated findings');
    assert.strictEqual(diffWithAnnotations(doc, diags), '');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    for (const d of diags) {
      const id = codeOf(d) as keyof typeof RULE_META;
      assert.strictEqual(d.source, 'authlint');
      assert.strictEqual(d.severity, RULE_META[id].severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      const target = (d.code as { target: vscode.Uri }).target;
      assert.strictEqual(target.toString(), vscode.Uri.joinPath(ext.extensionUri, RULE_META[id].docsPath).toString());
    }
  });

  it('lints again while typing; closing without saving shows the file as it is on disk', async () => {
    const file = wsUri('typing/app.js');
    fs.mkdirSync(path.dirname(file.fsPath), { recursive: true });
    fs.writeFileSync(file.fsPath, "const app = require('express')();\napp.get('/x', (req, res) => {\n  res.json({ ok: true });\n});\n");
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc);
      await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'a clean start');
      const { timing } = (await extensionApi()).lsp;
      const before = { ...timing };
      await editor.edit((e) => e.insert(new vscode.Position(2, 0), "  if (!req.headers.authorization) return res.status(401).send('login');\n"));
      const diags = await waitForDiagnostics(doc.uri, (d) => d.length === 1, 'a finding after typing');
      const changes = timing.changes - before.changes;
      const publishes = timing.publishes - before.publishes;
      assert.ok(changes >= 1 && publishes >= 1, 'the edit went to the server and its answer came back through the client');
      note(`extension host time in AuthLint's client hooks for one edit: ${(timing.changeMs - before.changeMs).toFixed(3)} ms forwarding ${changes} change(s), `
        + `${(timing.publishMs - before.publishMs).toFixed(3)} ms handing ${publishes} publish(es) to VS Code`);
      assert.strictEqual(codeOf(diags[0]!), 'missing-www-authenticate');
      assert.strictEqual(diags[0]!.range.start.line, 2);
      const reverted = waitForDiagnostics(doc.uri, (d) => d.length === 0, 'the file on disk (clean) after closing unsaved');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await reverted;
    } finally {
      // the file first: the server hears of a deleted source file, not of a deleted folder
      fs.rmSync(file.fsPath, { force: true });
      await new Promise((r) => setTimeout(r, 500));
      fs.rmSync(path.dirname(file.fsPath), { recursive: true, force: true });
    }
  });

  it('follows authlint.rules: info, off, then the default again', async () => {
    const uri = wsUri('src/express-app.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, (d) => d.length > 0, 'findings');
    await setSetting('authlint.rules', { 'missing-www-authenticate': 'info' });
    await waitForDiagnostics(uri, (d) => d.length > 0 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Information), 'info severity');
    await setSetting('authlint.rules', { 'missing-www-authenticate': 'off' });
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the rule turned off');
    await setSetting('authlint.rules', undefined);
    await waitForDiagnostics(uri, (d) => d.length > 0 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Error), 'the default severity back');
  });

  it('skips files longer than authlint.lint.maxFileSize', async () => {
    const uri = wsUri('src/express-app.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, (d) => d.length > 0, 'findings');
    await setSetting('authlint.lint.maxFileSize', 100);
    try {
      // no findings, one information diagnostic saying why
      const skipped = await waitForDiagnostics(uri, (d) => d.length === 1 && codeOf(d[0]!) === 'skipped', 'only the "skipped" note for a file over the limit');
      assert.strictEqual(skipped[0]!.severity, vscode.DiagnosticSeverity.Information);
      assert.match(skipped[0]!.message, /maxFileSize|limit|long/i);
    } finally {
      await setSetting('authlint.lint.maxFileSize', undefined);
    }
    await waitForDiagnostics(uri, (d) => d.length > 0, 'findings again');
  });
});
