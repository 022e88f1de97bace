// Credentials never follow a redirect to another origin, https -> http on the same host AND the
// same port included, and a cookie received over https never goes out over plain http. Proven
// by what the servers recorded: one port that speaks both TLS and plain HTTP (the first byte
// decides), and a second server on another port.

import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { generate } from 'selfsigned';
import { CookieJar, sendRequest } from '../../../src/http/send';
import { spec } from '../http/runner-support';
import { track, type Tracked } from './support';

type Seen = { scheme: string; url: string; headers: Record<string, string | string[] | undefined> };
const CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];
const creds = (s: Seen): string[] => CREDENTIALS.filter((k) => s.headers[k] !== undefined);

describe('hardening: credentials never cross to another origin or down to plain http', function () {
  this.timeout(30_000);
  const seen: Seen[] = [];
  const seenOther: Seen[] = [];
  let dual: Tracked;
  let other: Tracked;
  let httpsBase: string;
  let httpBase: string;
  let ca: string;

  before(async () => {
    const handler = (scheme: string): http.RequestListener => (req, res) => {
      seen.push({ scheme, url: req.url!, headers: req.headers });
      const u = new URL(req.url!, 'http://x');
      if (u.pathname === '/to') {
        const headers: http.OutgoingHttpHeaders = { Location: u.searchParams.get('where')! };
        if (u.searchParams.has('set')) headers['Set-Cookie'] = `${u.searchParams.get('set')}; Path=/`;
        res.writeHead(Number(u.searchParams.get('status') ?? 302), headers);
        return void res.end();
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`${scheme} ok`);
    };
    const pem = await generate([{ name: 'commonName', value: 'authlint-dual' }], { keyType: 'ec', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
    ca = pem.cert;
    const tlsSide = https.createServer({ key: pem.private, cert: pem.cert }, handler('https'));
    const plainSide = http.createServer(handler('http'));
    // One port, two protocols: a TLS ClientHello starts with 0x16.
    dual = await track(net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (first: Buffer) => {
        socket.pause();
        socket.unshift(first);
        (first[0] === 0x16 ? tlsSide : plainSide).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    }));
    httpsBase = dual.base.replace('http:', 'https:');
    httpBase = dual.base;
    other = await track(http.createServer((req, res) => {
      seenOther.push({ scheme: 'http', url: req.url!, headers: req.headers });
      res.end('other');
    }));
  });
  after(async () => {
    await Promise.all([dual.close(), other.close()]);
  });
  beforeEach(() => {
    seen.length = 0;
    seenOther.length = 0;
  });

  const withCreds = { headers: [['Authorization', 'Bearer same-port-secret'], ['Cookie', 'sid=written-by-user'], ['Proxy-Authorization', 'Basic cHU6cHA=']] as Array<[string, string]> };

  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} from https to http on the same host and port: nothing reaches the plain side`, async () => {
      const out = await sendRequest(spec(`${httpsBase}/to?status=${status}&where=${encodeURIComponent(`${httpBase}/plain`)}`, withCreds), { ca, timeoutMs: 5000 });
      assert.ok(out.ok, JSON.stringify(!out.ok && out.error));
      assert.deepEqual(seen.map((s) => s.scheme), ['https', 'http']);
      assert.deepEqual(creds(seen[0]!), CREDENTIALS);
      assert.deepEqual(creds(seen[1]!), []);
      assert.deepEqual(out.exchange.response.redirects[0]!.dropped, ['Authorization', 'Cookie', 'Proxy-Authorization']);
    });
  }

  it('a cookie set over https (without Secure) is not sent on to plain http, same host and port', async () => {
    const jar = new CookieJar();
    const where = encodeURIComponent(`${httpBase}/plain`);
    const out = await sendRequest(spec(`${httpsBase}/to?set=${encodeURIComponent('session=set-over-https')}&where=${where}`), { ca, cookieJar: jar, timeoutMs: 5000 });
    assert.ok(out.ok);
    assert.equal(seen[1]!.scheme, 'http');
    assert.equal(seen[1]!.headers.cookie, undefined, `cookie sent over http: ${seen[1]!.headers.cookie}`);
    // ...nor in a later request of the same run; over https it still goes back.
    await sendRequest(spec(`${httpBase}/later`), { cookieJar: jar, timeoutMs: 5000 });
    assert.equal(seen[2]!.headers.cookie, undefined);
    await sendRequest(spec(`${httpsBase}/later`), { ca, cookieJar: jar, timeoutMs: 5000 });
    assert.equal(seen[3]!.headers.cookie, 'session=set-over-https');
  });

  it('a redirect to another port: the second server receives no credential, not even the jar cookie', async () => {
    const jar = new CookieJar();
    const where = encodeURIComponent(`${other.base}/landed`);
    const out = await sendRequest(spec(`${httpBase}/to?set=${encodeURIComponent('sid=origin-cookie')}&where=${where}`, withCreds), { cookieJar: jar, timeoutMs: 5000 });
    assert.ok(out.ok);
    assert.equal(seenOther.length, 1);
    assert.deepEqual(creds(seenOther[0]!), [], JSON.stringify(seenOther[0]!.headers));
  });

  it('a same-origin redirect keeps the credentials (the drop is about origin, not every hop)', async () => {
    const out = await sendRequest(spec(`${httpsBase}/to?where=%2Fnext`, withCreds), { ca, timeoutMs: 5000 });
    assert.ok(out.ok);
    assert.deepEqual(creds(seen[1]!), CREDENTIALS);
    assert.equal(seen[1]!.scheme, 'https');
  });
});
