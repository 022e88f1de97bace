// `authlint lint` end to end through the built CLI (dist/cli.js): formats, exit codes,
// folder walking, .gitignore, test-path skipping and unparsable files.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/fixture-files';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');

function run(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('authlint lint (CLI)', function () {
  this.timeout(30000);
  let dir: string;
  before(function () {
    if (!fs.existsSync(cli)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-cli-'));
    const w = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    w('src/routes.js', `const express = require('express');\nconst app = express();\napp.get('/me', (req, res) => {\n  if (!req.user) return res.status(401).json({ error: 'login' });\n  res.json(req.user);\n});\n`);
    w('src/ok.ts', `import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => c.json({ e: 1 }, 401, { 'WWW-Authenticate': 'Bearer realm="api"' }));\n`);
    w('src/broken.js', `app.get('/', (req, res) => { res.sendStatus(401);\n`);
    w('src/routes.test.js', `app.get('/', (req, res) => res.sendStatus(401));\n`);
    w('generated/out.js', `app.get('/', (req, res) => res.sendStatus(401));\n`);
    w('node_modules/lib/index.js', `app.get('/', (req, res) => res.sendStatus(401));\n`);
    w('.gitignore', 'generated/\n');
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('prints JSON in the contract shape and exits 1 on findings', () => {
    const r = run(['lint', 'src', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out) as { version: number; findings: Array<Record<string, unknown>>; files: number; errors: Array<{ file: string; message: string }> };
    assert.equal(j.version, 1);
    assert.equal(j.files, 3, 'routes.js, ok.ts and broken.js; the test file is skipped');
    assert.deepEqual(j.findings, [
      { file: path.join('src', 'routes.js'), line: 4, column: 36, endLine: 4, endColumn: 39, ruleId: 'missing-www-authenticate', severity: 'error', message: j.findings[0]!.message },
    ]);
    assert.equal(j.errors.length, 1);
    assert.equal(j.errors[0]!.file, path.join('src', 'broken.js'));
    assert.match(j.errors[0]!.message, /^\d+:\d+: /);
  });

  it('walks the current folder by default, honouring .gitignore and skipping node_modules', () => {
    const r = run(['lint', '--format', 'json'], dir);
    const files = (JSON.parse(r.out) as { findings: Array<{ file: string }> }).findings.map((f) => f.file);
    assert.deepEqual(files, [path.join('src', 'routes.js')]);
  });

  it('always reads files named on the command line', () => {
    const r = run(['lint', 'src/routes.test.js', 'generated/out.js', '--format', 'json'], dir);
    assert.equal((JSON.parse(r.out) as { findings: unknown[] }).findings.length, 2);
  });

  it('prints text with file:line:column, rule id and reason', () => {
    const r = run(['lint', 'src/routes.js'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^src[\\/]routes\.js:4:36: error missing-www-authenticate: 401 sent without a WWW-Authenticate challenge/m);
  });

  it('prints SARIF 2.1.0 with one run and rules carrying help URIs', () => {
    const r = run(['lint', 'src', '--format', 'sarif'], dir);
    const s = JSON.parse(r.out) as { version: string; runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri: string }> } }; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> };
    assert.equal(s.version, '2.1.0');
    assert.equal(s.runs.length, 1);
    assert.equal(s.runs[0]!.tool.driver.rules.length, 6);
    assert.ok(s.runs[0]!.tool.driver.rules.every((x) => x.helpUri.endsWith(`docs/rules/${x.id}.md`)));
    assert.equal(s.runs[0]!.results[0]!.ruleId, 'missing-www-authenticate');
    assert.equal(s.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine, 4);
  });

  it('exits 0 when clean and 2 on usage errors', () => {
    assert.equal(run(['lint', 'src/ok.ts'], dir).code, 0);
    assert.equal(run(['lint', '--format', 'xml'], dir).code, 2);
    assert.equal(run(['lint', 'no-such-dir'], dir).code, 2);
    assert.equal(run(['frobnicate'], dir).code, 2);
  });
});
