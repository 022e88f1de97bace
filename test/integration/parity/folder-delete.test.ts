// A folder deleted on disk (not its files one by one: VS Code's watcher reports the folder) drops
// its files from the server's index: their problems go, and the open files of the package that
// used what the folder held are linted again without it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { authlintDiagnostics, codeOf, extensionApi, waitForDiagnostics, workspaceRoot } from '../support/host';

describe('a folder deleted on disk', () => {
  const ws = workspaceRoot().fsPath;
  const folder = path.join(ws, 'billing', 'src', 'auth');
  const user = path.join(ws, 'billing', 'src', 'refunds.ts');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(user, { force: true });
  });

  it("clears its files' problems and lints the open files of its package again", async function () {
    this.timeout(120000);
    await extensionApi();
    fs.mkdirSync(folder, { recursive: true });
    // an error class another file throws, and a closed file with a finding of its own
    fs.writeFileSync(path.join(folder, 'denied.ts'), "export class DeniedError extends Error {\n  status = 401;\n  constructor(message = 'sign in first') {\n    super(message);\n  }\n}\n");
    fs.writeFileSync(path.join(folder, 'guard.ts'), "import type { Request, Response } from 'express';\n\nexport function guard(req: Request, res: Response) {\n  if (!req.headers.authorization) return res.status(401).json({ error: 'sign in' });\n}\n");
    fs.writeFileSync(user, "import { Router } from 'express';\nimport { DeniedError } from './auth/denied';\n\nexport const refunds = Router();\n\nrefunds.post('/refunds', (req, res) => {\n  if (!req.headers.authorization) throw new DeniedError();\n  res.status(201).end();\n});\n");
    const guardUri = vscode.Uri.file(path.join(folder, 'guard.ts'));
    const userUri = vscode.Uri.file(user);

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(userUri), { preview: false });
    const thrown = await waitForDiagnostics(userUri, (d) => d.length === 1, 'the finding on the thrown error class', 60000);
    assert.strictEqual(codeOf(thrown[0]!), 'missing-www-authenticate');
    assert.strictEqual(thrown[0]!.range.start.line, 6);
    // the closed file's finding in the Problems panel
    await vscode.commands.executeCommand('authlint.lintWorkspace');
    await waitForDiagnostics(guardUri, (d) => d.length === 1 && codeOf(d[0]!) === 'missing-www-authenticate', "the closed file's finding", 60000);

    fs.rmSync(folder, { recursive: true });
    await waitForDiagnostics(guardUri, (d) => d.length === 0, "the deleted file's problems cleared", 60000);
    // the class is gone: the open file is linted again, and `throw new DeniedError()` is no status
    await waitForDiagnostics(userUri, (d) => d.length === 0, 'the open file linted again without the deleted class', 60000);
    assert.deepStrictEqual(authlintDiagnostics(guardUri), []);
  });
});
