import * as assert from 'node:assert/strict';
import { CookieJar } from '../../../src/http/send-cookies';
import { classifyError } from '../../../src/http/send-errors';
import { proxyAuthFromUrl, proxyFor } from '../../../src/http/send-proxy';

const u = (s: string): URL => new URL(s);

describe('send parts: cookie jar', () => {
  it('scopes host-only cookies to the host and Domain cookies to subdomains', () => {
    const jar = new CookieJar();
    jar.store('a=1', u('http://api.example.com/'));
    jar.store('b=2; Domain=example.com', u('http://api.example.com/'));
    assert.equal(jar.store('c=3; Domain=other.com', u('http://api.example.com/')), false);
    assert.equal(jar.header(u('http://api.example.com/x')), 'a=1; b=2');
    assert.equal(jar.header(u('http://www.example.com/x')), 'b=2');
    assert.equal(jar.header(u('http://other.com/')), undefined);
  });

  it('honours Path, Secure, Max-Age and Expires, and replaces by name/domain/path', () => {
    const jar = new CookieJar();
    const t = Date.UTC(2026, 0, 1);
    jar.store('p=1; Path=/app', u('http://h/'), t);
    jar.store('s=1; Secure', u('https://h/'), t);
    jar.store('m=1; Max-Age=60', u('http://h/'), t);
    jar.store('e=1; Expires=Wed, 01 Jan 2025 00:00:00 GMT', u('http://h/'), t);
    assert.equal(jar.header(u('http://h/app/x'), t), 'p=1; m=1');
    assert.equal(jar.header(u('http://h/application'), t), 'm=1');
    assert.equal(jar.header(u('https://h/'), t), 's=1; m=1');
    assert.equal(jar.header(u('http://h/'), t + 61_000), undefined);
    jar.store('m=2; Max-Age=60', u('http://h/'), t);
    jar.store('m=; Max-Age=0', u('http://h/'), t);
    assert.equal(jar.header(u('http://h/'), t), undefined);
  });
});

describe('send parts: proxy environment', () => {
  it('picks HTTP_PROXY / HTTPS_PROXY by scheme, lower-case forms too', () => {
    assert.equal(proxyFor(u('http://a.example/'), { HTTP_PROXY: 'http://p:8080' })?.host, 'p:8080');
    assert.equal(proxyFor(u('https://a.example/'), { https_proxy: 'p2:3128' })?.href, 'http://p2:3128/');
    assert.equal(proxyFor(u('https://a.example/'), { HTTP_PROXY: 'http://p:8080' }), undefined);
  });

  it('NO_PROXY: *, suffixes, leading dots, ports; loopback always direct', () => {
    const env = (no: string) => ({ HTTP_PROXY: 'http://p:1', NO_PROXY: no });
    assert.equal(proxyFor(u('http://a.example/'), env('*')), undefined);
    assert.equal(proxyFor(u('http://api.corp.local/'), env('corp.local')), undefined);
    assert.equal(proxyFor(u('http://api.corp.local/'), env('.corp.local')), undefined);
    assert.equal(proxyFor(u('http://corp.local.evil/'), env('corp.local'))?.host, 'p:1');
    assert.equal(proxyFor(u('http://h:8080/'), env('h:9090'))?.host, 'p:1');
    assert.equal(proxyFor(u('http://h:9090/'), env('h:9090')), undefined);
    assert.equal(proxyFor(u('http://127.0.0.1:5/'), env('')), undefined);
    assert.equal(proxyFor(u('http://localhost:5/'), { HTTP_PROXY: 'http://p:1' }), undefined);
  });

  it('builds Basic Proxy-Authorization from the proxy URL user info', () => {
    assert.equal(proxyAuthFromUrl(u('http://us%40r:p%3Ass@p:1')), `Basic ${Buffer.from('us@r:p:ss').toString('base64')}`);
    assert.equal(proxyAuthFromUrl(u('http://p:1')), undefined);
  });
});

describe('send parts: failure classification', () => {
  const target = u('https://api.example.com/x');
  const err = (code: string, message = 'm') => Object.assign(new Error(message), { code });
  for (const [code, expected] of [
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['ETIMEDOUT', 'timeout'],
    ['EHOSTUNREACH', 'unreachable'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls-self-signed'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls-self-signed'],
    ['CERT_HAS_EXPIRED', 'tls-expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-hostname'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['EWHATEVER', 'other'],
  ] as const) {
    it(`${code} -> ${expected}`, () => {
      const f = classifyError(err(code), target);
      assert.equal(f.code, expected);
      assert.ok(f.message.length > 20);
    });
  }
});
