// `authlint lint` in a pipeline, through the built CLI: --quiet, --max-warnings, --fix, the
// configuration file (lookup, --config, errors with line and column), the cache (hits, a helper
// changed in another file, corrupt and unwritable caches), and the lazy engine.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFixed } from '../../../src/cli/fix';
import { ConfigError, findConfigFile, parseConfig } from '../../../src/config/config';
import { RULE_IDS } from '../../../src/analysis/types';
import { repoRoot } from '../support/fixture-files';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');

function run(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const UNCHALLENGED = `const express = require('express');\nconst app = express();\napp.get('/me', (req, res) => {\n  if (!req.user) return res.status(401).json({ error: 'login' });\n  res.json(req.user);\n});\n`;
// a warning only: a 403 for a missing user
const FORBIDDEN = `const app = require('express')();\napp.get('/x', (req, res) => {\n  if (!req.headers.authorization) return res.status(403).end();\n  res.end('ok');\n});\n`;

type Json = { findings: Array<{ file: string; ruleId: string; severity: string; line: number }>; files: number; errors: Array<{ file: string; message: string }> };

describe('authlint lint in a pipeline (CLI)', function () {
  this.timeout(60000);
  let dir: string;
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  beforeEach(function () {
    if (!fs.existsSync(cli)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-pipe-'));
    w('package.json', '{ "name": "app" }\n');
  });
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  describe('--quiet and --max-warnings', () => {
    it('reports errors only with --quiet, and counts warnings against --max-warnings', () => {
      w('src/a.js', UNCHALLENGED);
      w('src/b.js', FORBIDDEN);
      const all = JSON.parse(run(['lint', 'src', '--format', 'json'], dir).out) as Json;
      assert.deepEqual(all.findings.map((f) => f.severity).sort(), ['error', 'warning']);
      const quiet = run(['lint', 'src', '--format', 'json', '--quiet'], dir);
      assert.deepEqual((JSON.parse(quiet.out) as Json).findings.map((f) => f.ruleId), ['missing-www-authenticate']);
      assert.equal(quiet.code, 1);
      // only the warning: exit 0 with --quiet, 1 when it exceeds --max-warnings 0
      fs.rmSync(path.join(dir, 'src/a.js'));
      assert.equal(run(['lint', 'src', '--quiet'], dir).code, 0);
      const over = run(['lint', 'src', '--quiet', '--max-warnings', '0'], dir);
      assert.equal(over.code, 1);
      assert.match(over.err, /1 warning, more than --max-warnings 0/);
      assert.equal(run(['lint', 'src', '--quiet', '--max-warnings', '1'], dir).code, 0);
      assert.equal(run(['lint', 'src', '--max-warnings', 'x'], dir).code, 2);
    });
  });

  describe('configuration file', () => {
    it('applies the nearest authlint.config.json, never one above the package root', () => {
      w('src/a.js', UNCHALLENGED);
      w('pkg/package.json', '{ "name": "inner" }\n');
      w('pkg/src/a.js', UNCHALLENGED);
      w('authlint.config.json', '{ "rules": { "missing-www-authenticate": "warning" } }\n');
      const j = JSON.parse(run(['lint', '.', '--format', 'json'], dir).out) as Json;
      const sev = Object.fromEntries(j.findings.map((f) => [f.file.split(path.sep).join('/'), f.severity]));
      assert.deepEqual(sev, { 'src/a.js': 'warning', 'pkg/src/a.js': 'error' }, 'pkg/ is its own package: the outer file does not apply');
      assert.equal(findConfigFile(path.join(dir, 'pkg/src/a.js'), dir), undefined);
      assert.equal(findConfigFile(path.join(dir, 'src/a.js'), dir), path.join(dir, 'authlint.config.json'));
    });

    it('turns rules off, leaves out ignored files and takes the fix challenge from the file', () => {
      w('src/a.js', UNCHALLENGED);
      w('src/gen/b.js', UNCHALLENGED);
      w('src/c.js', FORBIDDEN);
      w('authlint.config.json', '{ "$schema": "./node_modules/authlint/schemas/authlint.config.schema.json", "rules": { "403-for-missing-credentials": "off" }, "ignores": ["src/gen/"], "defaultChallenge": "Basic realm=\\"team\\"" }\n');
      const j = JSON.parse(run(['lint', '--format', 'json'], dir).out) as Json;
      assert.deepEqual(j.findings.map((f) => f.file.split(path.sep).join('/')), ['src/a.js']);
      assert.equal(j.files, 2);
      run(['lint', 'src/a.js', '--fix'], dir);
      assert.match(fs.readFileSync(path.join(dir, 'src/a.js'), 'utf8'), /'WWW-Authenticate', 'Basic realm="team"'/);
    });

    it('--config names one file for every file', () => {
      w('src/a.js', UNCHALLENGED);
      w('conf/strict.json', '{ "rules": { "missing-www-authenticate": "off" } }');
      const r = run(['lint', 'src', '--config', 'conf/strict.json'], dir);
      assert.equal(r.code, 0, r.out + r.err);
    });

    it('exits 2 naming file, line, column and the problem; an unknown rule id lists the valid ones', () => {
      w('src/a.js', UNCHALLENGED);
      w('authlint.config.json', '{\n  "rules": {\n    "missing-www-authenticat": "error"\n  }\n}\n');
      const r = run(['lint', 'src'], dir);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err, /authlint\.config\.json:3:5: unknown rule id "missing-www-authenticat"; the rules are: missing-www-authenticate, 403-for-missing-credentials/);
      w('authlint.config.json', '{\n  "rules": { "missing-www-authenticate": "eror" }\n}\n');
      const bad = run(['lint', 'src'], dir);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /authlint\.config\.json:2:42: rule "missing-www-authenticate": the level must be/);
      const missing = run(['lint', 'src', '--config', 'nope.json'], dir);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /nope\.json:1:1: cannot read the configuration: ENOENT/);
    });

    it('parses with positions: syntax errors, wrong types, unknown keys', () => {
      const at = (text: string) => {
        try {
          parseConfig(text, 'c.json');
        } catch (err) {
          assert.ok(err instanceof ConfigError);
          return `${err.line}:${err.column} ${err.problem}`;
        }
        return 'ok';
      };
      assert.match(at('{ "rules": {} ,}'), /^1:16 invalid JSON: trailing comma before \}/);
      assert.match(at('{\n "maxFileSize": -1 }'), /^2:17 "maxFileSize" must be a positive integer/);
      assert.match(at('{ "ignore": [] }'), /^1:3 unknown property "ignore"; allowed: \$schema, rules, ignores/);
      assert.match(at('[1]'), /^1:1 the configuration must be a JSON object/);
      assert.match(at('{ "a": 1, "a": 2 }'), /duplicate property "a"/);
      assert.match(at('{ "rules": 1 // c\n}'), /comments are not allowed/);
      assert.equal(at('\ufeff{ "maxFileSize": 10, "ignores": ["a/**"] }'), 'ok');
      assert.match(at('"' + 'x'.repeat(100000)), /^1:1 invalid JSON: unterminated string/);
    });

    it('ships a JSON Schema that names every rule and is contributed to VS Code', () => {
      const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas', 'authlint.config.schema.json'), 'utf8')) as { properties: { rules: { properties: Record<string, unknown> } } };
      assert.deepEqual(Object.keys(schema.properties.rules.properties), [...RULE_IDS]);
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation: Array<{ fileMatch: string; url: string }> } };
      assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: 'authlint.config.json', url: './schemas/authlint.config.schema.json' }]);
    });
  });

  describe('--fix', () => {
    it('writes the preferred fixes, reports what remains and exits on what remains', () => {
      w('src/a.js', UNCHALLENGED.replace("res.json(req.user);", "if (req.user.banned) return res.status(401).send('no');\n  res.json(req.user);"));
      w('src/b.js', FORBIDDEN);
      const r = run(['lint', 'src', '--fix', '--format', 'json'], dir);
      const j = JSON.parse(r.out) as Json;
      const fixed = fs.readFileSync(path.join(dir, 'src/a.js'), 'utf8');
      assert.equal((fixed.match(/WWW-Authenticate/g) ?? []).length, 2, fixed);
      assert.ok(!j.findings.some((f) => f.ruleId === 'missing-www-authenticate'), r.out);
      // what --fix could not fix is still reported, and the exit code is computed after fixing
      const again = run(['lint', 'src', '--format', 'json'], dir);
      assert.deepEqual(JSON.parse(again.out), j);
      assert.equal(r.code, j.findings.length ? 1 : 0);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'src')).sort(), ['a.js', 'b.js'], 'no temporary file left');
    });

    it('never writes a file that changed on disk during the run', () => {
      const f = path.join(dir, 'x.js');
      fs.writeFileSync(f, 'const a = 1;\n');
      assert.match(writeFixed(f, 'const a = 0;\n', 'fixed\n') ?? '', /changed on disk/);
      assert.equal(fs.readFileSync(f, 'utf8'), 'const a = 1;\n');
      assert.equal(writeFixed(f, 'const a = 1;\n', 'const a = 2;\n'), undefined);
      assert.equal(fs.readFileSync(f, 'utf8'), 'const a = 2;\n');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['package.json', 'x.js']);
    });
  });

  describe('--cache', () => {
    const helper = (challenge: boolean) =>
      `function deny(res, code) {\n  ${challenge ? "res.set('WWW-Authenticate', 'Bearer realm=\"api\"');\n  " : ''}res.status(code).json({ error: 'no' });\n}\nmodule.exports = { deny };\n`;
    const route = `const { deny } = require('../lib/helpers');\nconst app = require('express')();\napp.get('/me', (req, res) => {\n  if (!req.user) return deny(res, 401);\n  res.json(req.user);\n});\n`;

    it('reuses results, and re-lints a file when a helper it uses changes in another file', () => {
      w('lib/helpers.js', helper(false));
      w('src/routes.js', route);
      const first = run(['lint', '--cache', '--format', 'json'], dir);
      assert.deepEqual((JSON.parse(first.out) as Json).findings.map((f) => `${f.file.split(path.sep).join('/')}:${f.line}`), ['src/routes.js:4']);
      assert.ok(fs.existsSync(path.join(dir, 'node_modules/.cache/authlint/lint-results.json')));
      const second = run(['lint', '--cache', '--format', 'json'], dir);
      assert.equal(second.out, first.out);
      assert.equal(second.code, 1);
      w('lib/helpers.js', helper(true));
      const third = run(['lint', '--cache', '--format', 'json'], dir);
      assert.deepEqual((JSON.parse(third.out) as Json).findings, [], 'routes.js is re-linted: the helper now sends the challenge');
      assert.equal(third.code, 0);
      w('lib/helpers.js', helper(false));
      assert.equal(run(['lint', '--cache', '--format', 'json'], dir).out, first.out);
    });

    it('notices an edit that keeps the size and the modification time of an unread file', async () => {
      w('src/a.js', UNCHALLENGED);
      await new Promise((r) => setTimeout(r, 2100)); // older than the racy window when the cache is written
      assert.equal(run(['lint', '--cache'], dir).code, 1);
      assert.equal(run(['lint', '--cache'], dir).code, 1); // answered from remembered hashes, file unread
      const f = path.join(dir, 'src/a.js');
      const st = fs.statSync(f);
      const same = UNCHALLENGED.replace('401', '400');
      assert.equal(same.length, UNCHALLENGED.length);
      fs.writeFileSync(f, same);
      fs.utimesSync(f, st.atime, st.mtime); // as `touch -r` would: only ctime tells
      assert.equal(run(['lint', '--cache'], dir).code, 0);
    });

    it('keys on the configuration', () => {
      w('src/a.js', UNCHALLENGED);
      assert.equal(run(['lint', '--cache'], dir).code, 1);
      w('authlint.config.json', '{ "rules": { "missing-www-authenticate": "off" } }');
      assert.equal(run(['lint', '--cache'], dir).code, 0);
    });

    it('reports a corrupt cache once, ignores it and rewrites it', () => {
      w('src/a.js', UNCHALLENGED);
      const plain = run(['lint', '--format', 'json'], dir);
      w('node_modules/.cache/authlint/lint-results.json', '{"format":3,"writtenMs":1,"hashes":{},"entries":{"x":{"key":"k","result":{"findings":[{"range":[-1]}]}}}}');
      const r = run(['lint', '--cache', '--format', 'json'], dir);
      assert.equal(r.out, plain.out);
      assert.equal(r.code, 1);
      assert.equal(r.err.match(/corrupt/g)?.length, 1, r.err);
      const again = run(['lint', '--cache', '--format', 'json'], dir);
      assert.equal(again.err, '');
      assert.equal(again.out, plain.out);
      w('node_modules/.cache/authlint/lint-results.json', '\u0000garbage');
      assert.equal(run(['lint', '--cache', '--format', 'json'], dir).out, plain.out);
    });

    it('reports an unwritable cache location once and lints on', () => {
      w('src/a.js', UNCHALLENGED);
      w('blocker', 'a file where the cache folder should be');
      const plain = run(['lint', '--format', 'json'], dir);
      const r = run(['lint', '--cache', '--cache-location', 'blocker/cache', '--format', 'json'], dir);
      assert.equal(r.out, plain.out);
      assert.equal(r.code, 1);
      assert.equal(r.err.match(/cannot write the cache/g)?.length, 1, r.err);
    });
  });

  it('loads the engine only when a file needs linting', () => {
    const hook = path.join(dir, '..', `${path.basename(dir)}-hook.js`);
    fs.writeFileSync(hook, `const m = require('module'); const load = m._load; m._load = function (req, ...a) { if (/engine\\.js$/.test(req)) process.stderr.write('ENGINE LOADED\\n'); return load.call(this, req, ...a); };\n`);
    const trace = (args: string[]) => spawnSync(process.execPath, ['-r', hook, cli, ...args], { cwd: dir, encoding: 'utf8' }).stderr;
    w('src/a.js', UNCHALLENGED);
    assert.doesNotMatch(trace(['--help']), /ENGINE LOADED/);
    assert.doesNotMatch(trace(['explain', '--help']), /ENGINE LOADED/);
    assert.match(trace(['lint', '--cache']), /ENGINE LOADED/);
    assert.doesNotMatch(trace(['lint', '--cache']), /ENGINE LOADED/, 'every result comes from the cache');
    fs.rmSync(hook);
  });
});
