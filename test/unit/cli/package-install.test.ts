// The package as users get it: `npm pack`, installed into a fresh project from the tarball
// (offline: it has no dependencies), then `npx authlint lint`, `npx authlint send` against a
// server on 127.0.0.1, and the ESLint plugin through `authlint/eslint-plugin` in a flat config,
// whose types tsc checks in a TypeScript flat config.
// Slow (npm twice): the one test of its kind.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/fixture-files';

const root = repoRoot();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function exec(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } }, (err, out, errOut) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0, out, err: errOut });
    });
  });
}

describe('installable package (npm pack, npm install, npx)', function () {
  this.timeout(300000);
  let dir: string;
  let server: http.Server;
  let port: number;
  before(async function () {
    if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-pack-'));
    server = http.createServer((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"', 'Content-Type': 'application/json' });
      res.end('{"error":"invalid_token"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('packs what users need (and no tests), installs offline, and runs lint, send and the ESLint plugin', async () => {
    const packed = await exec(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
    assert.equal(packed.code, 0, packed.err);
    const info = (JSON.parse(packed.out) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
    const files = info.files.map((f) => f.path);
    for (const need of ['dist/cli.js', 'dist/cli-lint.js', 'dist/cli-send.js', 'dist/cli-explain.js', 'dist/cli-mcp-check.js', 'dist/engine.js', 'dist/eslint-plugin.js', 'dist/extension.js', 'schemas/authlint.config.schema.json', 'docs/eslint.md', 'README.md', 'package.json']) {
      assert.ok(files.includes(need), `${need} is in the package`);
    }
    assert.deepEqual(files.filter((f) => /^(test|src|out|scripts|bench)\//.test(f) || f.endsWith('.map')), [], 'no tests, sources or maps');

    const project = path.join(dir, 'consumer');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'commonjs' }));
    const installed = await exec(npm, ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', path.join(dir, info.filename)], project);
    assert.equal(installed.code, 0, installed.err);

    fs.writeFileSync(path.join(project, 'src', 'routes.js'), `const app = require('express')();\napp.get('/me', (req, res) => {\n  if (!req.user) return res.status(401).json({ error: 'login' });\n  res.json(req.user);\n});\n`);
    const lint = await exec(npx, ['--no-install', 'authlint', 'lint', 'src', '--format', 'json'], project);
    assert.equal(lint.code, 1, lint.err);
    assert.deepEqual((JSON.parse(lint.out) as { findings: Array<{ ruleId: string; line: number }> }).findings.map((f) => `${f.ruleId}:${f.line}`), ['missing-www-authenticate:3']);

    fs.writeFileSync(path.join(project, 'api.http'), `GET http://127.0.0.1:${port}/me\nAuthorization: Bearer abc.def\n`);
    const send = await exec(npx, ['--no-install', 'authlint', 'send', 'api.http', '--format', 'json'], project);
    assert.equal(send.code, 0, send.err);
    const report = JSON.parse(send.out) as { response: { status: number }; diagnosis: Array<{ code: string }> };
    assert.equal(report.response.status, 401);
    assert.ok(report.diagnosis.some((d) => d.code === 'invalid-token'), send.out);

    fs.writeFileSync(path.join(project, 'eslint.config.mjs'), `import authlint from 'authlint/eslint-plugin';\nexport default [authlint.configs.recommended];\n`);
    const eslint = await exec(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', 'src'], project);
    assert.equal(eslint.code, 1, eslint.err);
    const messages = (JSON.parse(eslint.out) as Array<{ messages: Array<{ ruleId: string; line: number }> }>).flatMap((r) => r.messages);
    assert.deepEqual(messages.map((m) => `${m.ruleId}:${m.line}`), ['authlint/missing-www-authenticate:3']);

    // the plugin's types (dist/eslint-plugin.d.ts through the `types` condition): a flat config in
    // TypeScript type-checks with tsc, in ESM and CommonJS; a wrong rule id or config name does not
    assert.ok(files.includes('dist/eslint-plugin.d.ts'), 'the declaration is in the package');
    fs.symlinkSync(path.join(root, 'node_modules', 'eslint'), path.join(project, 'node_modules', 'eslint'), 'junction'); // the user's peer
    const tsconfig = (file: string) => JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], skipLibCheck: false }, files: [file] });
    fs.writeFileSync(path.join(project, 'eslint.config.mts'), [
      `import type { Linter } from 'eslint';`,
      `import { defineConfig } from 'eslint/config';`,
      `import authlint from 'authlint/eslint-plugin';`,
      `const id: authlint.RuleId = 'missing-www-authenticate';`,
      `const severity: 'error' | 'warn' = authlint.configs.recommended.rules['authlint/missing-proxy-authenticate'] === 'error' ? 'error' : 'warn';`,
      `export const list: Linter.Config[] = [`,
      `  authlint.configs.recommended,`,
      `  { files: ['**/*.js'], plugins: { authlint }, rules: { [\`authlint/\${id}\`]: severity, 'authlint/403-for-missing-credentials': ['warn'] } },`,
      `];`,
      `export default defineConfig([authlint.configs.recommended, { plugins: { authlint }, rules: { 'authlint/malformed-www-authenticate': 'off' } }]);`,
      `export const version: string = authlint.meta.version;`,
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(project, 'tsconfig.json'), tsconfig('eslint.config.mts'));
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const typed = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    assert.equal(typed.code, 0, typed.out + typed.err);
    fs.writeFileSync(path.join(project, 'eslint.config.cts'), `import authlint = require('authlint/eslint-plugin');\nexport = [authlint.configs.recommended, { plugins: { authlint } }];\n`);
    fs.writeFileSync(path.join(project, 'tsconfig.cjs.json'), tsconfig('eslint.config.cts'));
    const typedCjs = await exec(process.execPath, [tsc, '-p', 'tsconfig.cjs.json'], project);
    assert.equal(typedCjs.code, 0, typedCjs.out + typedCjs.err);
    fs.writeFileSync(path.join(project, 'wrong.mts'), `import authlint from 'authlint/eslint-plugin';\nexport const id: authlint.RuleId = 'missing-www-authenticat';\nexport const r = authlint.rules['no-such-rule'];\nexport const c = authlint.configs.strict;\n`);
    fs.writeFileSync(path.join(project, 'tsconfig.wrong.json'), tsconfig('wrong.mts'));
    const wrong = await exec(process.execPath, [tsc, '-p', 'tsconfig.wrong.json'], project);
    assert.notEqual(wrong.code, 0);
    assert.deepEqual([...wrong.out.matchAll(/wrong\.mts\((\d+),\d+\): error (TS\d+)/g)].map((m) => `${m[1]}:${m[2]}`), ['2:TS2820', '3:TS7053', '4:TS2339'], wrong.out);
  });
});
