// The language server restarts itself after a crash and says so once in the output channel.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { authlintDiagnostics, extensionApi, readLog, serverProcess, sleep, workspaceRoot } from '../support/host';

const RESTART_MESSAGE = 'AuthLint: the language server stopped unexpectedly and was restarted.';
const count = (log: string): number => log.split(RESTART_MESSAGE).length - 1;

async function until<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('the language server after a crash', () => {
  it('is restarted, says so once in the AuthLint output, and lints again', async function () {
    this.timeout(90000);
    const api = await extensionApi();
    const before = count(await readLog(api));
    const first = serverProcess();
    assert.ok(first, 'the server process is running');
    process.kill(first.pid, 'SIGKILL');
    const second = await until(() => { const p = serverProcess(); return p && p.pid !== first.pid ? p : undefined; }, 'a new server process');
    assert.notStrictEqual(second.pid, first.pid);
    await until(async () => count(await readLog(api)) > before, 'the restart message in AuthLint.log');
    // Lints again: a new file with a finding.
    const file = path.join(workspaceRoot().fsPath, 'after-restart.js');
    fs.writeFileSync(file, "const app = require('express')();\napp.get('/x', (req, res) => res.status(401).send('no'));\n");
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await until(() => authlintDiagnostics(doc.uri).length === 1 || undefined, 'diagnostics from the restarted server');
    await sleep(2000);
    assert.strictEqual(count(await readLog(api)) - before, 1, 'one line for one crash');
    assert.strictEqual(api.lsp.restarts(), 1);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(file);
  });
});
