import * as assert from 'node:assert/strict';
import { describeCredentials, hasAnyCredentials, hasOriginCredentials, parseCookieHeader, parseCredentials, requestCredentials } from '../../../src/http/credentials';
import { makeJwt, req } from './explain-support';

const codes = (v: string): string[] => parseCredentials(v).issues.map((i) => i.code);
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('parseCredentials', () => {
  it('decodes Basic user and password, splitting at the first colon', () => {
    const c = parseCredentials(`Basic ${b64('alice:pa:ss wörd')}`);
    assert.deepEqual(c.issues, []);
    assert.equal(c.scheme, 'Basic');
    assert.deepEqual(c.basic, { user: 'alice', password: 'pa:ss wörd' });
  });

  const bad: Array<[string, string]> = [
    ['', 'empty'],
    ['Basic', 'basic-empty'],
    ['Basic alice:secret', 'basic-bad-base64'],
    ['Basic YWxp Y2U6c2VjcmV0', 'whitespace'],
    [`Basic ${b64('alicesecret')}`, 'basic-no-colon'],
    ['Basic Basic YWxpY2U6c2VjcmV0', 'doubled-scheme'],
    ['Basic YWxpY2U6c2VjcmV0=====', 'basic-bad-base64'],
    ['Bearer', 'bearer-empty'],
    ['Bearer   ', 'bearer-empty'],
    ['Bearer Bearer abc.def', 'doubled-scheme'],
    ['Bearer bearer abc', 'doubled-scheme'],
    ['Bearer "abc123"', 'bearer-quoted'],
    ["Bearer 'abc123'", 'bearer-quoted'],
    ['Bearer abc 123', 'whitespace'],
    ['Bearer undefined', 'bearer-placeholder'],
    ['Bearer null', 'bearer-placeholder'],
    ['Bearer {{token}}', 'bearer-placeholder'],
    ['Bearer abc,def', 'bearer-bad-chars'],
    [makeJwt({ sub: 'x' }), 'missing-scheme'],
    ['Digest username="a", realm="r"', 'digest-missing-param'],
  ];
  for (const [value, code] of bad) {
    it(`reports ${code} for ${JSON.stringify(value.slice(0, 40))}`, () => {
      assert.ok(codes(value).includes(code), JSON.stringify(parseCredentials(value).issues));
      for (const i of parseCredentials(value).issues) assert.match(i.message, /RFC \d+/);
    });
  }

  const good = [
    'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
    'Bearer mF_9.B5f-4.1JqM',
    'Bearer abc123==',
    'DPoP eyJhbGciOiJIUzI1NiJ9.e30.c2ln',
    'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf", nc=00000001, cnonce="f2/wE4q", qop=auth, response="8ca5", opaque="FQhe"',
    'Negotiate YIIB+wYGKwYBBQUCoIIB7zCCAeugJDAiBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICCqKCAcEEggG9',
    'ApiKey-v2 k',
    'sk_live_1234567890abcdef',
  ];
  for (const value of good) {
    it(`accepts ${JSON.stringify(value.slice(0, 40))}`, () => {
      assert.deepEqual(parseCredentials(value).issues, []);
    });
  }

  it('reads a bare key as a token without a scheme, and Digest parameters', () => {
    const k = parseCredentials('sk_live_1234567890abcdef');
    assert.equal(k.scheme, '');
    assert.equal(k.token, 'sk_live_1234567890abcdef');
    const d = parseCredentials('Digest username="Mufasa", realm="r", uri="/", nonce="n", response="x"');
    assert.equal(d.params?.find((p) => p.name === 'username')?.value, 'Mufasa');
  });

  it('never throws on hostile input', () => {
    for (const v of ['\u0000', 'Basic ====', 'Bearer ' + 'a '.repeat(10000), 'Digest "', '\n\n', 'Basic ' + 'A'.repeat(100001)]) parseCredentials(v);
  });
});

describe('requestCredentials', () => {
  it('finds every kind of credential', () => {
    const c = requestCredentials(req([['Cookie', 'sid=abc; theme=dark'], ['X-API-Key', 'k1'], ['Proxy-Authorization', 'Basic eDp5']], 'https://u:p@api.example.com/x?access_token=t&page=2'));
    assert.deepEqual(c.cookies.map((k) => k.name), ['sid', 'theme']);
    assert.deepEqual(c.apiKeyHeaders, ['X-API-Key']);
    assert.deepEqual(c.queryTokens, ['access_token']);
    assert.equal(c.urlUserinfo, true);
    assert.equal(c.proxyAuthorization?.scheme, 'Basic');
    assert.ok(hasOriginCredentials(c));
    const text = describeCredentials(c).join(' | ');
    assert.match(text, /cookies sid, theme/);
    assert.doesNotMatch(text, /abc|k1|eDp5/, 'no secret values in the description');
  });

  it('sees no credentials in a plain request, and proxy credentials only as proxy ones', () => {
    const none = requestCredentials(req([['Accept', 'application/json']], 'https://api.example.com/x?page=1'));
    assert.equal(hasAnyCredentials(none), false);
    const proxyOnly = requestCredentials(req([['Proxy-Authorization', 'Basic eDp5']]));
    assert.equal(hasOriginCredentials(proxyOnly), false);
    assert.equal(hasAnyCredentials(proxyOnly), true);
  });

  it('recognises common API-key header names and ignores CSRF and tracing headers', () => {
    const keys = ['X-API-Key', 'api_key', 'X-Goog-Api-Key', 'Ocp-Apim-Subscription-Key', 'X-Shopify-Access-Token', 'PRIVATE-TOKEN', 'X-Auth-Token', 'X-Client-Secret', 'Token'];
    const none = ['X-CSRF-Token', 'X-XSRF-TOKEN', 'X-Request-Id', 'Accept', 'X-Trace-Token', 'Content-Type'];
    const c = requestCredentials(req([...keys, ...none].map((n): [string, string] => [n, 'v'])));
    assert.deepEqual(c.apiKeyHeaders, keys);
  });

  it('splits Cookie headers', () => {
    assert.deepEqual(parseCookieHeader(' a=1;b= 2 ; junk; =x'), [{ name: 'a', value: '1' }, { name: 'b', value: '2' }]);
  });
});
