// The server keeps V8's compile of the engine bundle between starts (src/cli/code-cache.ts), in
// a folder only the user can write to: a second start takes it back, with the same findings;
// a folder others can write to is never read; a cache V8 rejects is made again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { cliPath, copyFixture, LspClient } from './lsp-client';

const rules = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line + 1}`).sort();

describe('language server: the engine code cache', function () {
  this.timeout(180000);
  const dirs: string[] = [];
  before(function () {
    if (!fs.existsSync(cliPath)) this.skip();
  });
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** Starts a server, lints a file of the workspace with findings, returns its state and findings. */
  async function run(ws: string, codeCacheDir: string): Promise<{ state: string | undefined; found: string[]; files: string[] }> {
    const c = await LspClient.start(ws, { codeCacheDir });
    try {
      const uri = c.open(path.join(ws, 'billing', 'src', 'routes.ts'));
      const found = rules(await c.current(uri));
      const s = await c.ready();
      // the cache is written just after the first analysis of an open file
      await new Promise((r) => setTimeout(r, 300));
      return { state: s.engineCodeCache, found, files: fs.existsSync(codeCacheDir) ? fs.readdirSync(codeCacheDir) : [] };
    } finally {
      await c.stop();
    }
  }

  it('makes the cache on the first start and uses it on the next, with the same findings', async () => {
    const ws = copyFixture('lsp-workspace');
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-cc-'));
    dirs.push(ws, cache);
    const first = await run(ws, path.join(cache, 'authlint'));
    assert.equal(first.state, 'made');
    assert.equal(first.files.filter((f) => f.endsWith('.v8cache')).length, 1, `cache files: ${first.files.join(', ')}`);
    assert.ok(first.found.length > 0, 'the fixture has findings');
    const second = await run(ws, path.join(cache, 'authlint'));
    assert.equal(second.state, 'used');
    assert.deepEqual(second.found, first.found);
    // a damaged cache is rejected by V8 and made again; the findings do not change
    const file = path.join(cache, 'authlint', second.files.find((f) => f.endsWith('.v8cache'))!);
    const bytes = fs.readFileSync(file);
    bytes.fill(7, 64, 4096);
    fs.writeFileSync(file, bytes);
    const third = await run(ws, path.join(cache, 'authlint'));
    assert.equal(third.state, 'rejected');
    assert.deepEqual(third.found, first.found);
    assert.equal((await run(ws, path.join(cache, 'authlint'))).state, 'used');
  });

  it('never reads a cache folder that others can write to', async function () {
    if (process.platform === 'win32') this.skip();
    const ws = copyFixture('lsp-workspace');
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-cc-'));
    dirs.push(ws, cache);
    fs.chmodSync(cache, 0o777);
    const r = await run(ws, cache);
    assert.equal(r.state, 'off');
    assert.deepEqual(r.files, []);
    assert.ok(r.found.length > 0);
  });
});
