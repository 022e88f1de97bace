// The language server gives an open file the findings `authlint lint --format json` gives it on
// the same folder: a JSON-RPC client spawns `authlint lsp --stdio` on a copy of the parity
// fixture workspace (several packages whose findings depend on other files of the package,
// never on another package's files) and compares each file's published diagnostics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliFindings, cliPath, copyFixture, fromCli, fromLsp, LspClient, sourceFiles, uriOf, type CliFinding } from './lsp-client';

describe('language server: parity with authlint lint', function () {
  this.timeout(120000);
  let dir: string;
  let cli: CliFinding[];
  let files: string[];

  before(function () {
    if (!fs.existsSync(cliPath)) this.skip();
    dir = copyFixture('lsp-workspace');
    cli = cliFindings(dir);
    files = sourceFiles(dir);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('the fixture has findings that depend on other files, and a package they must not leak into', () => {
    // the same throw and helper call: covered in api/ (error handler, helper), reported in billing/
    assert.deepEqual(fromCli(cli, dir, path.join(dir, 'api/src/routes.ts')), []);
    assert.equal(fromCli(cli, dir, path.join(dir, 'billing/src/routes.ts')).length, 3);
    // the Nest filter bound in main.ts covers the controller's UnauthorizedException
    assert.ok(!fromCli(cli, dir, path.join(dir, 'nest/src/profile.controller.ts')).some((f) => f.startsWith('missing-www-authenticate')));
    // the Fastify onSend hook covers the 401s of routes.ts (only the 401-for-403 finding stays)
    assert.deepEqual(
      fromCli(cli, dir, path.join(dir, 'hooks/src/routes.ts')).map((f) => f.split(' ')[0]),
      ['401-for-insufficient-permission'],
    );
  });

  it('publishes for every open file the findings of the CLI on the folder', async () => {
    const client = await LspClient.start(dir);
    try {
      for (const file of files) {
        const uri = client.open(file);
        const diagnostics = await client.current(uri);
        assert.deepEqual(fromLsp(diagnostics), fromCli(cli, dir, file), path.relative(dir, file));
        for (const d of diagnostics) {
          assert.equal(d.source, 'authlint');
          assert.match(d.codeDescription?.href ?? '', new RegExp(`docs/rules/${d.code}\\.md$`));
        }
      }
      const status = await client.request<{ packages: number; indexedFiles: number; ready: boolean }>('authlint/status', {});
      assert.deepEqual(status, { packages: 4, indexedFiles: files.length, ready: true, provisional: 0, engineCodeCache: 'off' });
      assert.ok(client.progress.length > 0, 'indexing reports work-done progress');
    } finally {
      await client.stop();
    }
  });

  it('authlint/lintWorkspace publishes the CLI findings for closed files too', async () => {
    const client = await LspClient.start(dir);
    try {
      const r = await client.request<{ files: number; findings: number }>('authlint/lintWorkspace', {});
      assert.deepEqual(r, { files: files.length, total: files.length, findings: cli.length, cancelled: false });
      for (const file of files) {
        const p = client.latest(uriOf(file));
        assert.ok(p, `published for ${file}`);
        assert.deepEqual(fromLsp(p.diagnostics), fromCli(cli, dir, file), path.relative(dir, file));
      }
    } finally {
      await client.stop();
    }
  });
});
