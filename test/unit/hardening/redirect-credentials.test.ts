// Every header that carries a credential stays with its origin: by name (X-API-Key,
// X-Auth-Token, Api-Key, anything naming a key, token, secret, session, password, signature)
// and by the origin of its value (a private env value, $processEnv, $dotenv). Proven by what a
// second server on another port received, for written and for generated header names, through
// `authlint send` and sendRequest. The report lists what was dropped in every format, and for a
// curl capture it says which credential headers curl sent on (its claim must be true).

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildReport } from '../../../src/http/explain';
import { captureToExchange, parseCapture, parseRawRequest } from '../../../src/http/raw-response';
import { isCredentialName } from '../../../src/http/redact';
import { renderText } from '../../../src/http/render-text';
import { sendRequest } from '../../../src/http/send';
import type { Report } from '../../../src/http/types';
import { spec } from '../http/runner-support';
import { httpServer, send, type Tracked } from './support';

const PRIVATE = 'private-env-value-93ab';
const PROC = 'process-env-value-41cd';
const DOT = 'dotenv-value-77ef';

describe('hardening: credential headers never follow a redirect to another origin', function () {
  this.timeout(60_000);
  let home: Tracked;
  let other: Tracked;
  const atOther: http.IncomingHttpHeaders[] = [];
  const atHome: http.IncomingHttpHeaders[] = [];
  let dir: string;

  before(async () => {
    other = await httpServer((req, res) => {
      atOther.push(req.headers);
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="other"' });
      res.end('who are you?');
    });
    home = await httpServer((req, res) => {
      atHome.push(req.headers);
      const u = new URL(req.url!, 'http://x');
      if (u.pathname === '/away') {
        res.writeHead(Number(u.searchParams.get('status') ?? 302), { Location: `${other.base}/landed` });
        return void res.end();
      }
      if (u.pathname === '/stay') {
        res.writeHead(307, { Location: '/here' });
        return void res.end();
      }
      res.end('home');
    });
    dir = mkdtempSync(join(tmpdir(), 'authlint-redirect-creds-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { home: home.base } }));
    writeFileSync(join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { custom: PRIVATE } }));
    writeFileSync(join(dir, '.env'), `DOT_VALUE=${DOT}\n`);
    const headers = [
      'X-API-Key: key-abc-123456',
      'X-Auth-Token: auth-token-654321',
      'Api-Key: api-key-777777',
      'X-Innocent: {{custom}}',
      'X-Proc: {{$processEnv AUTHLINT_REDIRECT_TEST}}',
      'X-Dot: {{$dotenv DOT_VALUE}}',
      'X-Trace: trace-1',
    ];
    writeFileSync(join(dir, 'r.http'), ['# @name away', 'GET {{home}}/away', ...headers, '', '###', '# @name stay', 'GET {{home}}/stay', ...headers, ''].join('\n'));
    process.env['AUTHLINT_REDIRECT_TEST'] = PROC;
  });
  after(async () => {
    delete process.env['AUTHLINT_REDIRECT_TEST'];
    await Promise.all([home.close(), other.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    atOther.length = 0;
    atHome.length = 0;
  });

  const DROPPED = ['X-API-Key', 'X-Auth-Token', 'Api-Key', 'X-Innocent', 'X-Proc', 'X-Dot'];

  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status}: the other origin gets none of them, only the header that carries nothing secret`, async () => {
      const f = join(dir, `s${status}.http`);
      writeFileSync(f, (await import('node:fs')).readFileSync(join(dir, 'r.http'), 'utf8').replace('/away', `/away?status=${status}`));
      const r = await send(f, '--env', 'dev', '--name', 'away', '--format', 'json');
      assert.equal(r.code, 0, r.err);
      assert.equal(atHome.length, 1);
      assert.equal(atHome[0]!['x-proc'], PROC, 'the first origin got them all');
      assert.equal(atOther.length, 1);
      const got = atOther[0]!;
      for (const n of DROPPED) assert.equal(got[n.toLowerCase()], undefined, `${n} reached the other origin`);
      assert.equal(got['x-trace'], 'trace-1');
      const report = JSON.parse(r.out) as Report;
      assert.deepEqual(report.response!.redirects[0]!.dropped, DROPPED);
      const d = report.diagnosis.find((x) => x.code === 'credentials-dropped-on-redirect');
      assert.ok(d, JSON.stringify(report.diagnosis));
      assert.match(d.detail, /did not reach the other site/);
      for (const s of [PRIVATE, PROC, DOT, 'key-abc-123456']) assert.ok(!r.out.includes(s), `${s} printed`);
    });
  }

  it('text and HTML list what was dropped on the hop', async () => {
    const text = await send(join(dir, 'r.http'), '--env', 'dev', '--name', 'away');
    assert.match(text.out, /302 -> http:\/\/127\.0\.0\.1:\d+\/landed {2}\(dropped before following: X-API-Key, X-Auth-Token, Api-Key, X-Innocent, X-Proc, X-Dot\)/);
    const html = await send(join(dir, 'r.http'), '--env', 'dev', '--name', 'away', '--format', 'html');
    assert.match(html.out, /dropped before following: X-API-Key, X-Auth-Token, Api-Key, X-Innocent, X-Proc, X-Dot/);
  });

  it('a same-origin redirect keeps every header (the drop is about origin)', async () => {
    const r = await send(join(dir, 'r.http'), '--env', 'dev', '--name', 'stay', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    assert.equal(atHome.length, 2);
    assert.equal(atHome[1]!['x-api-key'], 'key-abc-123456');
    assert.equal(atHome[1]!['x-innocent'], PRIVATE);
    assert.equal((JSON.parse(r.out) as Report).response!.redirects[0]!.dropped, undefined);
  });

  it('generated credential-carrying names are dropped, whatever their spelling', async () => {
    const word = fc.constantFrom('key', 'Key', 'token', 'Token', 'auth', 'Auth', 'secret', 'session', 'password', 'passwd', 'signature', 'jwt', 'apikey', 'ApiKey', 'sessionid', 'credential');
    const affix = fc.constantFrom('', 'x-', 'X-', 'my-', 'X-Amz-', 'Private-', 'x_', 'Hub-');
    const tail = fc.constantFrom('', '-id', '-value', '-v2', '_256');
    const name = fc.tuple(affix, word, tail).map(([a, w, t]) => `${a}${w}${t}`);
    await fc.assert(
      fc.asyncProperty(name, async (n) => {
        assert.ok(isCredentialName(n), n);
        atOther.length = 0;
        const out = await sendRequest(spec(`${home.base}/away`, { headers: [[n, 'value-that-is-secret'], ['X-Trace', 't']] }), { timeoutMs: 5000 });
        assert.ok(out.ok);
        assert.equal(atOther.length, 1);
        assert.equal(atOther[0]![n.toLowerCase()], undefined, `${n} crossed`);
        assert.equal(atOther[0]!['x-trace'], 't');
        assert.deepEqual(out.exchange.response.redirects[0]!.dropped, [n]);
      }),
      { numRuns: 40, seed: 1212 },
    );
  });

  it('a header of any name whose value holds a generated secret value is dropped', async () => {
    const secret = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
    await fc.assert(
      fc.asyncProperty(secret, fc.constantFrom('X-Custom', 'X-Tenant', 'Accept-Language', 'X-Whatever'), async (s, n) => {
        atOther.length = 0;
        const out = await sendRequest(spec(`${home.base}/away`, { headers: [[n, `prefix ${s}`], ['X-Trace', 't']] }), { timeoutMs: 5000, secretValues: [s] });
        assert.ok(out.ok);
        assert.equal(atOther[0]![n.toLowerCase()], undefined, `${n}: ${s} crossed`);
        assert.equal(atOther[0]!['x-trace'], 't');
      }),
      { numRuns: 30, seed: 1213 },
    );
  });

  it('a curl capture: the claim says which credentials curl sent on to the other origin', () => {
    const capture = parseCapture(Buffer.from('HTTP/1.1 302 Found\r\nLocation: https://other.example/x\r\n\r\nHTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="o"\r\n\r\n'));
    assert.ok(!('error' in capture));
    const request = parseRawRequest('GET /x HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer tok-123456\r\nX-API-Key: curl-kept-key-1\r\n\r\n');
    assert.ok(!('error' in request));
    const report = buildReport(captureToExchange(capture, request));
    const hop = report.response!.redirects[0]!;
    assert.deepEqual(hop.dropped, ['Authorization']);
    assert.deepEqual(hop.kept, ['X-API-Key']);
    const d = report.diagnosis.find((x) => x.code === 'credentials-dropped-on-redirect');
    assert.ok(d);
    assert.doesNotMatch(d.detail, /did not reach the other site/);
    assert.match(d.detail, /X-API-Key was sent on to https:\/\/other\.example/);
    const text = renderText(report);
    assert.match(text, /sent on to the new origin: X-API-Key/);
    assert.ok(!text.includes('curl-kept-key-1'));
  });
});
