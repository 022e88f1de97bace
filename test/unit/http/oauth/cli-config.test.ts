// Bad Security.Auth input and the `authlint send` exit codes with $auth.token: a malformed block
// is a diagnosis with file and line (exit 2, nothing sent); a refused token request exits 0;
// an unreachable token endpoint exits 3; no secret in any output.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { runSend } from '../../../../src/cli/send';
import { collectAuthEntries, readAuthConfig } from '../../../../src/http/oauth/config';
import { Collect } from '../explain-support';
import { Writable } from 'node:stream';
import { CLIENTS, ScriptedBrowser, startIdp, type Idp } from './idp';
import { project, type Project } from './run-support';

async function send(p: Project, http: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  p.write('req.http', http);
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runSend([join(p.dir, 'req.http'), ...args], { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

const REQ = 'GET {{api}}/api/data\nAuthorization: Bearer {{$auth.token("svc")}}\n';

describe('Security.Auth: bad input and authlint send exit codes', function () {
  this.timeout(30_000);
  let idp: Idp;
  let p: Project;
  before(async () => {
    idp = await startIdp();
  });
  after(async () => idp.stop());
  afterEach(() => p?.remove());

  it('a malformed Security.Auth block: file and line, exit 2, nothing sent', async () => {
    const env = '{\n  "dev": {\n    "api": "API",\n    "Security": {\n      "Auth": {\n        "svc": "client credentials please"\n      }\n    }\n  }\n}\n';
    p = project({ 'http-client.env.json': env.replace('API', idp.api) });
    const before = idp.log.length;
    const r = await send(p, REQ, '--env', 'dev');
    assert.equal(r.code, 2);
    assert.match(r.err, /http-client\.env\.json:6: Security\.Auth\."svc" must be an object of settings/);
    assert.match(r.err, /the request was not sent/);
    assert.equal(r.out, '');
    assert.equal(idp.log.length, before);
  });

  it('an unsupported Grant Type and Type say which are supported, with their lines', () => {
    const text = JSON.stringify({ dev: { Security: { Auth: { a: { Type: 'OAuth1', 'Grant Type': 'Implicit', 'Token URL': 'x', 'Client ID': 'c' } } } } }, null, 2);
    const { entries } = collectAuthEntries([{ path: 'http-client.env.json', text, data: JSON.parse(text) }], 'dev');
    const out = readAuthConfig('a', entries.get('a')!);
    assert.ok(Array.isArray(out));
    const msgs = out.map((x) => `${x.line}: ${x.message}`);
    assert.ok(msgs.some((m) => /^6: .*Type "OAuth1" is not supported \(supported: OAuth2\)/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^7: .*Grant Type "Implicit" is not supported \(supported: Client Credentials, Password, Authorization Code, Device Authorization, Refresh Token\); the implicit grant is deprecated/.test(m)), msgs.join('\n'));
  });

  it('missing settings, a misspelt key, a secret method without a secret, a non-URL Token URL', () => {
    const text = JSON.stringify({ dev: { Security: { Auth: { a: { Type: 'OAuth2', 'Grant Type': 'Password', 'Client id': 'c', 'Client Credentials': 'basic' } } } } }, null, 2);
    const { entries } = collectAuthEntries([{ path: 'f.json', text, data: JSON.parse(text) }], 'dev');
    const out = readAuthConfig('a', entries.get('a')!) as Array<{ message: string }>;
    const all = out.map((x) => x.message).join('\n');
    assert.match(all, /"Token URL" is missing/);
    assert.match(all, /unknown key "Client id": did you mean "Client ID"\?/);
    assert.match(all, /"Username" is missing/);
    assert.match(all, /no "Client Secret"/);
  });

  it('{{$auth.token}} with no such id lists the defined ones; exit 2', async () => {
    p = project({ 'http-client.env.json': { dev: { api: idp.api, Security: { Auth: { other: { Type: 'OAuth2' } } } } } });
    const r = await send(p, REQ, '--env', 'dev');
    assert.equal(r.code, 2);
    assert.match(r.err, /no Security\.Auth\."svc" in environment "dev" \(defined: other\)/);
  });

  it('refused token request: exit 0 and token-request-failed in JSON; unreachable: exit 3; secrets only with --show-secrets', async () => {
    const secret = 'a-wrong-secret-to-hide';
    p = project({
      'http-client.env.json': { dev: { api: idp.api, Security: { Auth: { svc: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': `${idp.issuer}/token`, 'Client ID': 'cc-basic', 'Client Secret': '{{s}}', 'Client Credentials': 'in body' } } } } },
      'http-client.private.env.json': { dev: { s: secret } },
    });
    const r = await send(p, REQ, '--env', 'dev', '--format', 'json');
    assert.equal(r.code, 0);
    const report = JSON.parse(r.out);
    assert.equal(report.diagnosis[0].code, 'token-request-failed');
    assert.equal(report.response.status, 401);
    assert.ok(!r.out.includes(secret) && !r.err.includes(secret));
    p.write('http-client.env.json', { dev: { api: idp.api, Security: { Auth: { svc: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'http://127.0.0.1:9/token', 'Client ID': 'cc-basic', 'Client Secret': '{{s}}' } } } } });
    const down = await send(p, REQ, '--env', 'dev');
    assert.equal(down.code, 3);
    assert.match(down.out, /token-request-failed/);
    assert.ok(!down.out.includes(secret));
    p.write('http-client.private.env.json', { dev: { s: CLIENTS.basic.client_secret } });
    p.write('http-client.env.json', { dev: { api: idp.api, Security: { Auth: { svc: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': `${idp.issuer}/token`, 'Client ID': 'cc-basic', 'Client Secret': '{{s}}', Scope: 'api:read' } } } } });
    const ok = await send(p, REQ, '--env', 'dev', '--format', 'json');
    assert.equal(ok.code, 0);
    const auth = (JSON.parse(ok.out).request.headers as Array<[string, string]>).find(([k]) => k === 'Authorization')![1];
    assert.equal(auth, 'Bearer …');
    const shown = await send(p, REQ, '--env', 'dev', '--format', 'json', '--show-secrets');
    assert.match((JSON.parse(shown.out).request.headers as Array<[string, string]>).find(([k]) => k === 'Authorization')![1], /^Bearer [\w-]{20,}$/);
  });

  it('authorization code from the CLI: the URL goes to stderr (no browser started), the login completes, exit 0', async () => {
    p = project({ 'http-client.env.json': { dev: { api: idp.api, Security: { Auth: { svc: { Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': `${idp.issuer}/auth`, 'Token URL': `${idp.issuer}/token`, 'Client ID': 'native-app', Scope: 'openid api:read' } } } } } });
    p.write('req.http', REQ);
    let err = '';
    const stderr = new Writable({
      write(chunk, _enc, done) {
        err += String(chunk);
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m.exec(err);
        if (m && !err.includes('[opened]')) {
          err += '[opened]';
          void (async () => {
            const b = new ScriptedBrowser();
            const done = await b.loginAndConsent(m[1]!, idp.issuer);
            if (done.location) await b.request(done.location);
          })();
        }
        done();
      },
    });
    const stdout = new Collect();
    const saved = process.env['BROWSER'];
    delete process.env['BROWSER'];
    try {
      const code = await runSend([join(p.dir, 'req.http'), '--env', 'dev', '--format', 'json'], { stdout, stderr });
      assert.equal(code, 0, err);
      assert.equal(JSON.parse(stdout.text).response.status, 200);
      assert.match(err, /authlint: open this URL to log in \(waiting 300 s for the redirect to 127\.0\.0\.1\):/);
    } finally {
      if (saved !== undefined) process.env['BROWSER'] = saved;
    }
  });
});
