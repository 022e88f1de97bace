// Bad input in a pipeline (issue "AuthLint in every pipeline", Bad input), through the built CLI
// where the claim is about the command: a cache that cannot be read is reported once and the
// lint goes on, correct; `--fix` never writes over a file that changed on disk during the run
// (an edit made while the engine runs, and one made in the last moment before the rename), and
// replaces a file by renaming a complete temporary file over it, never by writing it in place.
// The configuration errors (file, line, column; valid rule ids) are in lint-pipeline.test.ts.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFixed } from '../../../src/cli/fix';
import { repoRoot } from '../support/fixture-files';

const cli = path.join(repoRoot(), 'dist', 'cli.js');

const UNCHALLENGED = `const express = require('express');\nconst app = express();\napp.get('/me', (req, res) => {\n  if (!req.user) return res.status(401).json({ error: 'login' });\n  res.json(req.user);\n});\n`;
const EDITED = `${UNCHALLENGED}// saved by the editor during the lint\n`;

describe('authlint lint: bad input (built CLI)', function () {
  this.timeout(60000);
  let dir: string;
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const run = (args: string[], preload?: string) => {
    const r = spawnSync(process.execPath, [...(preload ? ['-r', preload] : []), cli, ...args], { cwd: dir, encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  beforeEach(function () {
    if (!fs.existsSync(cli)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-bad-'));
    w('package.json', '{ "name": "app" }\n');
  });
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('a cache file that cannot be read (a folder in its place) is reported once; the lint goes on, correct', () => {
    w('src/a.js', UNCHALLENGED);
    const plain = run(['lint', '--format', 'json']);
    fs.mkdirSync(path.join(dir, 'node_modules/.cache/authlint/lint-results.json'), { recursive: true });
    const r = run(['lint', '--cache', '--format', 'json']);
    assert.equal(r.out, plain.out);
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split('\n').length, 1, `one report: ${r.err}`);
    assert.match(r.err, /cannot read the cache .*lint-results\.json \(EISDIR\)/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'node_modules/.cache/authlint')), ['lint-results.json'], 'no temporary file left');
  });

  it('a cache location under a file is reported once, as a cache that cannot be written', () => {
    w('src/a.js', UNCHALLENGED);
    w('blocker', 'a file where the cache folder should be');
    const plain = run(['lint', '--format', 'json']);
    const r = run(['lint', '--cache', '--cache-location', 'blocker/cache', '--format', 'json']);
    assert.equal(r.out, plain.out);
    assert.deepEqual(r.err.trim().split('\n').map((l) => l.replace(/ \(.*/, '')), ['authlint lint: cannot write the cache blocker/cache/lint-results.json']);
  });

  it('--fix does not write a file saved by someone else while the engine ran', () => {
    w('src/a.js', UNCHALLENGED);
    // a real write to the file at the moment the engine is loaded: after the CLI read it, before it fixes
    const hook = path.join(dir, '..', `${path.basename(dir)}-edit.js`);
    fs.writeFileSync(hook, `const Module = require('module'); const load = Module._load; let done = false;
Module._load = function (req, ...a) { if (!done && /engine\\.js$/.test(req)) { done = true; require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'src', 'a.js'))}, ${JSON.stringify(EDITED)}); } return load.call(this, req, ...a); };\n`);
    try {
      const r = run(['lint', 'src', '--fix', '--format', 'json'], hook);
      assert.equal(fs.readFileSync(path.join(dir, 'src/a.js'), 'utf8'), EDITED, 'the edit is kept');
      const j = JSON.parse(r.out) as { findings: Array<{ ruleId: string }>; errors: Array<{ file: string; message: string }> };
      assert.deepEqual(j.errors.map((e) => e.message), ['not fixed: the file changed on disk during the lint']);
      assert.deepEqual(j.findings.map((f) => f.ruleId), ['missing-www-authenticate'], 'reported as it was read, unfixed');
      assert.deepEqual(fs.readdirSync(path.join(dir, 'src')), ['a.js'], 'no temporary file left');
    } finally {
      fs.rmSync(hook);
    }
  });

  it('--fix does not rename over a file saved in the last moment (after the temporary file is written)', () => {
    w('src/a.js', UNCHALLENGED);
    // a real write to the file when the temporary file is closed, right before the last look
    const hook = path.join(dir, '..', `${path.basename(dir)}-late.js`);
    fs.writeFileSync(hook, `const fs = require('fs'); const close = fs.closeSync; const open = fs.openSync; const tmps = new Set();
fs.openSync = function (p, flags, ...a) { const fd = open.call(this, p, flags, ...a); if (String(p).includes('.authlint-')) tmps.add(fd); return fd; };
fs.closeSync = function (fd) { const r = close.call(this, fd); if (tmps.delete(fd)) fs.writeFileSync(${JSON.stringify(path.join(dir, 'src', 'a.js'))}, ${JSON.stringify(EDITED)}); return r; };\n`);
    try {
      const r = run(['lint', 'src', '--fix', '--format', 'json'], hook);
      assert.equal(fs.readFileSync(path.join(dir, 'src/a.js'), 'utf8'), EDITED, 'the late edit is kept');
      assert.match(r.out, /not fixed: the file changed on disk during the lint/);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'src')), ['a.js'], 'the temporary file is removed');
    } finally {
      fs.rmSync(hook);
    }
  });

  it('--fix replaces the file by a rename (a new inode, the same mode), never writing it in place', () => {
    w('src/a.js', UNCHALLENGED);
    const file = path.join(dir, 'src/a.js');
    fs.chmodSync(file, 0o640);
    const before = fs.statSync(file);
    run(['lint', 'src', '--fix']);
    const after = fs.statSync(file);
    assert.match(fs.readFileSync(file, 'utf8'), /WWW-Authenticate/);
    assert.notEqual(after.ino, before.ino, 'a complete temporary file was renamed over it');
    assert.equal(after.mode & 0o7777, 0o640);
  });

  it('a fix that cannot be written leaves the file whole and no temporary file', () => {
    w('x.js', 'const a = 1;\n');
    const file = path.join(dir, 'x.js');
    // something already where the temporary file would go: the write fails before touching x.js
    const tmp = path.join(dir, `.x.js.authlint-${process.pid}.tmp`);
    fs.mkdirSync(tmp);
    assert.match(writeFixed(file, 'const a = 1;\n', 'const a = 2;\n') ?? '', /^not fixed: cannot write it \(EEXIST\)/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'const a = 1;\n');
    fs.rmdirSync(tmp);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['package.json', 'x.js']);
  });
});
