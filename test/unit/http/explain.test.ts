import * as assert from 'node:assert/strict';
import { buildReport, explain } from '../../../src/http/explain';
import type { Diagnosis, Exchange, HeaderList } from '../../../src/http/types';
import { ex, makeJwt, req } from './explain-support';

const codes = (e: Exchange, now?: Date): string[] => explain(e, now).map((d) => d.code);
const find = (e: Exchange, code: string): Diagnosis | undefined => explain(e).find((d) => d.code === code);
const BASIC = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
const API: HeaderList = [['Accept', 'application/json']];
// Date of ex(): 2026-01-01T00:00:00Z = 1767225600
const DATE = 1767225600;

describe('explain(): one detector per diagnosis code', () => {
  it('no-credentials: 401 and nothing identifying was sent', () => {
    const d = find(ex(401, [['WWW-Authenticate', 'Bearer realm="api"']], req(API)), 'no-credentials');
    assert.ok(d);
    assert.equal(d.severity, 'error');
    assert.match(d.detail, /Authorization: Bearer/);
    assert.ok(!codes(ex(401, [['WWW-Authenticate', 'Bearer realm="api"']], req([['Cookie', 'sid=1']]))).includes('no-credentials'));
    assert.ok(!codes(ex(401, [['WWW-Authenticate', 'Bearer realm="api"']])).includes('no-credentials'), 'unknown request');
    assert.ok(!codes(ex(200, [], req())).includes('no-credentials'));
  });

  it('no-credentials for a 407 looks at Proxy-Authorization only', () => {
    const e = ex(407, [['Proxy-Authenticate', 'Basic realm="p"']], req([['Authorization', 'Bearer abc']]));
    const d = explain(e).find((x) => x.code === 'no-credentials');
    assert.ok(d);
    assert.deepEqual(d.refs, ['RFC 9110 §11.7.2', 'RFC 9110 §15.5.8']);
    assert.ok(!codes(ex(407, [['Proxy-Authenticate', 'Basic realm="p"']], req([['Proxy-Authorization', BASIC]]))).includes('no-credentials'));
  });

  it('challenge-missing: 401 without WWW-Authenticate, 407 without Proxy-Authenticate', () => {
    assert.ok(codes(ex(401, [], req(API))).includes('challenge-missing'));
    assert.ok(codes(ex(407, [], req())).includes('challenge-missing'));
    assert.ok(!codes(ex(401, [['WWW-Authenticate', 'Bearer realm="a"']], req())).includes('challenge-missing'));
    assert.ok(!codes(ex(403, [], req())).includes('challenge-missing'));
  });

  it('challenge-malformed: problems of level must/should, each line parsed on its own', () => {
    const d = find(ex(401, [['WWW-Authenticate', 'Bearer realm="a"'], ['WWW-Authenticate', 'Basic']], req()), 'challenge-malformed');
    assert.ok(d);
    assert.equal(d.severity, 'warning');
    assert.ok(d.refs.includes('RFC 7617 §2'));
    const onlyShould = find(ex(401, [['WWW-Authenticate', 'Basic realm="a\\b"']], req()), 'challenge-malformed');
    assert.equal(onlyShould?.severity, 'info');
    // Two challenges on one line are only an interop note, not malformed.
    assert.ok(!codes(ex(401, [['WWW-Authenticate', 'Basic realm="a", Bearer realm="b"']], req())).includes('challenge-malformed'));
  });

  it('scheme-mismatch: the scheme sent is not challenged (case-insensitive)', () => {
    const d = find(ex(401, [['WWW-Authenticate', 'Bearer realm="api"']], req([['Authorization', BASIC]])), 'scheme-mismatch');
    assert.ok(d);
    assert.match(d.title, /Basic sent.*Bearer/);
    assert.ok(!codes(ex(401, [['WWW-Authenticate', 'bearer realm="api"']], req([['Authorization', 'BEARER abc']]))).includes('scheme-mismatch'));
    assert.ok(!codes(ex(401, [], req([['Authorization', BASIC]]))).includes('scheme-mismatch'));
  });

  it('credentials-malformed: the request\'s own Authorization is broken', () => {
    for (const v of ['Bearer ', 'Bearer Bearer abc', 'Basic alice:secret', 'Bearer "abc"']) {
      const d = find(ex(401, [['WWW-Authenticate', 'Bearer realm="a"']], req([['Authorization', v]])), 'credentials-malformed');
      assert.ok(d, v);
    }
    assert.match(find(ex(401, [], req([['Authorization', 'Bearer Bearer abc']])), 'credentials-malformed')?.title ?? '', /twice/);
    assert.equal(find(ex(200, [], req([['Authorization', 'Bearer ']])), 'credentials-malformed')?.severity, 'warning', 'a public endpoint still answered');
  });

  it('credentials-rejected: well-formed, challenged, still 401; silent when a sharper cause is known', () => {
    const d = find(ex(401, [['WWW-Authenticate', 'Basic realm="r"']], req([['Authorization', BASIC]])), 'credentials-rejected');
    assert.ok(d);
    assert.match(d.detail, /"alice"/);
    assert.doesNotMatch(d.detail, /secret/);
    const withError = codes(ex(401, [['WWW-Authenticate', 'Bearer error="invalid_token"']], req([['Authorization', 'Bearer abc']])));
    assert.ok(withError.includes('invalid-token') && !withError.includes('credentials-rejected'));
    assert.ok(!codes(ex(403, [], req([['Authorization', BASIC]]))).includes('credentials-rejected'));
  });

  it('token-expired: exp before the response Date, not the local clock', () => {
    const expired = makeJwt({ exp: DATE - 3600 });
    const d = find(ex(401, [['WWW-Authenticate', 'Bearer realm="a"']], req([['Authorization', `Bearer ${expired}`]])), 'token-expired');
    assert.ok(d);
    assert.match(d.title, /1 h ago/);
    const validAtDate = makeJwt({ exp: DATE + 60 });
    assert.ok(!codes(ex(401, [], req([['Authorization', `Bearer ${validAtDate}`]]))).includes('token-expired'), 'valid at the Date header even though the local clock is later');
    const noDate: Exchange = { request: req([['Authorization', `Bearer ${validAtDate}`]]), response: { status: 401, statusText: '', headers: [], bodyBytes: 0, elapsedMs: 0, redirects: [] } };
    assert.ok(codes(noDate, new Date((DATE + 3600) * 1000)).includes('token-expired'), 'without Date, now is used');
  });

  it('token-expired also reads a JWT session cookie or access_token query parameter', () => {
    const t = makeJwt({ exp: DATE - 10 });
    assert.ok(codes(ex(401, [], req([['Cookie', `session=${t}`]]))).includes('token-expired'));
    assert.ok(codes(ex(401, [], req([], `https://a.example/x?access_token=${t}`))).includes('token-expired'));
  });

  it('scheme-mismatch: a bare key where the server asks for a scheme', () => {
    const d = find(ex(401, [['WWW-Authenticate', 'Bearer realm="api"']], req([['Authorization', 'sk_live_1234567890abcdef']])), 'scheme-mismatch');
    assert.match(d?.title ?? '', /no scheme/);
    assert.doesNotMatch(`${d?.title} ${d?.detail}`, /sk_live/);
    const jwt = codes(ex(401, [['WWW-Authenticate', 'Bearer realm="api"']], req([['Authorization', makeJwt({ sub: 'x' })]])));
    assert.ok(jwt.includes('credentials-malformed') && !jwt.includes('scheme-mismatch'));
  });

  it('token-not-yet-valid: nbf or iat after the response Date (clock skew)', () => {
    const d = find(ex(401, [], req([['Authorization', `Bearer ${makeJwt({ nbf: DATE + 300 })}`]])), 'token-not-yet-valid');
    assert.ok(d);
    assert.deepEqual(d.refs, ['RFC 7519 §4.1.5']);
    assert.ok(codes(ex(401, [], req([['Authorization', `Bearer ${makeJwt({ iat: DATE + 300 })}`]]))).includes('token-not-yet-valid'));
    assert.ok(!codes(ex(401, [], req([['Authorization', `Bearer ${makeJwt({ iat: DATE + 1 })}`]]))).includes('token-not-yet-valid'), 'one second of Date resolution');
  });

  it('invalid-token shows the description and notes a status that contradicts RFC 6750', () => {
    const d = find(ex(401, [['WWW-Authenticate', 'Bearer realm="a", error="invalid_token", error_description="Token revoked"']], req([['Authorization', 'Bearer abc']])), 'invalid-token');
    assert.match(d?.detail ?? '', /Token revoked/);
    assert.doesNotMatch(d?.detail ?? '', /Note:/);
    const odd = find(ex(403, [['WWW-Authenticate', 'Bearer error="invalid_token"']], req([['Authorization', 'Bearer abc']])), 'invalid-token');
    assert.match(odd?.detail ?? '', /pairs invalid_token with 401/);
  });

  it('invalid-request: names a token sent two ways', () => {
    const d = find(ex(400, [['WWW-Authenticate', 'Bearer error="invalid_request"']], req([['Authorization', 'Bearer abc']], 'https://a.example/x?access_token=abc')), 'invalid-request');
    assert.match(d?.detail ?? '', /Authorization header and the access_token query parameter/);
  });

  it('insufficient-scope: required scope vs the token\'s scope/scp', () => {
    const t = makeJwt({ scp: ['items:read'], exp: DATE + 3600 });
    const e = ex(403, [['WWW-Authenticate', 'Bearer error="insufficient_scope", scope="items:read items:write"']], req([['Authorization', `Bearer ${t}`]]));
    const d = find(e, 'insufficient-scope');
    assert.match(d?.detail ?? '', /Missing: items:write\./);
    assert.ok(!codes(e).includes('forbidden'), 'forbidden adds nothing here');
  });

  it('forbidden: 403 with credentials; forbidden-without-credentials: 403 without', () => {
    const withCreds = codes(ex(403, [], req([['Authorization', 'Bearer abc']])));
    assert.ok(withCreds.includes('forbidden') && !withCreds.includes('forbidden-without-credentials'));
    const without = codes(ex(403, [], req(API)));
    assert.ok(without.includes('forbidden-without-credentials') && !without.includes('forbidden'));
    const unknown = find(ex(403, []), 'forbidden');
    assert.match(unknown?.detail ?? '', /--request/);
  });

  it('proxy-auth-required: 407 names the proxy challenge', () => {
    const d = find(ex(407, [['Proxy-Authenticate', 'Basic realm="corp"']], req()), 'proxy-auth-required');
    assert.match(d?.detail ?? '', /Basic realm="corp"/);
    assert.ok(!codes(ex(401, [['Proxy-Authenticate', 'Basic realm="corp"']], req())).includes('proxy-auth-required'));
  });

  it('credentials-dropped-on-redirect: from RedirectHop.dropped, or original vs final request', () => {
    const original = req([['Authorization', 'Bearer abc']], 'https://a.example/x');
    const final = req([], 'https://b.example/x');
    const hop = { status: 301, location: 'https://b.example/x', dropped: ['Authorization'] };
    const e = ex(401, [['WWW-Authenticate', 'Bearer realm="a"']], final, { originalRequest: original });
    e.response.redirects.push(hop);
    const list = codes(e);
    assert.ok(list.includes('credentials-dropped-on-redirect'));
    assert.ok(!list.includes('no-credentials'), 'the user did write credentials');
    const noHopInfo = ex(401, [], final, { originalRequest: original });
    noHopInfo.response.redirects.push({ status: 302, location: 'https://b.example/x' });
    assert.ok(codes(noHopInfo).includes('credentials-dropped-on-redirect'));
    assert.ok(!codes(ex(401, [], final, { originalRequest: original })).includes('credentials-dropped-on-redirect'), 'no redirect, nothing dropped on one');
    const fine = ex(200, [], final, { originalRequest: original });
    fine.response.redirects.push(hop);
    assert.ok(!codes(fine).includes('credentials-dropped-on-redirect'));
  });

  it('login-redirect: a 3xx to a login page for an API-looking request only', () => {
    assert.ok(codes(ex(302, [['Location', '/login?next=%2Fapi%2Fme']], req(API))).includes('login-redirect'));
    assert.ok(codes(ex(302, [['Location', 'https://id.example/oauth2/authorize?client_id=x']], req([], 'https://a.example/api/me'))).includes('login-redirect'));
    assert.ok(codes(ex(302, [['Location', '/users/sign_in']], req([], 'https://a.example/items', 'POST'))).includes('login-redirect'));
    const browser = req([['Accept', 'text/html']], 'https://a.example/dashboard');
    assert.ok(!codes(ex(302, [['Location', '/login']], browser)).includes('login-redirect'));
    assert.ok(!codes(ex(302, [['Location', '/authors/7']], req(API))).includes('login-redirect'));
    const followed = ex(200, [['Content-Type', 'text/html']], req(API));
    followed.response.redirects.push({ status: 302, location: '/account/login' });
    assert.ok(codes(followed).includes('login-redirect'));
  });

  it('digest-stale: stale=true only', () => {
    assert.ok(codes(ex(401, [['WWW-Authenticate', 'Digest realm="r", nonce="n", qop="auth", stale=TRUE']], req())).includes('digest-stale'));
    assert.ok(!codes(ex(401, [['WWW-Authenticate', 'Digest realm="r", nonce="n", qop="auth", stale=false']], req())).includes('digest-stale'));
  });

  it('resource-metadata: info pointing at the RFC 9728 document', () => {
    const d = find(ex(401, [['WWW-Authenticate', 'Bearer resource_metadata="https://a.example/.well-known/oauth-protected-resource"']], req()), 'resource-metadata');
    assert.equal(d?.severity, 'info');
    assert.match(d?.detail ?? '', /oauth-protected-resource/);
  });

  it('session-expired: a sent cookie cleared by Max-Age, Expires or an empty value', () => {
    const sent = req([['Cookie', 'sid=abc; theme=dark']]);
    for (const sc of ['sid=; Path=/', 'sid=x; Max-Age=0', 'sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT']) {
      assert.ok(codes(ex(401, [['Set-Cookie', sc]], sent)).includes('session-expired'), sc);
    }
    assert.ok(!codes(ex(401, [['Set-Cookie', 'other=; Max-Age=0']], sent)).includes('session-expired'));
    assert.ok(!codes(ex(401, [['Set-Cookie', 'sid=new; Max-Age=3600']], sent)).includes('session-expired'));
    assert.ok(!codes(ex(401, [['Set-Cookie', 'sid=; Max-Age=0']], req())).includes('session-expired'));
  });

  it('orders errors, then warnings, then info', () => {
    const list = explain(ex(401, [['WWW-Authenticate', 'Basic'], ['WWW-Authenticate', 'Bearer resource_metadata="https://x/m"']], req()));
    const rank = { error: 0, warning: 1, info: 2 };
    for (let i = 1; i < list.length; i++) assert.ok(rank[list[i - 1]!.severity] <= rank[list[i]!.severity]);
    assert.deepEqual(list.map((d) => d.code), ['no-credentials', 'challenge-malformed', 'resource-metadata']);
  });

  it('finds nothing to say about a plain 200', () => {
    assert.deepEqual(explain(ex(200, [['Content-Type', 'application/json']], req([['Authorization', 'Bearer abc']]))), []);
  });
});

describe('buildReport', () => {
  it('builds the contract shape for an exchange', () => {
    const e = ex(401, [['WWW-Authenticate', 'Bearer realm="a"']], req(API));
    e.response.redirects.push({ status: 302, location: '/x', headers: [['Location', '/x']], dropped: [] });
    const r = buildReport(e);
    assert.equal(r.version, 1);
    assert.deepEqual(Object.keys(r), ['version', 'request', 'response', 'diagnosis']);
    assert.deepEqual(r.response?.redirects, [{ status: 302, location: '/x' }]);
    assert.deepEqual(Object.keys(r.response ?? {}), ['status', 'statusText', 'headers', 'bodyBytes', 'elapsedMs', 'redirects']);
  });

  it('reports a failure with a null response and the error in words', () => {
    const r = buildReport({ request: req(), error: { code: 'ECONNREFUSED', message: 'Nothing listens on api.example.com:443 (connection refused).' } });
    assert.equal(r.response, null);
    assert.deepEqual(r.error, { code: 'ECONNREFUSED', message: 'Nothing listens on api.example.com:443 (connection refused).' });
    assert.deepEqual(r.diagnosis, []);
    assert.equal(r.request.method, 'GET');
  });
});
