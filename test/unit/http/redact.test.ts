import * as assert from 'node:assert/strict';
import { collectSecrets, isCredentialName, redactHeaderValue, redactReport, redactSecrets, redactUrl } from '../../../src/http/redact';
import type { Report } from '../../../src/http/types';

describe('redaction', () => {
  it('keeps the scheme word of Authorization and Proxy-Authorization', () => {
    assert.equal(redactHeaderValue('Authorization', 'Bearer eyJabc.def.ghi'), 'Bearer …');
    assert.equal(redactHeaderValue('authorization', 'Basic YWxpY2U6c2VjcmV0'), 'Basic …');
    assert.equal(redactHeaderValue('Proxy-Authorization', 'Digest username="a", response="x"'), 'Digest …');
    assert.equal(redactHeaderValue('Authorization', 'Bearer'), 'Bearer');
  });

  it('hides a bare secret entirely instead of taking it for a scheme', () => {
    assert.equal(redactHeaderValue('Authorization', 'sk_live_1234567890abcdef'), '…');
    assert.equal(redactHeaderValue('Authorization', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'), '…');
  });

  it('keeps cookie names and Set-Cookie attributes, not values', () => {
    assert.equal(redactHeaderValue('Cookie', 'sid=abc123; theme=dark'), 'sid=…; theme=…');
    assert.equal(redactHeaderValue('Set-Cookie', 'sid=abc123; Path=/; HttpOnly'), 'sid=…; Path=/; HttpOnly');
    assert.equal(redactHeaderValue('Set-Cookie', 'sid=; Max-Age=0'), 'sid=; Max-Age=0');
    assert.equal(redactHeaderValue('X-Other', 'Bearer abc'), 'Bearer abc');
  });

  it('redacts URL passwords and token-like query values', () => {
    assert.equal(redactUrl('https://u:pw@h.example/p?access_token=abc&page=2'), 'https://…:…@h.example/p?access_token=…&page=2');
    assert.equal(redactUrl('https://h.example/p?page=2'), 'https://h.example/p?page=2');
  });

  it('collects secret values and replaces their echoes anywhere', () => {
    const secrets = collectSecrets([['Authorization', 'Basic YWxpY2U6c2VjcmV0'], ['Cookie', 'sid=abc123']]);
    assert.ok(secrets.includes('YWxpY2U6c2VjcmV0'));
    assert.ok(secrets.includes('secret'));
    assert.ok(secrets.includes('abc123'));
    assert.equal(redactSecrets('echo: abc123 and secret', secrets), 'echo: … and …');
  });

  it('redacts a whole report without touching the original', () => {
    const report: Report = {
      version: 1,
      request: { method: 'GET', url: 'https://h.example/?token=tok12345', headers: [['Authorization', 'Bearer tok12345']] },
      response: { status: 401, statusText: 'Unauthorized', headers: [['Set-Cookie', 'sid=zzz999; Path=/'], ['X-Echo', 'tok12345']], bodyBytes: 0, elapsedMs: 1, redirects: [{ status: 302, location: '/next?token=tok12345' }] },
      diagnosis: [{ code: 'x', severity: 'info', title: 'tok12345', detail: 'zzz999', refs: [] }],
    };
    const r = redactReport(report);
    const text = JSON.stringify(r);
    assert.doesNotMatch(text, /tok12345|zzz999/);
    assert.equal(report.request.headers[0]?.[1], 'Bearer tok12345');
    assert.equal(r.request.headers[0]?.[1], 'Bearer …');
  });
});

describe('redaction: which names carry a credential', () => {
  it('API keys, tokens, sessions, passwords and signatures do; challenges and CORS fields do not', () => {
    for (const n of ['X-API-Key', 'Api-Key', 'X-Auth-Token', 'Private-Token', 'X-Session-Id', 'X-Hub-Signature-256', 'X-Amz-Security-Token', 'apiKey', 'JSESSIONID', 'X-CSRF-Token', 'Authorization']) assert.ok(isCredentialName(n), n);
    for (const n of ['WWW-Authenticate', 'Proxy-Authenticate', 'Authentication-Info', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Headers', 'Content-Type', 'Keep-Alive', 'X-Request-Id', 'Author']) assert.ok(!isCredentialName(n), n);
    assert.ok(isCredentialName('code', 'param') && !isCredentialName('code', 'field'), 'code is a credential in a query, not in a JSON error');
  });
});
