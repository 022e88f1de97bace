import * as assert from 'assert';
import * as fs from 'fs';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitForDiagnostics, wsUri } from '../support/host';
import { startAuthServer, type TestServer } from '../support/auth-server';
import { canScreenshot, screenshot } from '../support/shots';

describe('in Restricted Mode (untrusted workspace)', () => {
  let server: TestServer;
  before(async () => {
    server = await startAuthServer();
  });
  after(() => server.stop());

  it('the folder is not trusted and AuthLint still lints', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const uri = wsUri('src/express-app.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diags = await waitForDiagnostics(uri, (d) => d.length > 0, 'findings in Restricted Mode');
    assert.ok(diags.every((d) => d.source === 'authlint'));
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
  });

  it('sending a request is refused without contacting the server; explaining pasted text works', async () => {
    const file = wsUri('send.http');
    fs.writeFileSync(file.fsPath, `GET http://127.0.0.1:${(server.address() as AddressInfo).port}/me\n`);
    const r = await vscode.commands.executeCommand('authlint.sendRequest', file, 0);
    assert.strictEqual(r, undefined);
    const adHoc = await vscode.commands.executeCommand('authlint.sendAdHocRequest', { method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/me` });
    assert.strictEqual(adHoc, undefined);
    assert.strictEqual(server.requests, 0, 'no request reached the server');
    if (canScreenshot()) {
      const shot = await screenshot({ name: 'restricted-send', text: 'sending requests needs a trusted workspace' });
      assert.ok(shot.ok, shot.error);
    }
    const explained = await vscode.commands.executeCommand<{ report: { response: { status: number } } }>(
      'authlint.explainRawResponse', 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    assert.strictEqual(explained?.report.response.status, 401);
  });
});
