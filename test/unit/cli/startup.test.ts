// What each `authlint` command loads, through the built CLI: `--help` reads dist/cli.js alone
// (no Node module beyond what bare `node` has loaded), `send`, `explain` and `mcp-check` read
// their own file and never the engine (parser and TypeScript) nor another command's code, and
// no CLI bundle but the engine holds the parser. Times are the bench's business (scripts/bench.mjs).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/fixture-files';

const dist = path.join(repoRoot(), 'dist');
const cli = path.join(dist, 'cli.js');

// Records the files every require() loads and, at exit, the Node modules loaded after startup.
const HOOK = `
const Module = require('module');
const files = new Set();
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  try { files.add(Module._resolveFilename(request, parent)); } catch {}
  return load.call(this, request, parent, ...rest);
};
const startup = new Set(process.moduleLoadList);
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => !startup.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13));
  require('fs').writeFileSync(process.env.AUTHLINT_TRACE, JSON.stringify({ files: [...files], builtins }));
});
`;

interface Trace {
  files: string[];
  builtins: string[];
  out: string;
}

describe('authlint startup: what each command loads (built CLI)', function () {
  this.timeout(60000);
  let dir: string;
  let hook: string;
  let server: Server;
  let port: number;

  before(async function () {
    if (!fs.existsSync(cli)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-startup-'));
    hook = path.join(dir, 'hook.js');
    fs.writeFileSync(hook, HOOK);
    server = createServer((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    if (server) await new Promise((r) => server.close(r));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function trace(args: string[], stdin = '', script = cli): Promise<Trace> {
    const out = path.join(dir, `trace-${Math.random().toString(36).slice(2)}.json`);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-r', hook, ...(script ? [script] : []), ...args], { cwd: dir, env: { ...process.env, AUTHLINT_TRACE: out } });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.resume();
      child.on('error', reject);
      child.on('close', () => {
        try {
          resolve({ ...(JSON.parse(fs.readFileSync(out, 'utf8')) as Omit<Trace, 'out'>), out: text });
        } catch (err) {
          reject(err as Error);
        }
      });
      child.stdin.end(stdin);
    });
  }
  // the bundles required besides dist/cli.js itself
  const bundles = (t: Trace) => t.files.filter((f) => path.dirname(f) === dist && f !== cli).map((f) => path.basename(f)).sort();

  // what bare node loads to write to the same stdout (a pipe: net, streams)
  const bare = async () => new Set((await trace(['-e', 'process.stdout.write("x")'], '', '')).builtins);

  it('--help and --version read dist/cli.js alone and load no Node module bare node does not', async () => {
    const baseline = await bare();
    for (const args of [['--help'], ['--version'], []]) {
      const t = await trace(args);
      assert.ok(t.out.length > 0, `${args.join(' ')} printed something`);
      assert.deepEqual(bundles(t), [], `${args.join(' ')} required no other bundle`);
      assert.deepEqual(t.builtins.filter((m) => !baseline.has(m)), [], `${args.join(' ')} loaded Node modules bare node does not`);
    }
  });

  it('explain reads its own file, not the engine, the HTTP client, crypto (text output) or the linter', async () => {
    const raw = 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="api", error="invalid_token"\r\nContent-Length: 0\r\n\r\n';
    const t = await trace(['explain'], raw);
    assert.match(t.out, /401/);
    assert.deepEqual(bundles(t), ['cli-explain.js']);
    const baseline = await bare();
    assert.ok(baseline.has('net') && !baseline.has('http'), 'the baseline writes to a pipe and sends nothing');
    for (const m of ['http', 'https', 'tls', 'zlib', 'child_process', 'dgram', 'crypto']) assert.ok(!t.builtins.includes(m), `explain loaded ${m}`);
  });

  it('send and mcp-check read their own file and never the engine', async () => {
    const http = path.join(dir, 'api.http');
    fs.writeFileSync(http, `GET http://127.0.0.1:${port}/me\nAuthorization: Bearer abc\n`);
    const send = await trace(['send', http]);
    assert.match(send.out, /401/);
    assert.deepEqual(bundles(send), ['cli-send.js']);
    const mcp = await trace(['mcp-check', `http://127.0.0.1:${port}/mcp`, '--format', 'json']);
    assert.ok(mcp.out.length > 0);
    assert.deepEqual(bundles(mcp), ['cli-mcp-check.js']);
  });

  it('lint reads cli-lint.js, and the engine only when a file needs a parse', async () => {
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "app" }\n');
    fs.writeFileSync(path.join(dir, 'a.js'), "const app = require('express')();\napp.get('/me', (req, res) => res.status(401).end());\n");
    const t = await trace(['lint', 'a.js', '--format', 'json']);
    assert.match(t.out, /missing-www-authenticate/);
    assert.deepEqual(bundles(t), ['cli-lint.js', 'engine.js']);
    const help = await trace(['lint', '--help']);
    assert.deepEqual(bundles(help), ['cli-lint.js']);
  });

  it('no CLI bundle but engine.js holds the parser or TypeScript (esbuild keeps module paths as comments in the dev build)', () => {
    const files = fs.readdirSync(dist).filter((f) => /^cli(-[a-z-]+)?\.js$/.test(f));
    assert.deepEqual(files.sort(), ['cli-explain.js', 'cli-lint.js', 'cli-lsp.js', 'cli-mcp-check.js', 'cli-send.js', 'cli.js']);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dist, f), 'utf8');
      assert.doesNotMatch(text, /node_modules\/(typescript|@typescript-eslint)\//, `${f} bundles the parser`);
      assert.doesNotMatch(text, /\bcreateSourceFile\b/, `${f} bundles TypeScript`);
    }
    const main = fs.readFileSync(cli, 'utf8');
    assert.ok(main.length < 16_000, `dist/cli.js is ${main.length} bytes: only the dispatch belongs there`);
  });
});
