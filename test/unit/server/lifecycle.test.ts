// The language server through a real JSON-RPC client (`authlint lsp --stdio`), for a document's
// life around the index: diagnostics before the package is indexed (provisional, then the
// package's), documents that are not files (`untitled:`), folders deleted on disk, a document
// closed and opened again with the same version, and Lint Workspace cancelled half-way.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { repoRoot } from '../support/fixture-files';
import { applyWorkspaceEdit, cliFindings, cliPath, copyFixture, fromCli, fromLsp, LspClient, uriOf, type Status } from './lsp-client';

const rules = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'authlint' && d.code !== 'parse-error' && d.code !== 'skipped').map((d) => `${d.code}@${d.range.start.line + 1}`);

/** `n` small files that share nothing, in a folder the walk visits before the package's other files. */
function filler(folder: string, n: number): void {
  fs.mkdirSync(folder, { recursive: true });
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(folder, `f${String(i).padStart(4, '0')}.ts`), `export const value${i} = ${i};\n`);
}

describe('language server: a document and the index', function () {
  this.timeout(180000);
  const dirs: string[] = [];
  const clients: LspClient[] = [];
  const workspace = (): string => {
    const d = copyFixture('lsp-workspace');
    dirs.push(d);
    return d;
  };
  const start = async (dir: string, settings?: unknown): Promise<LspClient> => {
    const c = await LspClient.start(dir, settings === undefined ? {} : { settings });
    clients.push(c);
    return c;
  };

  before(function () {
    if (!fs.existsSync(cliPath)) this.skip();
  });
  after(async () => {
    for (const c of clients) await c.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a file opened before its package is indexed gets provisional diagnostics at once, then the CLI findings once the package is indexed', async () => {
    const dir = workspace();
    // 300 files the index reads before the error class and the helper billing/src/routes.ts uses
    filler(path.join(dir, 'billing/src/aaa-filler'), 300);
    const routes = path.join(dir, 'billing/src/routes.ts');
    const client = await start(dir);
    const uri = client.open(routes);
    // first: the file's own facts (the helper's 401 and the error class are not known yet)
    const first = await client.waitFor(uri, (p) => p.version === 1);
    assert.deepEqual(rules(first.diagnostics), ['403-for-missing-credentials@18']);
    // then, once the package is indexed: what `authlint lint` says on the folder
    const final = await client.current(uri);
    assert.deepEqual(rules(final), ['missing-www-authenticate@8', 'missing-www-authenticate@13', '403-for-missing-credentials@18']);
    assert.deepEqual(fromLsp(final), fromCli(cliFindings(dir), dir, routes));
    const status = await client.request<Status>('authlint/status', {});
    assert.equal(status.ready, true);
    assert.equal(status.provisional, 0);
    assert.ok(status.indexedFiles > 300, `indexed: ${status.indexedFiles}`);
    // code actions are those of the final findings
    const d13 = final.find((d) => d.range.start.line === 12)!;
    const titles = (await client.codeActions(uri, [d13])).map((a) => a.title);
    assert.ok(titles.includes('Disable missing-www-authenticate for this line'), titles.join(', '));
    client.close(uri);
  });

  it('an untitled buffer is linted alone (defaults and settings, no configuration file) and gets code actions', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-lsp-untitled-')));
    dirs.push(dir);
    const text = [
      "import express from 'express';",
      'const app = express();',
      "app.get('/me', (req: express.Request, res: express.Response) => {",
      "  if (!req.headers.authorization) return res.status(401).json({ error: 'sign in' });",
      '  res.json({ ok: true });',
      '});',
      '',
    ].join('\n');
    // the workspace's configuration turns the rule off: it applies to the file, not to the buffer
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "ws", "private": true, "dependencies": { "express": "5.0.0" } }\n');
    fs.writeFileSync(path.join(dir, 'authlint.config.json'), JSON.stringify({ rules: { 'missing-www-authenticate': 'off' } }));
    fs.writeFileSync(path.join(dir, 'app.ts'), text);
    const client = await start(dir, { defaultChallenge: 'Basic realm="untitled"' });
    const onDisk = client.open(path.join(dir, 'app.ts'));
    assert.deepEqual(rules(await client.current(onDisk)), []);

    const uri = client.openUri('untitled:Untitled-1', 'typescript', text);
    const ds = await client.current(uri);
    assert.deepEqual(rules(ds), ['missing-www-authenticate@4']);
    assert.equal(ds.some((d) => d.code === 'parse-error'), false, 'parsed as TypeScript');
    // the same findings as the CLI on that text alone, with no configuration file
    const alone = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-lsp-alone-')));
    dirs.push(alone);
    fs.writeFileSync(path.join(alone, 'untitled.ts'), text);
    assert.deepEqual(fromLsp(ds), fromCli(cliFindings(alone), alone, path.join(alone, 'untitled.ts')));

    // quick fixes for the buffer's URI, with the challenge of the settings
    const actions = await client.codeActions(uri, [ds[0]!]);
    assert.equal(actions[0]!.isPreferred, true);
    assert.deepEqual(Object.keys(actions[0]!.edit!.changes!), [uri]);
    const fixed = applyWorkspaceEdit(client.text(uri), uri, actions[0]!.edit!);
    assert.match(fixed, /WWW-Authenticate', 'Basic realm="untitled"'/);
    client.change(uri, fixed);
    assert.deepEqual(rules(await client.current(uri)), []);
    // fix-all on a JavaScript buffer
    const js = client.openUri('untitled:Untitled-2', 'javascript', text.replace(/: express\.\w+/g, ''));
    assert.deepEqual(rules(await client.current(js)), ['missing-www-authenticate@4']);
    const all = await client.codeActions(js, [], ['source.fixAll.authlint']);
    assert.equal(all.length, 1);
    assert.match(applyWorkspaceEdit(client.text(js), js, all[0]!.edit!), /WWW-Authenticate/);
    // a buffer in another language is left alone; closing clears what was published
    const md = client.openUri('untitled:Untitled-3', 'markdown', 'res.status(401).end();\n');
    const mark = client.published.length;
    client.close(uri);
    await client.waitFor(uri, (p) => p.diagnostics.length === 0, 60000, mark);
    assert.deepEqual((await client.codeActions(md, [], ['source.fixAll.authlint'])) ?? [], []);
    assert.equal(client.published.some((p) => p.uri === md), false);
    for (const u of [onDisk, js, md]) client.close(u);
  });

  it('a deleted folder: its files leave the index, closed ones lose their diagnostics, the open files of the package are linted again', async () => {
    const dir = workspace();
    const handlers = path.join(dir, 'billing/src/handlers');
    fs.mkdirSync(handlers);
    // an error handler that sets the challenge (covers the thrown AuthError of routes.ts) ...
    fs.writeFileSync(path.join(handlers, 'errors.ts'), "import { app } from '../app';\napp.use((err: any, _req: any, res: any, _next: any) => {\n  if (err.status === 401) res.set('WWW-Authenticate', 'Bearer');\n  res.status(err.status).end();\n});\n");
    // ... and a file with a finding of its own
    const legacy = path.join(handlers, 'legacy.ts');
    fs.writeFileSync(legacy, "import { Router } from 'express';\nexport const legacy = Router();\nlegacy.get('/old', (req, res) => {\n  if (!req.headers.authorization) return res.status(403).send('no');\n  res.send('ok');\n});\n");
    const routes = path.join(dir, 'billing/src/routes.ts');
    const cliBefore = cliFindings(dir);
    assert.equal(fromCli(cliBefore, dir, legacy).length, 1);

    const client = await start(dir);
    const before = await client.ready();
    await client.request('authlint/lintWorkspace', {});
    assert.deepEqual(fromLsp(client.latest(uriOf(legacy))!.diagnostics), fromCli(cliBefore, dir, legacy));
    const routesUri = client.open(routes);
    const was = await client.current(routesUri);
    assert.deepEqual(fromLsp(was), fromCli(cliBefore, dir, routes));
    assert.equal(rules(was).includes('missing-www-authenticate@8'), false, 'the handler covers the thrown error');

    fs.rmSync(handlers, { recursive: true });
    const mark = client.published.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(handlers), type: 3 }] });
    assert.deepEqual((await client.waitFor(uriOf(legacy), () => true, 60000, mark)).diagnostics, []);
    const now = await client.waitFor(routesUri, (p) => rules(p.diagnostics).includes('missing-www-authenticate@8'), 60000, mark);
    assert.deepEqual(fromLsp(now.diagnostics), fromCli(cliFindings(dir), dir, routes));
    const after = await client.ready();
    assert.equal(after.indexedFiles, before.indexedFiles - 2);
    // a second lint of the workspace does not bring them back
    const r = await client.request<{ files: number }>('authlint/lintWorkspace', {});
    assert.equal(r.files, after.indexedFiles);
    client.close(routesUri);
  });

  it('a document closed and opened again with the same version gets code actions for its new text', async () => {
    const dir = workspace();
    const file = path.join(dir, 'billing/src/session.ts');
    const client = await start(dir);
    const uri = client.open(file);
    const ds = await client.current(uri);
    assert.equal(ds.length, 2);
    const fixAll = await client.codeActions(uri, [], ['source.fixAll.authlint']);
    assert.equal(fixAll.length, 1);
    // closed, and opened again at version 1 with a text without findings; asked at once
    const clean = client.text(uri).replace(/status\(401\)/g, 'status(404)');
    client.close(uri);
    client.open(file, clean);
    const [again, quick] = await Promise.all([client.codeActions(uri, [], ['source.fixAll.authlint']), client.codeActions(uri, [ds[0]!])]);
    assert.deepEqual(again, []);
    assert.equal(quick.some((a) => a.isPreferred), false, quick.map((a) => a.title).join(', '));
    assert.deepEqual(rules(await client.current(uri)), []);
    // and back to the first text, version 1 again: its fixes, for that text
    client.close(uri);
    client.open(file);
    const back = await client.codeActions(uri, [], ['source.fixAll.authlint']);
    assert.equal(back.length, 1);
    assert.equal(applyWorkspaceEdit(client.text(uri), uri, back[0]!.edit!), applyWorkspaceEdit(fs.readFileSync(file, 'utf8'), uri, fixAll[0]!.edit!));
    client.close(uri);
  });
});

describe('language server: Lint Workspace cancelled', function () {
  this.timeout(180000);
  it('stops between files on $/cancelRequest, keeps what it published and says it was cancelled', async function () {
    if (!fs.existsSync(cliPath)) this.skip();
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-lsp-cancel-')));
    // a workspace of 400 copies of a file with two findings
    const session = fs.readFileSync(path.join(repoRoot(), 'test/fixtures/lsp-workspace/billing/src/session.ts'), 'utf8');
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "many", "private": true, "dependencies": { "express": "5.0.0" } }\n');
    fs.mkdirSync(path.join(dir, 'src'));
    const n = 400;
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, 'src', `s${String(i).padStart(4, '0')}.ts`), session);
    const client = await LspClient.start(dir);
    try {
      assert.equal((await client.ready()).indexedFiles, n);

      const source = new CancellationTokenSource();
      const mark = client.published.length;
      const first = uriOf(path.join(dir, 'src', 's0000.ts'));
      const answer = client.conn.sendRequest('authlint/lintWorkspace', {}, source.token) as Promise<{ files: number; total: number; findings: number; cancelled: boolean }>;
      // cancelled as soon as the first file is published
      await client.waitFor(first, () => true, 60000, mark);
      source.cancel();
      const r = await answer;
      assert.equal(r.cancelled, true);
      assert.equal(r.total, n);
      assert.ok(r.files >= 1 && r.files < n, `linted ${r.files} of ${n}`);
      assert.equal(r.findings, r.files * 2);
      // what was linted is published (and only that)
      const published = new Set(client.published.slice(mark).map((p) => p.uri));
      assert.equal(published.size, r.files);
      for (const u of published) assert.equal(rules(client.latest(u)!.diagnostics).length, 2);
      assert.ok(client.logs.some((l) => /Lint Workspace cancelled after \d+ of 400 files/.test(l)), client.logs.slice(-3).join(' | '));
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
