// Authorization code with PKCE through the loopback listener, device authorization, and
// refresh tokens (fresh, expired, revoked) against a real oidc-provider on 127.0.0.1.

import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryTokenStore, type Interaction } from '../../../../src/http/oauth';
import { close } from '../runner-support';
import { ScriptedBrowser, startIdp, type Idp } from './idp';
import { project, run, type Project } from './run-support';

const GET = (id: string): string => `GET {{api}}/api/data\nAuthorization: Bearer {{$auth.token("${id}")}}\n`;

function files(idp: Idp, auth: Record<string, unknown>, priv: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'http-client.env.json': { dev: { api: idp.api, issuer: idp.issuer, Security: { Auth: auth } } },
    'http-client.private.env.json': { dev: priv },
  };
}

const codeCfg = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': '{{issuer}}/auth', 'Token URL': '{{issuer}}/token', 'Client ID': 'native-app', Scope: 'openid offline_access api:read', 'Custom Request Parameters': { prompt: 'consent' }, ...extra,
});

/** The person: opens the printed URL in a scripted browser, logs in, consents, lands on the loopback. */
function person(idp: Idp, seen: { url?: string; landed?: number }): Interaction {
  return {
    timeoutMs: 15_000,
    onAuthorizationUrl(url) {
      seen.url = url;
      void (async () => {
        const b = new ScriptedBrowser();
        const done = await b.loginAndConsent(url, idp.issuer);
        if (done.location) seen.landed = (await b.request(done.location)).status;
      })();
    },
  };
}

describe('OAuth 2.0 interactive grants against oidc-provider', function () {
  this.timeout(40_000);
  let idp: Idp;
  let p: Project;
  before(async () => {
    idp = await startIdp();
  });
  after(async () => idp.stop());
  afterEach(() => p?.remove());

  it('authorization code + PKCE S256 through 127.0.0.1: token accepted; then expired access token refreshed', async () => {
    p = project(files(idp, { app: codeCfg() }));
    const seen: { url?: string; landed?: number } = {};
    const store = new MemoryTokenStore();
    const r = await run(p, GET('app'), 'dev', { store, interaction: person(idp, seen) });
    assert.equal(r.report?.response?.status, 200, JSON.stringify(r.report?.diagnosis ?? r.result));
    const u = new URL(seen.url!);
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.match(u.searchParams.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.ok(u.searchParams.get('state'));
    assert.equal(seen.landed, 200);
    // {{$auth.idToken}}: the ID token of the same login (openid scope), from the cache, hidden in the report.
    const withId = await run(p, `GET {{api}}/api/data\nAuthorization: Bearer {{$auth.token("app")}}\nX-Id-Token: {{$auth.idToken("app")}}\n`, 'dev', { store });
    const sentId = withId.result.kind === 'sent' ? withId.result.exchange.request!.headers.find(([k]) => k === 'X-Id-Token')![1] : '';
    assert.match(sentId, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(!withId.text.includes(sentId) && !withId.json.includes(sentId));
    // The access token expires: the next run refreshes it with the refresh token, no login.
    const key = [...(store as unknown as { map: Map<string, { expiresAt?: number }> }).map.keys()][0]!;
    const t = store.get(key)!;
    store.set(key, { ...t, expiresAt: Date.now() - 1000 });
    const again = await run(p, GET('app'), 'dev', { store });
    assert.equal(again.report?.response?.status, 200);
    assert.ok(again.notes.some((n) => /cached token has expired; refreshed it/.test(n)), again.notes.join('\n'));
    // Revoke the refresh token at the server, then use it with the Refresh Token grant.
    const rt = store.get(key)!.refreshToken!;
    const rev = await fetch(`${idp.issuer}/token/revocation`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: rt, client_id: 'native-app' }) });
    assert.equal(rev.status, 200);
    p.write('http-client.env.json', { dev: { api: idp.api, issuer: idp.issuer, Security: { Auth: { r: { Type: 'OAuth2', 'Grant Type': 'Refresh Token', 'Token URL': '{{issuer}}/token', 'Client ID': 'native-app', 'Refresh Token': '{{rt}}' } } } } });
    p.write('http-client.private.env.json', { dev: { rt } });
    const revoked = await run(p, GET('r'), 'dev');
    const d = revoked.report!.diagnosis[0]!;
    assert.equal(d.code, 'token-request-failed');
    assert.match(d.title, /invalid_grant/);
    assert.match(d.detail, /refresh token was refused: it has expired, was revoked/);
    assert.ok(!revoked.text.includes(rt) && !revoked.json.includes(rt));
  });

  it('an expired refresh token: invalid_grant explained', async () => {
    const short = await startIdp({ refreshTtl: 1 });
    try {
      p = project(files(short, { app: codeCfg() }));
      const store = new MemoryTokenStore();
      const seen = {};
      const r = await run(p, GET('app'), 'dev', { store, interaction: person(short, seen) });
      assert.equal(r.report?.response?.status, 200);
      const key = [...(store as unknown as { map: Map<string, unknown> }).map.keys()][0]!;
      const rt = store.get(key)!.refreshToken!;
      await new Promise((res) => setTimeout(res, 1500));
      p.write('http-client.env.json', { dev: { api: short.api, issuer: short.issuer, Security: { Auth: { r: { Type: 'OAuth2', 'Grant Type': 'Refresh Token', 'Token URL': '{{issuer}}/token', 'Client ID': 'native-app', 'Refresh Token': '{{rt}}' } } } } });
      p.write('http-client.private.env.json', { dev: { rt } });
      const expired = await run(p, GET('r'), 'dev');
      assert.match(expired.report!.diagnosis[0]!.title, /invalid_grant/);
    } finally {
      await short.stop();
    }
  });

  it('a Redirect URL the client did not register: the authorization endpoint refuses at once, no waiting', async () => {
    p = project(files(idp, { app: codeCfg({ 'Redirect URL': 'http://127.0.0.1:0/elsewhere' }) }));
    let asked = false;
    const r = await run(p, GET('app'), 'dev', { interaction: { timeoutMs: 10_000, onAuthorizationUrl: () => void (asked = true) } });
    assert.equal(asked, false);
    const d = r.report!.diagnosis[0]!;
    assert.equal(d.code, 'token-request-failed');
    assert.match(d.title, /authorization endpoint refused/);
    assert.match(d.detail, /answered 400 before any login page\. Its page mentions the redirect URI/);
    assert.match(d.detail, /register the redirect URI/);
  });

  it('a person who never completes the login: a clear timeout, nothing sent to the resource', async () => {
    p = project(files(idp, { app: codeCfg() }));
    const r = await run(p, GET('app'), 'dev', { interaction: { timeoutMs: 300 } });
    assert.equal(r.result.kind, 'token-failed');
    assert.match(r.report!.diagnosis[0]!.title, /Timed out waiting for the login/);
    assert.match(r.report!.diagnosis[0]!.detail, /Nobody completed the authorization in the browser within 0\.3 s/);
  });

  it('a redirect port already taken: the listener says it could not bind', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      p = project(files(idp, { app: codeCfg({ 'Redirect URL': `http://127.0.0.1:${port}/callback` }) }));
      const r = await run(p, GET('app'), 'dev', { interaction: { timeoutMs: 1000 } });
      const d = r.report!.diagnosis[0]!;
      assert.match(d.title, /redirect listener .* could not start/);
      assert.match(d.detail, new RegExp(`could not bind 127\\.0\\.0\\.1:${port} \\(something else already listens there\\)`));
    } finally {
      await close(blocker);
    }
  });

  it('device authorization (RFC 8628): shows the user code, polls at the interval until approved', async () => {
    p = project(files(idp, { tv: { Type: 'OAuth2', 'Grant Type': 'Device Authorization', 'Device Auth URL': '{{issuer}}/device/auth', 'Token URL': '{{issuer}}/token', 'Client ID': 'tv-app', Scope: 'openid api:read' } }));
    let shown: { userCode: string; verificationUri: string } | undefined;
    const started = Date.now();
    const r = await run(p, GET('tv'), 'dev', {
      interaction: {
        timeoutMs: 30_000,
        onDeviceCode(info) {
          shown = info;
          void new ScriptedBrowser().approveDevice(info.verificationUri, info.userCode, idp.issuer);
        },
      },
    });
    assert.ok(shown && /^[A-Z]{4}-[A-Z]{4}$/.test(shown.userCode), JSON.stringify(shown));
    assert.equal(r.report?.response?.status, 200, JSON.stringify(r.report?.diagnosis ?? r.result));
    assert.ok(Date.now() - started >= 5000, 'waited at least the default 5 s interval before polling');
    const polls = idp.log.filter((l) => l === 'POST /token').length;
    assert.ok(polls >= 1);
  });
});
