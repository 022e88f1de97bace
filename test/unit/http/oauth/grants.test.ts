// OAuth 2.0 in .http files against a real OpenID Provider (oidc-provider) and a resource
// server that validates its tokens, all on 127.0.0.1.

import * as assert from 'node:assert/strict';
import { createServer as createHttps } from 'node:https';
import { generate } from 'selfsigned';
import { MemoryTokenStore } from '../../../../src/http/oauth';
import { close, listen } from '../runner-support';
import { CLIENTS, startIdp, type Idp } from './idp';
import { project, run, type Project } from './run-support';

const GET = (path = '/api/data', id = 'svc'): string => `GET {{api}}${path}\nAuthorization: Bearer {{$auth.token("${id}")}}\n`;

function envFiles(idp: Idp, auth: Record<string, unknown>, priv: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'http-client.env.json': { dev: { api: idp.api, issuer: idp.issuer, Security: { Auth: auth } } },
    'http-client.private.env.json': { dev: priv },
  };
}

function noSecretIn(out: string, ...secrets: string[]): void {
  for (const s of secrets) assert.ok(!out.includes(s), `output shows a secret: ${s.slice(0, 6)}…`);
}

describe('OAuth 2.0 grants against oidc-provider', function () {
  this.timeout(30_000);
  let idp: Idp;
  let p: Project;
  before(async () => {
    idp = await startIdp();
  });
  after(async () => idp.stop());
  afterEach(() => p?.remove());

  const cc = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    svc: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{issuer}}/token', 'Client ID': 'cc-basic', 'Client Secret': '{{ccSecret}}', Scope: 'api:read', ...extra },
  });

  it('client credentials (basic): gets a token, the resource accepts it; the secret and token never print', async () => {
    p = project(envFiles(idp, cc(), { ccSecret: CLIENTS.basic.client_secret }));
    const r = await run(p, GET(), 'dev');
    assert.equal(r.result.kind, 'sent', JSON.stringify(r.report?.diagnosis));
    assert.equal(r.report!.response!.status, 200);
    assert.deepEqual(r.report!.diagnosis.filter((d) => d.severity === 'error'), []);
    const sent = r.report!.request.headers.find(([k]) => k === 'Authorization')![1];
    noSecretIn(r.text + r.json, CLIENTS.basic.client_secret, sent.slice(7));
  });

  it('client credentials "in body" (client_secret_post)', async () => {
    p = project(envFiles(idp, { svc: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{issuer}}/token', 'Client ID': 'cc-post', 'Client Secret': '{{s}}', 'Client Credentials': 'in body', Scope: 'api:read' } }, { s: CLIENTS.post.client_secret }));
    const r = await run(p, GET(), 'dev');
    assert.equal(r.report!.response!.status, 200);
  });

  it('caches the token per environment and id: the second request asks no token endpoint', async () => {
    p = project(envFiles(idp, cc(), { ccSecret: CLIENTS.basic.client_secret }));
    const store = new MemoryTokenStore();
    await run(p, GET(), 'dev', { store });
    const before = idp.log.filter((l) => l === 'POST /token').length;
    const r = await run(p, GET(), 'dev', { store });
    assert.equal(r.report!.response!.status, 200);
    assert.equal(idp.log.filter((l) => l === 'POST /token').length, before);
  });

  it('wrong secret: token-request-failed, invalid_client, names Client Secret; nothing sent to the resource', async () => {
    p = project(envFiles(idp, cc(), { ccSecret: 'wrong-secret-value' }));
    const r = await run(p, GET(), 'dev');
    assert.equal(r.result.kind, 'token-failed');
    const d = r.report!.diagnosis[0]!;
    assert.equal(d.code, 'token-request-failed');
    assert.match(d.title, /invalid_client/);
    assert.match(d.detail, /"Client Secret" is wrong/);
    assert.match(d.detail, /http-client\.env\.json:\d+/);
    assert.equal(r.report!.response!.status, 401);
    assert.equal(r.report!.request.url, `${idp.issuer}/token`);
    noSecretIn(r.text + r.json, 'wrong-secret-value');
  });

  it('wrong client authentication method (a public client\'s "none" for a confidential client): invalid_client, says which to use', async () => {
    p = project(envFiles(idp, cc({ 'Client Credentials': 'none' }), { ccSecret: CLIENTS.basic.client_secret }));
    const r = await run(p, GET(), 'dev');
    const d = r.report!.diagnosis[0]!;
    assert.equal(d.code, 'token-request-failed');
    assert.match(d.detail, /error="invalid_client"/);
    assert.match(d.detail, /You sent "Client Credentials": "none"/);
    assert.match(d.detail, /"Client Credentials": "basic" or "in body"/);
  });

  it('basic for a client_secret_post client: this server accepts either (no diagnosis)', async () => {
    p = project(envFiles(idp, { svc: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{issuer}}/token', 'Client ID': 'cc-post', 'Client Secret': '{{s}}', Scope: 'api:read' } }, { s: CLIENTS.post.client_secret }));
    const r = await run(p, GET(), 'dev');
    assert.equal(r.report!.response!.status, 200);
  });

  it('unknown scope: invalid_scope names the Scope setting', async () => {
    p = project(envFiles(idp, { svc: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{issuer}}/token', 'Client ID': 'cc-post', 'Client Secret': '{{s}}', 'Client Credentials': 'in body', Scope: 'api:write' } }, { s: CLIENTS.post.client_secret }));
    const r = await run(p, GET(), 'dev');
    const d = r.report!.diagnosis[0]!;
    assert.match(d.title, /invalid_scope/);
    assert.match(d.detail, /Change "Scope"/);
    assert.match(d.detail, /"api:write"/);
    assert.match(d.detail, /requested scope is not allowed/);
  });

  it('insufficient scope at the resource names the scope to add to Scope', async () => {
    p = project(envFiles(idp, cc(), { ccSecret: CLIENTS.basic.client_secret }));
    const r = await run(p, GET('/api/write'), 'dev');
    assert.equal(r.report!.response!.status, 403);
    const d = r.report!.diagnosis.find((x) => x.code === 'insufficient-scope')!;
    assert.match(d.detail, /Add api:write to "Scope" in Security\.Auth\."svc" \(http-client\.env\.json:\d+\)/);
  });

  it('password grant: right and wrong password', async () => {
    const auth = { u: { Type: 'OAuth2', 'Grant Type': 'Password', 'Token URL': '{{issuer}}/token', 'Client ID': 'cc-basic', 'Client Secret': '{{s}}', Username: 'alice', Password: '{{pw}}', Scope: 'api:read' } };
    p = project(envFiles(idp, auth, { s: CLIENTS.basic.client_secret, pw: 'wonderland' }));
    const ok = await run(p, GET('/api/data', 'u'), 'dev');
    assert.equal(ok.report!.response!.status, 200);
    p.write('http-client.private.env.json', { dev: { s: CLIENTS.basic.client_secret, pw: 'not-the-password' } });
    const bad = await run(p, GET('/api/data', 'u'), 'dev');
    const d = bad.report!.diagnosis[0]!;
    assert.match(d.title, /invalid_grant/);
    assert.match(d.detail, /check "Username" and "Password"/);
    noSecretIn(bad.text + bad.json, 'not-the-password');
  });

  it('a 401 invalid_token on a cached token: refreshed once, resent, and the report says so', async () => {
    p = project(envFiles(idp, cc(), { ccSecret: CLIENTS.basic.client_secret }));
    const store = new MemoryTokenStore();
    await run(p, GET(), 'dev', { store });
    idp.revokeSeen();
    const r = await run(p, GET(), 'dev', { store });
    assert.equal(r.report!.response!.status, 200);
    const note = r.report!.diagnosis.find((d) => d.code === 'invalid-token' && d.severity === 'info');
    assert.ok(note, JSON.stringify(r.report!.diagnosis));
    assert.match(note.title, /refused; AuthLint got a new one and resent/);
    assert.ok(r.notes.some((n) => /was refused \(invalid_token\); sent again/.test(n)), r.notes.join('\n'));
  });

  it('a token endpoint answering HTML: not JSON, says Token URL points at a page', async () => {
    p = project(envFiles(idp, cc({ 'Token URL': '{{api}}/login' }), { ccSecret: CLIENTS.basic.client_secret }));
    const r = await run(p, GET(), 'dev');
    const d = r.report!.diagnosis[0]!;
    assert.equal(d.code, 'token-request-failed');
    assert.match(d.title, /did not answer with JSON/);
    assert.match(d.detail, /Content-Type text\/html.*an HTML page, so "Token URL" probably points at a web page/);
    assert.equal(r.result.kind === 'token-failed' && r.result.failure.answered, true);
  });

  it('an unreachable token URL: request failed (no answer), nothing sent to the resource', async () => {
    p = project(envFiles(idp, cc({ 'Token URL': 'http://127.0.0.1:9/token' }), { ccSecret: CLIENTS.basic.client_secret }));
    const r = await run(p, GET(), 'dev');
    assert.equal(r.result.kind, 'token-failed');
    assert.equal(r.report!.response, null);
    assert.equal(r.report!.error!.code, 'refused');
    assert.match(r.report!.diagnosis[0]!.title, /could not be reached/);
    assert.equal(r.result.kind === 'token-failed' && r.result.failure.answered, false);
  });

  it('the cache is per environment: another environment gets its own token', async () => {
    p = project({
      'http-client.env.json': { dev: { api: idp.api, issuer: idp.issuer, Security: { Auth: cc() } }, staging: { api: idp.api, issuer: idp.issuer, Security: { Auth: cc() } } },
      'http-client.private.env.json': { dev: { ccSecret: CLIENTS.basic.client_secret }, staging: { ccSecret: CLIENTS.basic.client_secret } },
    });
    const store = new MemoryTokenStore();
    const count = (): number => idp.log.filter((l) => l === 'POST /token').length;
    const before = count();
    await run(p, GET(), 'dev', { store });
    await run(p, GET(), 'staging', { store });
    await run(p, GET(), 'dev', { store });
    assert.equal(count() - before, 2);
  });

  it('a token URL with an untrusted TLS certificate: no answer (exit 3 class), the cause named', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] } as never);
    const tls = createHttps({ key: pems.private, cert: pems.cert }, (_q, s) => void s.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    const base = await listen(tls as unknown as import('node:http').Server, 'https');
    try {
      p = project(envFiles(idp, cc({ 'Token URL': `${base}/token` }), { ccSecret: CLIENTS.basic.client_secret }));
      const r = await run(p, GET(), 'dev');
      assert.equal(r.result.kind, 'token-failed');
      assert.equal(r.result.kind === 'token-failed' && r.result.failure.answered, false);
      assert.equal(r.report!.error!.code, 'tls-self-signed');
      assert.match(r.report!.diagnosis[0]!.detail, /self-signed/);
    } finally {
      await close(tls as unknown as import('node:http').Server);
    }
  });
});
