import * as assert from 'assert';
import * as fs from 'fs';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import type { Report } from '../../../src/http/types';
import { EXTENSION_ID, setSetting, wsUri } from '../support/host';
import { canScreenshot, screenshot } from '../support/shots';
import { startAuthServer, type TestServer } from '../support/auth-server';

interface RunResult { report: Report }
interface Api { responsePanel: { lastHtml: string; visible: boolean }; logUri: vscode.Uri }

const codes = (r: RunResult | undefined): string[] => r?.report.diagnosis.map((d) => d.code) ?? [];

describe('the request runner (.http files)', () => {
  let server: TestServer;
  let base: string;
  before(async () => {
    // Opening a .http file activates the extension (onLanguage:http), but a provider query may
    // come first when this file runs alone.
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    server = await startAuthServer();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await setSetting('authlint.codeLens.enabled', undefined);
    await setSetting('authlint.request.timeout', undefined);
    await server.stop();
  });

  it('puts a "Send & Explain" CodeLens over each request, and none when turned off', async () => {
    const uri = wsUri('requests.http');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.languageId, 'http');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ours = lenses.filter((l) => l.command?.command === 'authlint.sendRequest');
    const requestLines = doc.getText().split('\n').flatMap((t, i) => (/^(GET|POST) /.test(t) ? [i] : []));
    assert.deepStrictEqual(ours.map((l) => l.range.start.line), requestLines);
    assert.ok(ours.every((l) => l.command?.title === 'Send & Explain'));
    await setSetting('authlint.codeLens.enabled', false);
    const off = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.strictEqual(off.filter((l) => l.command?.command === 'authlint.sendRequest').length, 0);
    await setSetting('authlint.codeLens.enabled', undefined);
  });

  it('Send & Explain from the CodeLens sends to a real server and shows the report', async () => {
    const file = wsUri('send.http');
    fs.writeFileSync(file.fsPath, `### no credentials\nGET ${base}/me\n\n### expired token\nGET ${base}/me\nAuthorization: Bearer exp1red-t0ken\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const [first, second] = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
    const r1 = await vscode.commands.executeCommand<RunResult>(first!.command!.command, ...(first!.command!.arguments ?? []));
    assert.strictEqual(r1?.report.response?.status, 401);
    assert.ok(codes(r1).includes('no-credentials'), codes(r1).join(', '));
    const r2 = await vscode.commands.executeCommand<RunResult>(second!.command!.command, ...(second!.command!.arguments ?? []));
    assert.ok(codes(r2).includes('invalid-token'), codes(r2).join(', '));
    assert.ok(server.seen.includes('Bearer exp1red-t0ken'), 'the server received the token');
    const api = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
    assert.ok(api.responsePanel.visible, 'the response view is shown');
    const html = api.responsePanel.lastHtml;
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.ok(html.indexOf('invalid-token') < html.indexOf('Response headers'), 'the diagnosis comes first');
    assert.ok(!html.includes('exp1red-t0ken'), 'the Authorization value is redacted');
    assert.ok(!/<script/i.test(html));
    if (canScreenshot()) {
      // Info toasts only time out while the window has focus, which a headless one never has.
      await vscode.commands.executeCommand('notifications.clearAll');
      const shot = await screenshot({ name: 'response-view', frameText: 'invalid-token', noToasts: true });
      assert.ok(shot.ok, shot.error);
    }
  });

  it('Send Request at the cursor, Send Ad-hoc Request and the timeout setting', async () => {
    const doc = await vscode.workspace.openTextDocument(wsUri('send.http'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(5, 0, 5, 0); // inside the second request
    const atCursor = await vscode.commands.executeCommand<RunResult>('authlint.sendRequest');
    assert.ok(codes(atCursor).includes('invalid-token'), codes(atCursor).join(', '));
    const adHoc = await vscode.commands.executeCommand<RunResult>('authlint.sendAdHocRequest', {
      method: 'GET', url: `${base}/admin`, headers: ['Authorization: Bearer reader'],
    });
    assert.strictEqual(adHoc?.report.response?.status, 403);
    assert.ok(codes(adHoc).includes('insufficient-scope'), codes(adHoc).join(', '));
    await setSetting('authlint.request.timeout', 300);
    const slow = await vscode.commands.executeCommand<RunResult>('authlint.sendAdHocRequest', { method: 'GET', url: `${base}/hang` });
    assert.strictEqual(slow?.report.response, null);
    assert.strictEqual(slow?.report.error?.code, 'timeout');
    await setSetting('authlint.request.timeout', undefined);
  });

  it('resolves {{variables}} from authlint.environments and the selected authlint.environment', async () => {
    const file = wsUri('env.http');
    fs.writeFileSync(file.fsPath, 'GET {{host}}/me\nAuthorization: Bearer {{token}}\n');
    await setSetting('authlint.environments', { $shared: { host: base }, dev: { token: 'exp1red-t0ken' } });
    await setSetting('authlint.environment', 'dev');
    try {
      const r = await vscode.commands.executeCommand<RunResult>('authlint.sendRequest', file, 0);
      assert.strictEqual(r?.report.request.url, `${base}/me`);
      assert.ok(codes(r).includes('invalid-token'), codes(r).join(', '));
    } finally {
      await setSetting('authlint.environments', undefined);
      await setSetting('authlint.environment', undefined);
    }
  });

  it('sends the # @name request a request depends on first, and hides values from private env files', async () => {
    fs.writeFileSync(wsUri('http-client.private.env.json').fsPath, JSON.stringify({ dev: { apiKey: 's3cr3t-k3y-value' } }));
    const file = wsUri('chain.http');
    fs.writeFileSync(file.fsPath, [
      `# @name login`, `POST ${base}/login`, '', '###',
      `GET ${base}/me`, 'Authorization: Bearer {{login.response.body.$.token}}', 'X-Api-Key: {{apiKey}}', '',
    ].join('\n'));
    await setSetting('authlint.environment', 'dev');
    try {
      const before = server.paths.length;
      const r = await vscode.commands.executeCommand<RunResult>('authlint.sendRequest', file, 4);
      assert.deepStrictEqual(server.paths.slice(before), ['POST /login', 'GET /me']);
      assert.ok(codes(r).includes('invalid-token'), codes(r).join(', '));
      assert.strictEqual(server.apiKeys.at(-1), 's3cr3t-k3y-value');
      const html = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports.responsePanel.lastHtml;
      assert.ok(!html.includes('s3cr3t-k3y-value'), 'the private value is hidden in the view');
      assert.match(html, /X-Api-Key:/);
    } finally {
      await setSetting('authlint.environment', undefined);
    }
  });

  it('a request can be cancelled from its progress notification', async function () {
    if (!canScreenshot()) this.skip(); // the Cancel button is clicked by the runner
    await vscode.commands.executeCommand('notifications.clearAll');
    const sending = vscode.commands.executeCommand<RunResult | undefined>('authlint.sendAdHocRequest', { method: 'GET', url: `${base}/hang` });
    const shot = await screenshot({ name: 'cancel-request', text: `Sending GET ${base}/hang`, click: 'Cancel' });
    assert.ok(shot.ok, shot.error);
    assert.strictEqual(await sending, undefined, 'a cancelled send returns no result');
  });

  it('the AuthLint output channel logs what was sent and the answer, never the credentials', async () => {
    const api = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
    const file = vscode.Uri.joinPath(api.logUri, 'AuthLint.log');
    const log = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    assert.match(log, /activated in [\d.]+ ms/);
    assert.match(log, /sending send\.http:2\n/);
    assert.match(log, new RegExp(`GET ${base.replace(/\./g, '\\.')}/me → 401 in \\d+ ms; no-credentials`));
    assert.match(log, /→ 401 in \d+ ms; .*invalid-token/);
    assert.ok(!log.includes('exp1red-t0ken'), 'no credential in the log');
  });

  it('AuthLint: Explain Raw Response explains a pasted curl -si capture', async () => {
    const capture = 'HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n';
    const r = await vscode.commands.executeCommand<RunResult>('authlint.explainRawResponse', capture);
    assert.strictEqual(r?.report.response?.status, 407);
    assert.ok(codes(r).includes('challenge-missing'), codes(r).join(', '));
  });

  it('a request that cannot be built is not sent, and the error names the line', async () => {
    const file = wsUri('broken.http');
    fs.writeFileSync(file.fsPath, `GET ${base}/me\nAuthorization: Bearer {{missingToken}}\n`);
    const before = server.requests;
    const r = await vscode.commands.executeCommand('authlint.sendRequest', file, 0);
    assert.strictEqual(r, undefined);
    assert.strictEqual(server.requests, before, 'nothing was sent');
    const api = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
    const log = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(api.logUri, 'AuthLint.log'))).toString('utf8');
    assert.match(log, /Sending broken\.http:1: line 2: .*missingToken/);
    if (canScreenshot()) {
      // A toast may be hidden behind others; the notification center lists every message.
      // (Last in this file: after the center was shown, this workbench showed no new toasts.)
      await vscode.commands.executeCommand('notifications.showList');
      const shot = await screenshot({ name: 'send-error', text: 'missingToken' });
      await vscode.commands.executeCommand('notifications.hideList');
      assert.ok(shot.ok, shot.error);
    }
  });
});
