import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as zlib from 'node:zlib';
import { CookieJar, sendRequest } from '../../../src/http/send';
import type { HeaderList } from '../../../src/http/types';
import { close, listen, spec } from './runner-support';


const header = (h: HeaderList, name: string): string | undefined => h.find(([k]) => k.toLowerCase() === name)?.[1];

describe('send: one exchange over node:http', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ method: string; url: string; headers: string[]; body: string }> = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.rawHeaders, body: Buffer.concat(chunks).toString() });
        const u = new URL(req.url!, 'http://x');
        switch (u.pathname) {
          case '/challenges':
            res.setHeader('WWW-Authenticate', ['Basic realm="a"', 'Bearer realm="b", error="invalid_token", error_description="two words"']);
            res.setHeader('Set-Cookie', ['a=1', 'b=2']);
            res.writeHead(401, 'Nope Nope', { 'Content-Type': 'application/json' });
            return res.end('{"x":1}');
          case '/redirect': {
            const status = Number(u.searchParams.get('status'));
            res.writeHead(status, { Location: u.searchParams.get('to') ?? '/echo' });
            return res.end();
          }
          case '/loop':
            res.writeHead(302, { Location: `/loop?n=${Number(u.searchParams.get('n') ?? 0) + 1}` });
            return res.end();
          case '/login':
            res.writeHead(200, { 'Set-Cookie': ['sid=abc; Path=/app; HttpOnly', 'other=1; Path=/elsewhere', 'gone=1; Max-Age=0'] });
            return res.end('ok');
          case '/gzip':
          case '/deflate':
          case '/br': {
            const text = 'compressed hello '.repeat(100);
            const enc = u.pathname.slice(1);
            const data = enc === 'gzip' ? zlib.gzipSync(text) : enc === 'deflate' ? zlib.deflateSync(text) : zlib.brotliCompressSync(text);
            res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': enc });
            return res.end(data);
          }
          case '/big':
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            return res.end(Buffer.alloc(50_000, 'x'));
          case '/huge':
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            return res.end(Buffer.alloc(11 * 1024 * 1024, 'y'));
          case '/bomb':
            res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
            return res.end(zlib.gzipSync(Buffer.alloc(5_000_000, 'a')));
          case '/binary':
            res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
            return res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
          case '/hang-body':
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            return res.write('partial');
          case '/never':
            return; // no answer at all
          case '/reset':
            return req.socket.destroy();
          default:
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            return res.end(`${req.method} ${req.url}`);
        }
      });
    });
    base = await listen(server);
  });
  after(() => close(server));
  beforeEach(() => {
    seen.length = 0;
  });

  it('keeps every response field line from rawHeaders, in order, repeats included', async () => {
    const out = await sendRequest(spec(`${base}/challenges`));
    assert.ok(out.ok);
    const r = out.exchange.response;
    assert.equal(r.status, 401);
    assert.equal(r.statusText, 'Nope Nope');
    assert.deepEqual(r.headers.filter(([k]) => /www-authenticate|set-cookie/i.test(k)), [
      ['WWW-Authenticate', 'Basic realm="a"'],
      ['WWW-Authenticate', 'Bearer realm="b", error="invalid_token", error_description="two words"'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
    assert.equal(r.body, '{"x":1}');
    assert.equal(r.bodyBytes, 7);
  });

  it('sends exactly the recorded header lines', async () => {
    const out = await sendRequest(spec(`${base}/echo`, { method: 'POST', headers: [['X-A', '1'], ['x-a', '2']], body: Buffer.from('hi') }));
    assert.ok(out.ok);
    const sent = out.exchange.request!.headers.flatMap(([k, v]) => [k, v]);
    assert.deepEqual(seen[0]!.headers, sent);
    assert.equal(header(out.exchange.request!.headers, 'content-length'), '2');
    assert.equal(seen[0]!.body, 'hi');
  });

  it('follows a same-origin redirect keeping Authorization, and records the hop', async () => {
    const out = await sendRequest(spec(`${base}/redirect?status=302&to=/echo`, { headers: [['Authorization', 'Bearer t']] }));
    assert.ok(out.ok);
    assert.deepEqual(out.exchange.response.redirects.map((h) => [h.status, h.location, h.dropped]), [[302, `${base}/echo`, undefined]]);
    assert.equal(header(out.exchange.request!.headers, 'authorization'), 'Bearer t');
    assert.equal(out.exchange.originalRequest!.url, `${base}/redirect?status=302&to=/echo`);
  });

  for (const [status, method, expectMethod, keepsBody] of [
    [303, 'PUT', 'GET', false],
    [302, 'POST', 'GET', false],
    [301, 'POST', 'GET', false],
    [302, 'PUT', 'PUT', true],
    [307, 'POST', 'POST', true],
    [308, 'POST', 'POST', true],
  ] as const) {
    it(`${status} after ${method} continues with ${expectMethod}${keepsBody ? ' and the body' : ' without a body'}`, async () => {
      const out = await sendRequest(spec(`${base}/redirect?status=${status}&to=/echo`, { method, headers: [['Content-Type', 'text/plain']], body: Buffer.from('payload') }));
      assert.ok(out.ok);
      assert.equal(seen[1]!.method, expectMethod);
      assert.equal(seen[1]!.body, keepsBody ? 'payload' : '');
      assert.equal(header(out.exchange.request!.headers, 'content-type'), keepsBody ? 'text/plain' : undefined);
    });
  }

  it('does not follow with @no-redirect: the 302 itself is the answer', async () => {
    const out = await sendRequest(spec(`${base}/redirect?status=302&to=/login`, { noRedirect: true }));
    assert.ok(out.ok);
    assert.equal(out.exchange.response.status, 302);
    assert.equal(seen.length, 1);
  });

  it('does not follow a Location that does not parse: the 3xx is the answer', async () => {
    const out = await sendRequest(spec(`${base}/redirect?status=302&to=${encodeURIComponent('http://[bad')}`));
    assert.ok(out.ok);
    assert.equal(out.exchange.response.status, 302);
    assert.equal(seen.length, 1);
  });

  it('stops after 10 redirects with too-many-redirects', async () => {
    const out = await sendRequest(spec(`${base}/loop`));
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'too-many-redirects');
    assert.match(out.error.message, /10 redirects/);
    assert.equal(seen.length, 11);
    assert.equal(out.redirects.length, 11);
  });

  it('keeps cookies in the run jar and sends them back by path; @no-cookie-jar opts out', async () => {
    const jar = new CookieJar();
    await sendRequest(spec(`${base}/login`), { cookieJar: jar });
    const a = await sendRequest(spec(`${base}/app/page`, { headers: [['Cookie', 'mine=1']] }), { cookieJar: jar });
    assert.ok(a.ok);
    assert.equal(header(a.exchange.request!.headers, 'cookie'), 'mine=1; sid=abc');
    await sendRequest(spec(`${base}/other`), { cookieJar: jar });
    assert.equal(seen[2]!.headers.includes('Cookie'), false);
    await sendRequest(spec(`${base}/app/x`, { noCookieJar: true }), { cookieJar: jar });
    assert.equal(seen[3]!.headers.includes('Cookie'), false);
  });

  for (const enc of ['gzip', 'deflate', 'br']) {
    it(`decodes ${enc} bodies`, async () => {
      const out = await sendRequest(spec(`${base}/${enc}`));
      assert.ok(out.ok);
      assert.equal(out.exchange.response.body, 'compressed hello '.repeat(100));
      assert.equal(out.exchange.response.bodyBytes, 1700);
    });
  }

  it('keeps at most maxBodyBytes, counts the rest and marks the body truncated', async () => {
    const out = await sendRequest(spec(`${base}/big`), { maxBodyBytes: 1000 });
    assert.ok(out.ok);
    assert.equal(out.exchange.response.body!.length, 1000);
    assert.equal(out.exchange.response.bodyBytes, 50_000);
    assert.equal(out.exchange.response.bodyTruncated, true);
  });

  it('keeps 10 MB by default of an 11 MB body', async () => {
    const out = await sendRequest(spec(`${base}/huge`));
    assert.ok(out.ok);
    assert.equal(out.exchange.response.body!.length, 10 * 1024 * 1024);
    assert.equal(out.exchange.response.bodyBytes, 11 * 1024 * 1024);
    assert.equal(out.exchange.response.bodyTruncated, true);
  });

  it('stops decompressing past the decompressed-size cap', async () => {
    const out = await sendRequest(spec(`${base}/bomb`), { maxBodyBytes: 1000, maxDecodedBytes: 100_000 });
    assert.ok(out.ok);
    assert.equal(out.exchange.response.bodyTruncated, true);
    assert.ok(out.exchange.response.bodyBytes < 5_000_000, `decoded ${out.exchange.response.bodyBytes}`);
  });

  it('detects binary bodies and leaves their text out', async () => {
    const out = await sendRequest(spec(`${base}/binary`));
    assert.ok(out.ok);
    assert.equal(out.exchange.response.bodyBinary, true);
    assert.equal(out.exchange.response.body, undefined);
    assert.equal(out.exchange.response.bodyBytes, 7);
  });

  it('times out when the server never answers, and says so', async () => {
    const out = await sendRequest(spec(`${base}/never`), { timeoutMs: 200 });
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'timeout');
    assert.match(out.error.message, /no response headers within 200 ms/);
  });

  it('times out when the body stops arriving', async () => {
    const out = await sendRequest(spec(`${base}/hang-body`), { timeoutMs: 200 });
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'timeout');
    assert.match(out.error.message, /body stopped arriving/);
  });

  it('classifies a connection the server drops as reset', async () => {
    const out = await sendRequest(spec(`${base}/reset`));
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'reset');
  });

  it('classifies a closed port as refused and an unknown host as dns', async () => {
    const tmp = http.createServer();
    const url = await listen(tmp);
    await close(tmp);
    const refused = await sendRequest(spec(`${url}/`));
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'refused');
    assert.match(refused.error.message, /Is the server running/);
    const dns = await sendRequest(spec('http://no-such-host.invalid/'), { timeoutMs: 5000 });
    assert.ok(!dns.ok);
    assert.equal(dns.error.code, 'dns');
    assert.match(dns.error.message, /no-such-host\.invalid could not be resolved/);
  });
});
