// Cross-origin redirects, TLS verification and proxies, each against real servers on 127.0.0.1.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { generate } from 'selfsigned';
import { sendRequest } from '../../../src/http/send';
import { close, listen, spec } from './runner-support';

type Seen = { url: string; headers: string[] };

function recorder(log: Seen[], handler?: http.RequestListener): http.RequestListener {
  return (req, res) => {
    log.push({ url: req.url!, headers: req.rawHeaders });
    if (handler) return handler(req, res);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('seen');
  };
}

const names = (s: Seen | undefined): string[] => (s?.headers ?? []).filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());

async function cert(cn: string, dates?: { notBeforeDate: Date; notAfterDate: Date }) {
  return generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    ...(dates ?? {}),
  });
}

describe('send: origins, TLS and proxies (real servers)', () => {
  const seenA: Seen[] = [];
  const seenB: Seen[] = [];
  const seenH: Seen[] = [];
  let a: http.Server, b: http.Server, h: https.Server, expired: https.Server;
  let baseA: string, baseB: string, baseH: string, baseExpired: string;
  let pem: { cert: string; private: string };
  let oldPem: { cert: string; private: string };

  before(async () => {
    b = http.createServer(recorder(seenB));
    baseB = await listen(b);
    const redirectTo = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const to = new URL(req.url!, 'http://x').searchParams.get('to');
      res.writeHead(302, { Location: to ?? `${baseB}/landed` });
      res.end();
    };
    a = http.createServer(recorder(seenA, redirectTo));
    baseA = await listen(a);
    pem = await cert('authlint-test');
    h = https.createServer({ key: pem.private, cert: pem.cert }, recorder(seenH, (req, res) => (req.url!.startsWith('/to') ? redirectTo(req, res) : (res.writeHead(200), res.end('secure')))));
    baseH = await listen(h, 'https');
    oldPem = await cert('authlint-expired', { notBeforeDate: new Date('2020-01-01T00:00:00Z'), notAfterDate: new Date('2020-02-01T00:00:00Z') });
    expired = https.createServer({ key: oldPem.private, cert: oldPem.cert }, (_q, r) => r.end('old'));
    baseExpired = await listen(expired, 'https');
  });
  after(async () => {
    await Promise.all([close(a), close(b), close(h), close(expired)]);
  });
  beforeEach(() => {
    seenA.length = seenB.length = seenH.length = 0;
  });

  it('drops Authorization, Cookie and Proxy-Authorization on a redirect to another port, and records them', async () => {
    const out = await sendRequest(spec(`${baseA}/start`, { headers: [['Authorization', 'Bearer secret-token'], ['Cookie', 'sid=1'], ['Proxy-Authorization', 'Basic eDp5'], ['X-Keep', 'yes']] }));
    assert.ok(out.ok);
    assert.deepEqual(names(seenA[0]).filter((n) => ['authorization', 'cookie', 'proxy-authorization'].includes(n)), ['authorization', 'cookie', 'proxy-authorization']);
    // The second server proves it: none of the credentials reached it.
    assert.equal(seenB.length, 1);
    assert.deepEqual(names(seenB[0]).filter((n) => ['authorization', 'cookie', 'proxy-authorization'].includes(n)), []);
    assert.ok(names(seenB[0]).includes('x-keep'));
    const hop = out.exchange.response.redirects[0]!;
    assert.equal(hop.status, 302);
    assert.equal(hop.location, `${baseB}/landed`);
    assert.deepEqual(hop.dropped, ['Authorization', 'Cookie', 'Proxy-Authorization']);
    assert.ok(hop.headers!.some(([k]) => k === 'Location'));
    assert.equal(out.exchange.originalRequest!.headers.find(([k]) => k === 'Authorization')?.[1], 'Bearer secret-token');
  });

  it('drops credentials on an https -> http downgrade', async () => {
    const out = await sendRequest(spec(`${baseH}/to?to=${encodeURIComponent(`${baseB}/plain`)}`, { headers: [['Authorization', 'Basic dTpw']] }), { ca: pem.cert });
    assert.ok(out.ok);
    assert.ok(names(seenH[0]).includes('authorization'));
    assert.ok(!names(seenB[0]).includes('authorization'));
    assert.deepEqual(out.exchange.response.redirects[0]!.dropped, ['Authorization']);
  });

  it('rejects a self-signed certificate in plain words, and accepts it with insecure', async () => {
    const out = await sendRequest(spec(`${baseH}/x`));
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'tls-self-signed');
    assert.match(out.error.message, /self-signed/);
    assert.match(out.error.message, /--insecure/);
    assert.equal(seenH.length, 0);
    const ok = await sendRequest(spec(`${baseH}/x`), { insecure: true });
    assert.ok(ok.ok);
    assert.equal(ok.exchange.response.body, 'secure');
  });

  it('says when the certificate does not name the host', async () => {
    const out = await sendRequest(spec(baseH.replace('127.0.0.1', 'localhost') + '/x'), { ca: pem.cert });
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'tls-hostname');
    assert.match(out.error.message, /does not name localhost/);
  });

  it('says when the certificate has expired', async () => {
    const out = await sendRequest(spec(`${baseExpired}/`), { ca: oldPem.cert });
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'tls-expired');
    assert.match(out.error.message, /has expired/);
  });

  describe('through HTTP_PROXY / HTTPS_PROXY', () => {
    let proxy: http.Server;
    let proxyUrl: string;
    const sockets = new Set<net.Socket>();
    const log: Array<{ kind: 'request' | 'connect'; target: string; auth?: string }> = [];
    let requireAuth: 'none' | 'basic' | 'digest' = 'none';
    const DIGEST = { realm: 'proxy-realm', nonce: 'n0nce', user: 'pu', pass: 'pp' };

    function authorized(value: string | undefined, method: string, uri: string): boolean {
      if (requireAuth === 'none') return true;
      if (requireAuth === 'basic') return value === `Basic ${Buffer.from('pu:pp').toString('base64')}`;
      const p: Record<string, string> = {};
      for (const m of (value ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]!] = m[2] ?? m[3] ?? '';
      const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
      const ha1 = md5(`${DIGEST.user}:${DIGEST.realm}:${DIGEST.pass}`);
      const ha2 = md5(`${method}:${p['uri']}`);
      return !!value?.startsWith('Digest ') && p['uri'] === uri && p['response'] === md5(`${ha1}:${DIGEST.nonce}:${p['nc']}:${p['cnonce']}:auth:${ha2}`);
    }
    const challenge = (): string => (requireAuth === 'basic' ? 'Basic realm="corp"' : `Digest realm="${DIGEST.realm}", nonce="${DIGEST.nonce}", qop="auth,auth-int", algorithm=MD5`);

    before(async () => {
      proxy = http.createServer((req, res) => {
        const auth = req.headers['proxy-authorization'];
        log.push({ kind: 'request', target: req.url!, ...(auth ? { auth } : {}) });
        if (!authorized(auth, req.method!, new URL(req.url!).pathname)) {
          res.writeHead(407, { 'Proxy-Authenticate': challenge() });
          return res.end();
        }
        const u = new URL(req.url!);
        const headers = { ...req.headers };
        delete headers['proxy-authorization'];
        const up = http.request({ host: '127.0.0.1', port: new URL(baseB).port, path: u.pathname + u.search, method: req.method, headers }, (r) => {
          res.writeHead(r.statusCode!, r.rawHeaders);
          r.pipe(res);
        });
        return req.pipe(up);
      });
      proxy.on('connection', (s: net.Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
        const auth = req.headers['proxy-authorization'];
        log.push({ kind: 'connect', target: req.url!, ...(auth ? { auth } : {}) });
        if (!authorized(auth, 'CONNECT', req.url!)) {
          socket.end(`HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: ${challenge()}\r\nContent-Length: 0\r\n\r\n`);
          return;
        }
        const up = net.connect(Number(new URL(baseH).port), '127.0.0.1', () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          up.pipe(socket);
          socket.pipe(up);
        });
        sockets.add(up);
        up.on('close', () => sockets.delete(up));
        up.on('error', () => socket.destroy());
        socket.on('error', () => up.destroy());
      });
      proxyUrl = await listen(proxy);
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await close(proxy);
    });
    beforeEach(() => {
      log.length = 0;
      requireAuth = 'none';
    });

    it('sends http requests to the proxy in absolute-form', async () => {
      const out = await sendRequest(spec('http://target.invalid/via-proxy?q=1'), { env: { HTTP_PROXY: proxyUrl } });
      assert.ok(out.ok, JSON.stringify(!out.ok && out.error));
      assert.deepEqual(log, [{ kind: 'request', target: 'http://target.invalid/via-proxy?q=1' }]);
      assert.equal(seenB[0]!.url, '/via-proxy?q=1');
    });

    it('tunnels https with CONNECT', async () => {
      const out = await sendRequest(spec('https://secure.invalid/tunnel'), { env: { HTTPS_PROXY: proxyUrl }, insecure: true });
      assert.ok(out.ok, JSON.stringify(!out.ok && out.error));
      assert.deepEqual(log, [{ kind: 'connect', target: 'secure.invalid:443' }]);
      assert.equal(seenH[0]!.url, '/tunnel');
      assert.equal(out.exchange.response.body, 'secure');
    });

    it('honours NO_PROXY and always bypasses loopback', async () => {
      const out = await sendRequest(spec(`${baseB}/direct`), { env: { HTTP_PROXY: proxyUrl } });
      assert.ok(out.ok);
      assert.equal(log.length, 0);
      const skipped = await sendRequest(spec('http://target.invalid/x'), { env: { HTTP_PROXY: proxyUrl, NO_PROXY: 'example.com,.invalid' }, timeoutMs: 5000 });
      assert.ok(!skipped.ok);
      assert.equal(skipped.error.code, 'dns');
      assert.equal(log.length, 0);
    });

    it('returns the proxy 407 as the response, for http and for a refused CONNECT', async () => {
      requireAuth = 'basic';
      const plain = await sendRequest(spec('http://target.invalid/x'), { env: { HTTP_PROXY: proxyUrl } });
      assert.ok(plain.ok);
      assert.equal(plain.exchange.response.status, 407);
      assert.deepEqual(plain.exchange.response.headers.find(([k]) => k === 'Proxy-Authenticate'), ['Proxy-Authenticate', 'Basic realm="corp"']);
      const tunnel = await sendRequest(spec('https://secure.invalid/x'), { env: { HTTPS_PROXY: proxyUrl } });
      assert.ok(tunnel.ok);
      assert.equal(tunnel.exchange.response.status, 407);
      assert.equal(seenH.length, 0);
    });

    it('uses credentials from the proxy URL, and never shows them to the origin through a tunnel', async () => {
      requireAuth = 'basic';
      const auth = `http://pu:pp@${new URL(proxyUrl).host}`;
      const plain = await sendRequest(spec('http://target.invalid/x'), { env: { HTTP_PROXY: auth } });
      assert.ok(plain.ok);
      assert.equal(plain.exchange.response.status, 200);
      const tunnel = await sendRequest(spec('https://secure.invalid/x', { headers: [['Proxy-Authorization', `Basic ${Buffer.from('pu:pp').toString('base64')}`]] }), { env: { HTTPS_PROXY: proxyUrl }, insecure: true });
      assert.ok(tunnel.ok);
      assert.equal(tunnel.exchange.response.status, 200);
      assert.ok(!names(seenH[0]).includes('proxy-authorization'));
    });

    it('answers a Digest 407 from the proxy automatically (Proxy-Authorization: Digest user pass)', async () => {
      requireAuth = 'digest';
      const out = await sendRequest(spec('http://target.invalid/digest', { proxyDigest: { user: 'pu', password: 'pp' } }), { env: { HTTP_PROXY: proxyUrl } });
      assert.ok(out.ok);
      assert.equal(out.exchange.response.status, 200);
      assert.equal(log.length, 2);
      assert.equal(log[0]!.auth, undefined);
      assert.match(log[1]!.auth!, /^Digest username="pu", realm="proxy-realm", nonce="n0nce", uri="\/digest", algorithm=MD5, response="[0-9a-f]{32}", qop=auth, nc=00000001, cnonce="[0-9a-f]{32}"$/);
    });

    it('answers a Digest 407 to CONNECT for host:port', async () => {
      requireAuth = 'digest';
      const out = await sendRequest(spec('https://secure.invalid/t', { proxyDigest: { user: 'pu', password: 'pp' } }), { env: { HTTPS_PROXY: proxyUrl }, insecure: true });
      assert.ok(out.ok);
      assert.equal(out.exchange.response.status, 200);
      assert.deepEqual(log.map((l) => l.kind), ['connect', 'connect']);
      assert.match(log[1]!.auth!, /uri="secure\.invalid:443"/);
    });
  });
});
