import * as assert from 'node:assert/strict';
import { digestAuthorization, expandAuthShorthand, pickDigestChallenge } from '../../../src/http/auth-shorthand';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('auth-shorthand: REST Client Authorization shorthands', () => {
  it('encodes Basic user:pass and Basic user pass as raw UTF-8 (no percent-encoding)', () => {
    assert.deepEqual(expandAuthShorthand('Basic alice:p@ss w%rd'), { kind: 'header', value: `Basic ${b64('alice:p@ss w%rd')}` });
    assert.deepEqual(expandAuthShorthand('Basic alice pässword'), { kind: 'header', value: `Basic ${b64('alice:pässword')}` });
    assert.deepEqual(expandAuthShorthand('basic token:'), { kind: 'header', value: `basic ${b64('token:')}` });
  });

  it('leaves Basic <base64> and other schemes unchanged', () => {
    assert.deepEqual(expandAuthShorthand('Basic YWxpY2U6c2VjcmV0'), { kind: 'header', value: 'Basic YWxpY2U6c2VjcmV0' });
    assert.deepEqual(expandAuthShorthand('Bearer a b'), { kind: 'header', value: 'Bearer a b' });
  });

  it('holds Digest user pass back, but sends a full Digest header as written', () => {
    assert.deepEqual(expandAuthShorthand('Digest bob my secret'), { kind: 'digest', credentials: { user: 'bob', password: 'my secret' } });
    assert.equal(expandAuthShorthand('Digest username="bob", response="x"').kind, 'header');
  });

  it('reports AWS and COGNITO as unsupported', () => {
    assert.equal(expandAuthShorthand('AWS id key').kind, 'unsupported');
    assert.equal(expandAuthShorthand('COGNITO u p').kind, 'unsupported');
  });
});

describe('auth-shorthand: Digest responses (RFC 7616 §3.9.1 example)', () => {
  const header = (alg: string): string =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
  const creds = { user: 'Mufasa', password: 'Circle of Life' };
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

  it('computes the MD5 response of the RFC example', () => {
    const c = pickDigestChallenge([header('MD5')])!;
    const v = digestAuthorization(c, creds, 'GET', '/dir/index.html', 1, cnonce);
    assert.match(v, /response="8ca523f5e9506fed4657c9700eebdbec"/);
    assert.match(v, /qop=auth, nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ", opaque="FQhe/);
  });

  it('computes the SHA-256 response of the RFC example, and prefers SHA-256 when both are offered', () => {
    const c = pickDigestChallenge([header('MD5'), header('SHA-256')])!;
    const v = digestAuthorization(c, creds, 'GET', '/dir/index.html', 1, cnonce);
    assert.match(v, /algorithm=SHA-256, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
  });

  it('keeps a quoted qop list intact (commas inside quotes) and skips unknown algorithms', () => {
    assert.equal(pickDigestChallenge(['Digest realm="r", nonce="n", algorithm=SHA-512-256']), undefined);
    const c = pickDigestChallenge(['Basic realm="x", Digest realm="r", nonce="n", qop="auth-int,auth"'])!;
    assert.match(digestAuthorization(c, creds, 'GET', '/', 1, 'c'), /qop=auth, nc=00000001/);
  });

  it('answers without qop (RFC 2069 style) when the challenge has none', () => {
    const c = pickDigestChallenge(['Digest realm="r", nonce="n"'])!;
    const v = digestAuthorization(c, creds, 'GET', '/', 1, 'c');
    assert.doesNotMatch(v, /qop=|nc=|cnonce=/);
  });
});
