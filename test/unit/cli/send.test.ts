// `authlint send` end to end (runSend in-process) against examples/demo-server.js on a free port:
// request selection, environments, exit codes 0/2/3, the three formats and redaction.

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSend } from '../../../src/cli/send';
import type { Report } from '../../../src/http/types';
import { close, listen, repoRoot } from '../http/runner-support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createServer } = require(join(repoRoot(), 'examples', 'demo-server.js')) as { createServer: () => Server };

class Sink {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

async function send(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runSend(argv, { stdout: stdout as unknown as NodeJS.WritableStream, stderr: stderr as unknown as NodeJS.WritableStream });
  return { code, out: stdout.text, err: stderr.text };
}

const json = (s: string): Report => JSON.parse(s) as Report;

describe('authlint send (CLI) against the demo server', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let file: string;

  before(async () => {
    server = createServer();
    base = await listen(server);
    dir = mkdtempSync(join(tmpdir(), 'authlint-send-'));
    file = join(dir, 'requests.http');
    writeFileSync(file, readFileSync(join(repoRoot(), 'examples', 'requests.http'), 'utf8').replace(/^@host = .*$/m, `@host = ${base}`));
  });
  after(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, code, status] of [
    ['noChallenge', 'challenge-missing', 401],
    ['missingToken', 'forbidden-without-credentials', 403],
    ['profileExpired', 'token-expired', 401],
    ['basicRejected', 'credentials-rejected', 401],
    ['loginRedirect', 'login-redirect', 200],
    ['adminScope', 'insufficient-scope', 403],
  ] as const) {
    it(`--name ${name}: exit 0, ${code} in the JSON report`, async () => {
      const r = await send(file, '--name', name, '--format', 'json');
      assert.equal(r.code, 0, r.err);
      const rep = json(r.out);
      assert.equal(rep.version, 1);
      assert.equal(rep.response!.status, status);
      assert.ok(rep.diagnosis.some((d) => d.code === code), rep.diagnosis.map((d) => d.code).join(','));
    });
  }

  it('sends the named request a later one reads from, then a clean 200', async () => {
    const r = await send(file, '--name', 'profile', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /sending "login" first/);
    const rep = json(r.out);
    assert.equal(rep.response!.status, 200);
    assert.deepEqual(rep.diagnosis.filter((d) => d.severity === 'error'), []);
  });

  it('redacts the token unless --show-secrets', async () => {
    const hidden = json((await send(file, '--name', 'profileExpired', '--format', 'json')).out);
    assert.deepEqual(hidden.request.headers.find(([k]) => k === 'Authorization'), ['Authorization', 'Bearer …']);
    const shown = json((await send(file, '--name', 'profileExpired', '--format', 'json', '--show-secrets')).out);
    assert.match(shown.request.headers.find(([k]) => k === 'Authorization')![1], /^Bearer eyJ/);
  });

  it('--line picks the block around a line; no flag picks the first request', async () => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('/api/basic')) + 1;
    const byLine = json((await send(file, '--line', String(line), '--format', 'json')).out);
    assert.ok(byLine.request.url.endsWith('/api/basic'));
    const first = json((await send(file, '--format', 'json')).out);
    assert.ok(first.request.url.endsWith('/api/no-challenge'));
  });

  it('text and html formats', async () => {
    const text = await send(file, '--name', 'noChallenge');
    assert.equal(text.code, 0);
    assert.match(text.out, /challenge-missing/);
    assert.match(text.out, /HTTP 401 Unauthorized/);
    const html = await send(file, '--name', 'noChallenge', '--format', 'html');
    assert.equal(html.code, 0);
    assert.match(html.out, /<meta http-equiv="Content-Security-Policy"/);
    assert.doesNotMatch(html.out, /<script/i);
  });

  it('exit 2 for usage errors, unknown names and unreadable files', async () => {
    for (const argv of [[], ['--format', 'xml', file], [file, '--name', 'a', '--line', '3'], [file, '--timeout', '0'], [file, '--bogus']]) {
      const r = await send(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /Usage: authlint send/);
    }
    const unknown = await send(file, '--name', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no request named "nope" \(named requests: noChallenge, /);
    assert.equal((await send(join(dir, 'missing.http'))).code, 2);
    const delimiter = await send(file, '--line', String(readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('###')) + 1));
    assert.equal(delimiter.code, 2);
  });

  it('exit 2 with file:line for an unresolved variable or a malformed block; nothing is sent', async () => {
    const bad = join(dir, 'bad.http');
    writeFileSync(bad, `GET ${base}/api/profile\nAuthorization: Bearer {{token}}\n\n###\nGET ${base}/x\n: no-name\n`);
    const r = await send(bad);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /bad\.http:2: \{\{token\}\} is not defined/);
    const m = await send(bad, '--line', '5');
    assert.equal(m.code, 2);
    assert.match(m.err, /bad\.http:6: header line without a name/);
  });

  it('exit 3 when nothing answers, with the reason in plain words', async () => {
    const tmp = createServer();
    const url = await listen(tmp);
    await close(tmp);
    const f = join(dir, 'refused.http');
    writeFileSync(f, `GET ${url}/\n`);
    const r = await send(f, '--format', 'json');
    assert.equal(r.code, 3);
    const rep = json(r.out);
    assert.equal(rep.response, null);
    assert.equal(rep.error!.code, 'refused');
    assert.match(rep.error!.message, /refused/);
    const text = await send(f);
    assert.equal(text.code, 3);
    assert.match(text.out, /Request failed \(refused\)/);
  });

  it('--env reads http-client.env.json; private values are hidden unless --show-secrets', async () => {
    const envDir = mkdtempSync(join(tmpdir(), 'authlint-env-'));
    try {
      writeFileSync(join(envDir, 'http-client.env.json'), JSON.stringify({ local: { base } }));
      writeFileSync(join(envDir, 'http-client.private.env.json'), JSON.stringify({ local: { apiKey: 'k-9f8e7d6c5b' } }));
      const f = join(envDir, 'env.http');
      writeFileSync(f, 'GET {{base}}/api/needs-token?q={{apiKey}}\nX-Tenant: {{apiKey}}\n');
      const hidden = await send(f, '--env', 'local', '--format', 'json');
      assert.equal(hidden.code, 0, hidden.err);
      assert.doesNotMatch(hidden.out, /k-9f8e7d6c5b/);
      const shown = await send(f, '--env', 'local', '--format', 'json', '--show-secrets');
      assert.match(shown.out, /k-9f8e7d6c5b/);
      const missing = await send(f, '--env', 'prod');
      assert.equal(missing.code, 2);
      assert.match(missing.err, /no environment named "prod" \(known: local\)/);
    } finally {
      rmSync(envDir, { recursive: true, force: true });
    }
  });

  it('reads REST Client settings from .vscode/settings.json: environments and defaultHeaders', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'authlint-ws-'));
    try {
      mkdirSync(join(ws, '.vscode'));
      mkdirSync(join(ws, 'api'));
      // The project root (env and settings files are not looked for above it).
      mkdirSync(join(ws, '.git'));
      writeFileSync(join(ws, '.vscode', 'settings.json'), `{
        // JSON with comments, as VS Code writes it
        "rest-client.environmentVariables": { "$shared": { "path": "/api/profile" }, "local": { "host": "${base}" } },
        "rest-client.defaultHeaders": { "X-Client": "team-tool", "User-Agent": "custom-agent" },
      }`);
      const f = join(ws, 'api', 'req.http');
      writeFileSync(f, 'GET {{host}}{{path}}\nX-Client: mine\n');
      const r = await send(f, '--env', 'local', '--format', 'json');
      assert.equal(r.code, 0, r.err);
      const rep = json(r.out);
      assert.equal(rep.request.url, `${base}/api/profile`);
      assert.deepEqual(rep.request.headers.filter(([k]) => ['x-client', 'user-agent'].includes(k.toLowerCase())), [['X-Client', 'mine'], ['User-Agent', 'custom-agent']]);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('sends fenced ```http blocks of a Markdown file', async () => {
    const md = join(dir, 'README.md');
    writeFileSync(md, `# API\n\nGET ${base}/not-in-a-fence\n\n\`\`\`http\nGET ${base}/api/needs-token\n\`\`\`\n`);
    const r = await send(md, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    assert.equal(json(r.out).request.url, `${base}/api/needs-token`);
  });

  it('--timeout makes a silent server fail with exit 3 (timeout)', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const sockets: import('node:net').Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    try {
      const f = join(dir, 'silent.http');
      writeFileSync(f, `GET http://127.0.0.1:${(silent.address() as { port: number }).port}/\n`);
      const r = await send(f, '--timeout', '150', '--format', 'json');
      assert.equal(r.code, 3);
      assert.equal(json(r.out).error!.code, 'timeout');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
