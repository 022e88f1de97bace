// Diagnosis codes the framework suites do not reach, each from a real exchange with a plain
// node:http server (or a real proxy): dropped credentials, stale and SHA-256 Digest, RFC 9728
// resource metadata, an expired session cookie, a proxy's 407.

import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { close, listen } from './runner-support';
import { clean, includes, sendAndExplain } from './live-support';

function digestParams(value: string | undefined): Record<string, string> {
  const p: Record<string, string> = {};
  for (const m of (value ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]!] = m[2] ?? m[3] ?? '';
  return p;
}

describe('live exchanges for the remaining diagnosis codes', () => {
  let a: http.Server, b: http.Server, proxy: http.Server;
  let baseA: string, baseB: string, proxyUrl: string;
  const nonces = new Set<string>();

  before(async () => {
    b = http.createServer((req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="b"', 'Content-Type': 'application/json' });
      res.end(`{"authorization":${JSON.stringify(req.headers.authorization ?? null)}}`);
    });
    baseB = await listen(b);
    a = http.createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
      switch (u.pathname) {
        case '/moved':
          res.writeHead(301, { Location: `${baseB}/api` });
          return res.end();
        case '/stale':
          res.writeHead(401, { 'WWW-Authenticate': `Digest realm="r", nonce="${randomBytes(8).toString('hex')}", qop="auth", stale=true` });
          return res.end();
        case '/sha256': {
          const p = digestParams(req.headers.authorization);
          const ha1 = sha(`carol:sha-realm:c4rol pw`);
          const ha2 = sha(`${req.method}:${p['uri']}`);
          const good = nonces.has(p['nonce'] ?? '') && p['algorithm'] === 'SHA-256' && p['response'] === sha(`${ha1}:${p['nonce']}:${p['nc']}:${p['cnonce']}:${p['qop']}:${ha2}`);
          if (good) {
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            return res.end('sha ok');
          }
          const nonce = randomBytes(12).toString('hex');
          nonces.add(nonce);
          // Two challenges: the SHA-256 one must be preferred over MD5.
          res.setHeader('WWW-Authenticate', [`Digest realm="sha-realm", nonce="${nonce}", qop="auth", algorithm=MD5`, `Digest realm="sha-realm", nonce="${nonce}", qop="auth", algorithm=SHA-256`]);
          res.writeHead(401);
          return res.end();
        }
        case '/mcp':
          res.writeHead(401, { 'WWW-Authenticate': `Bearer resource_metadata="${baseA}/.well-known/oauth-protected-resource"` });
          return res.end();
        case '/account':
          if (/(^|;\s*)sid=old/.test(req.headers.cookie ?? '')) {
            res.writeHead(401, { 'Set-Cookie': 'sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'WWW-Authenticate': 'Cookie realm="app"' });
            return res.end();
          }
          res.writeHead(200);
          return res.end();
        default:
          res.writeHead(404);
          return res.end();
      }
    });
    baseA = await listen(a);
    proxy = http.createServer((_req, res) => {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="corporate proxy"' });
      res.end();
    });
    proxyUrl = await listen(proxy);
  });
  after(async () => {
    await Promise.all([close(a), close(b), close(proxy)]);
  });

  it('credentials-dropped-on-redirect: 301 to another origin, then 401 there', async () => {
    const r = await sendAndExplain(`GET ${baseA}/moved\nAuthorization: Bearer abc.def.ghi`);
    assert.equal(r.exchange.response.body, '{"authorization":null}');
    assert.deepEqual(r.exchange.response.redirects[0]!.dropped, ['Authorization']);
    includes(r, 'credentials-dropped-on-redirect');
  });

  it('digest-stale: the server keeps saying stale=true; one stale retry, then explained', async () => {
    const r = await sendAndExplain(`GET ${baseA}/stale\nAuthorization: Digest dave pw`);
    assert.equal(r.exchange.response.status, 401);
    assert.match(r.exchange.request!.headers.find(([k]) => k === 'Authorization')![1], /^Digest username="dave"/);
    includes(r, 'digest-stale');
  });

  it('SHA-256 Digest (RFC 7616) is preferred over MD5 and answered', async () => {
    const r = await sendAndExplain(`GET ${baseA}/sha256\nAuthorization: Digest carol c4rol pw`);
    clean(r);
    assert.equal(r.exchange.response.body, 'sha ok');
    assert.match(r.exchange.request!.headers.find(([k]) => k === 'Authorization')![1], /algorithm=SHA-256, response="[0-9a-f]{64}"/);
  });

  it('resource-metadata: a Bearer challenge naming resource_metadata (RFC 9728)', async () => {
    const r = await sendAndExplain(`GET ${baseA}/mcp`);
    includes(r, 'resource-metadata', 'no-credentials');
    assert.ok(r.diagnosis.find((d) => d.code === 'resource-metadata')!.detail.includes('/.well-known/oauth-protected-resource'));
  });

  it('session-expired: the cookie sent is cleared by the response', async () => {
    includes(await sendAndExplain(`GET ${baseA}/account\nCookie: sid=old; theme=dark`), 'session-expired');
  });

  it('proxy-auth-required: a real proxy answers 407', async () => {
    const r = await sendAndExplain('GET http://api.example.invalid/data', { env: { HTTP_PROXY: proxyUrl } });
    assert.equal(r.exchange.response.status, 407);
    includes(r, 'proxy-auth-required');
  });
});
