// The language server's behaviour through a real JSON-RPC client (`authlint lsp --stdio`) on a
// copy of the parity fixture workspace: code actions and fix-all against the CLI's fixes, edits
// of open buffers, facts of another file changing (in a buffer and on disk), bad input, and the
// configuration (authlint.config.json and the client's settings).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, cliFindings, cliPreferredFix, cliPath, copyFixture, fromCli, fromLsp, LspClient, uriOf } from './lsp-client';

const rules = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'authlint' && d.code !== 'parse-error' && d.code !== 'skipped').map((d) => `${d.code}@${d.range.start.line + 1}`);

describe('language server (JSON-RPC client)', function () {
  this.timeout(120000);
  let dir: string;
  let client: LspClient;

  before(async function () {
    if (!fs.existsSync(cliPath)) this.skip();
    dir = copyFixture('lsp-workspace');
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers the rule fixes (preferred first), disable comments and the rule page; the preferred fix is the CLI fix', async () => {
    const file = path.join(dir, 'billing/src/session.ts');
    const uri = client.open(file);
    const diagnostics = await client.current(uri);
    assert.deepEqual(rules(diagnostics), ['missing-www-authenticate@6', 'missing-www-authenticate@11']);
    const actions = await client.codeActions(uri, [diagnostics[0]!]);
    assert.equal(actions[0]!.isPreferred, true);
    assert.equal(actions[0]!.kind, 'quickfix');
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Disable missing-www-authenticate for this line'), titles.join(', '));
    assert.ok(titles.includes('Disable missing-www-authenticate for this file'), titles.join(', '));
    const page = actions.find((a) => a.command?.command === 'authlint.openRulePage');
    assert.match(String(page?.command?.arguments?.[0]), /docs\/rules\/missing-www-authenticate\.md$/);

    const fixed = applyWorkspaceEdit(client.text(uri), uri, actions[0]!.edit!);
    assert.equal(fixed, cliPreferredFix(dir, 'billing/src/session.ts', 'missing-www-authenticate', 6, fs.readFileSync(file, 'utf8')));
    client.change(uri, fixed);
    assert.deepEqual(rules(await client.current(uri)), ['missing-www-authenticate@11']);

    // disable for this line: the finding goes, the file is not saved by the server
    const [d] = await client.current(uri);
    const disable = (await client.codeActions(uri, [d!])).find((a) => a.title === 'Disable missing-www-authenticate for this line')!;
    const disabled = applyWorkspaceEdit(client.text(uri), uri, disable.edit!);
    assert.match(disabled.split('\n')[10]!, /^\s+\/\/ authlint-disable-next-line missing-www-authenticate$/);
    client.change(uri, disabled);
    assert.deepEqual(rules(await client.current(uri)), []);
    assert.equal(fs.readFileSync(file, 'utf8').includes('authlint-disable'), false);
    client.close(uri);
  });

  it('source.fixAll.authlint gives the text `authlint lint --fix` writes', async () => {
    const file = path.join(dir, 'billing/src/session.ts');
    const uri = client.open(file);
    await client.current(uri);
    const actions = await client.codeActions(uri, [], ['source.fixAll.authlint']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.authlint');
    const fixed = applyWorkspaceEdit(client.text(uri), uri, actions[0]!.edit!);
    // the CLI on another copy
    const other = copyFixture('lsp-workspace');
    try {
      spawnSync(process.execPath, [cliPath, 'lint', 'billing/src/session.ts', '--fix'], { cwd: other, encoding: 'utf8' });
      assert.equal(fixed, fs.readFileSync(path.join(other, 'billing/src/session.ts'), 'utf8'));
      assert.notEqual(fixed, client.text(uri));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    client.close(uri);
  });

  it('a buffer that stops parsing keeps its last good diagnostics plus one parse error', async () => {
    const uri = client.open(path.join(dir, 'billing/src/routes.ts'));
    const good = rules(await client.current(uri));
    assert.equal(good.length, 3);
    client.change(uri, client.text(uri).replace("router.get('/cards'", "router.get('/cards' {{"));
    const broken = await client.current(uri);
    assert.deepEqual(rules(broken), good);
    const parse = broken.filter((d) => d.code === 'parse-error');
    assert.equal(parse.length, 1);
    // where the CLI says: 12:21: ',' expected.
    assert.deepEqual(parse[0]!.range.start, { line: 11, character: 20 });
    assert.match(parse[0]!.message, /12:21: ',' expected/);
    // and recovers
    client.change(uri, fs.readFileSync(path.join(dir, 'billing/src/routes.ts'), 'utf8').replace("res.status(403).json({ error: 'no token' })", "res.status(404).json({ error: 'not found' })"));
    assert.deepEqual(rules(await client.current(uri)), ['missing-www-authenticate@8', 'missing-www-authenticate@13']);
    client.close(uri);
  });

  it("an edit to another file's buffer (the error handler) re-publishes the open files of that package only", async () => {
    const routes = client.open(path.join(dir, 'api/src/routes.ts'));
    const billing = client.open(path.join(dir, 'billing/src/routes.ts'));
    assert.deepEqual(rules(await client.current(routes)), []);
    await client.current(billing);
    const app = client.open(path.join(dir, 'api/src/app.ts'));
    await client.current(app);
    const mark = client.published.length;
    client.change(app, client.text(app).replace("  if (status === 401) res.set('WWW-Authenticate', 'Bearer realm=\"api\"');\n", ''));
    const p = await client.waitFor(routes, (x) => x.diagnostics.length > 0, 60000, mark);
    assert.deepEqual(rules(p.diagnostics), ['missing-www-authenticate@9']);
    await client.current(app);
    assert.equal(client.published.slice(mark).some((x) => x.uri === billing), false, 'billing/ is another package');
    // undo: the finding goes again
    const mark2 = client.published.length;
    client.change(app, fs.readFileSync(path.join(dir, 'api/src/app.ts'), 'utf8'));
    assert.deepEqual(rules((await client.waitFor(routes, (x) => x.diagnostics.length === 0, 60000, mark2)).diagnostics), []);
    for (const u of [routes, billing, app]) client.close(u);
  });

  it('files changed, created and deleted on disk (watched files) update the index', async () => {
    const routesFile = path.join(dir, 'billing/src/routes.ts');
    const routes = client.open(routesFile);
    assert.deepEqual(rules(await client.current(routes)), ['missing-www-authenticate@8', 'missing-www-authenticate@13', '403-for-missing-credentials@18']);
    // the helper on disk now sets the challenge
    const respond = path.join(dir, 'billing/src/respond.ts');
    const before = fs.readFileSync(respond, 'utf8');
    fs.writeFileSync(respond, before.replace('  return res.status(status)', "  res.set('WWW-Authenticate', 'Bearer realm=\"billing\"');\n  return res.status(status)"));
    let mark = client.published.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(respond), type: 2 }] });
    // (a lint queued before the event may still publish the previous state first)
    const want1 = ['missing-www-authenticate@8', '403-for-missing-credentials@18'];
    assert.deepEqual(rules((await client.waitFor(routes, (p) => rules(p.diagnostics).join() === want1.join(), 60000, mark)).diagnostics), want1);
    // a new file with an error handler that sets the challenge
    const handler = path.join(dir, 'billing/src/handler.ts');
    fs.writeFileSync(handler, "import { app } from './app';\napp.use((err: any, _req: any, res: any, _next: any) => {\n  if (err.status === 401) res.set('WWW-Authenticate', 'Bearer');\n  res.status(err.status).end();\n});\n");
    mark = client.published.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(handler), type: 1 }] });
    assert.deepEqual(rules((await client.waitFor(routes, (p) => rules(p.diagnostics).length === 1, 60000, mark)).diagnostics), ['403-for-missing-credentials@18']);
    // deleted again: back
    fs.rmSync(handler);
    fs.writeFileSync(respond, before);
    mark = client.published.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(handler), type: 3 }, { uri: uriOf(respond), type: 2 }] });
    await client.waitFor(routes, (p) => rules(p.diagnostics).length === 3, 60000, mark);
    // the CLI agrees on the folder as it is now
    assert.deepEqual(fromLsp(client.latest(routes)!.diagnostics), fromCli(cliFindings(dir), dir, routesFile));
    client.close(routes);
  });

  it('authlint.config.json: rule levels and ignores, re-read when it changes', async () => {
    const routes = client.open(path.join(dir, 'billing/src/routes.ts'));
    await client.current(routes);
    const session = client.open(path.join(dir, 'billing/src/session.ts'));
    assert.equal(rules(await client.current(session)).length, 2);
    const config = path.join(dir, 'billing/authlint.config.json');
    fs.writeFileSync(config, JSON.stringify({ rules: { '403-for-missing-credentials': 'off' }, ignores: ['src/session.ts'] }));
    const mark = client.published.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 1 }] });
    assert.deepEqual(rules((await client.waitFor(routes, (p) => rules(p.diagnostics).length === 2, 60000, mark)).diagnostics), ['missing-www-authenticate@8', 'missing-www-authenticate@13']);
    assert.deepEqual((await client.waitFor(session, (p) => p.diagnostics.length === 0, 60000, mark)).diagnostics, []);
    fs.rmSync(config);
    const mark2 = client.published.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 3 }] });
    assert.equal(rules((await client.waitFor(routes, (p) => rules(p.diagnostics).length === 3, 60000, mark2)).diagnostics).length, 3);
    client.close(routes);
    client.close(session);
  });

  it('a huge file is skipped with a message and a deeply nested one reports a parse error, without holding up other files', async () => {
    const huge = path.join(dir, 'billing/src/huge.js');
    fs.writeFileSync(huge, `// 401\n${'x'.repeat(2_100_000)}\n`);
    const deep = path.join(dir, 'billing/src/deep.js');
    fs.writeFileSync(deep, `const x = ${'('.repeat(50_000)}401${')'.repeat(50_000)};\nres.status(401).end();\n`);
    const hugeUri = client.open(huge);
    const deepUri = client.open(deep);
    const sessionUri = client.open(path.join(dir, 'billing/src/session.ts'));
    const h = await client.current(hugeUri);
    assert.equal(h.length, 1);
    assert.equal(h[0]!.code, 'skipped');
    assert.match(h[0]!.message, /over the 2000000 limit/);
    const d = await client.current(deepUri);
    assert.equal(d.filter((x) => x.code === 'parse-error').length, 1);
    assert.equal(rules(await client.current(sessionUri)).length, 2);
    for (const u of [hugeUri, deepUri, sessionUri]) client.close(u);
    fs.rmSync(huge);
    fs.rmSync(deep);
  });
});

describe('language server: client settings', function () {
  this.timeout(120000);
  it('the authlint section from workspace/configuration overrides rule levels and the challenge of fixes', async function () {
    if (!fs.existsSync(cliPath)) this.skip();
    const dir = copyFixture('lsp-workspace');
    const client = await LspClient.start(dir, { settings: { rules: { 'missing-www-authenticate': 'info', '403-for-missing-credentials': 'warning' }, defaultChallenge: 'Basic realm="x"', lint: { debounceMs: 0 } } });
    try {
      const uri = client.open(path.join(dir, 'billing/src/session.ts'));
      const ds = await client.current(uri);
      assert.deepEqual(ds.map((x) => x.severity), [3, 3]);
      const actions = await client.codeActions(uri, [ds[0]!]);
      assert.match(applyWorkspaceEdit(client.text(uri), uri, actions[0]!.edit!), /WWW-Authenticate', 'Basic realm="x"'/);
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
