// Text output shows every invisible or reordering character as an escape (zero-width
// characters, all bidi controls, tags, BOM, line separators, lone surrogates...), not only
// U+202A-E; the HTML view does the same. And `http://user:pass@host`: like curl, the user name
// and password go out as Authorization: Basic, never in the request line, with a note saying
// so (or saying they were not sent when the request has its own Authorization); on a redirect
// to another origin they are dropped like any Authorization.

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildReport } from '../../../src/http/explain';
import { escapeHtml, renderHtml } from '../../../src/http/render-html';
import { renderText, visible } from '../../../src/http/render-text';
import { sendRequest } from '../../../src/http/send';
import type { Exchange } from '../../../src/http/types';
import { spec } from '../http/runner-support';
import { httpServer, send, type Tracked } from './support';

/** Code points that must never reach a terminal or the view as themselves. */
const INVISIBLE = [
  ...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x0a && c !== 0x09),
  0x7f, 0x85, 0x9b, 0xad, 0x061c, 0x180e, 0x115f, 0x3164, 0xffa0,
  0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
  0x2028, 0x2029, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069,
  0x206a, 0x206f, 0xfeff, 0xfff9, 0xfffa, 0xfffb,
  0xe0001, 0xe0020, 0xe0041, 0xe007f, 0xe0100, 0xe01ef, 0x1d173, 0x110bd,
];
const chars = INVISIBLE.map((c) => String.fromCodePoint(c));

function hasInvisible(s: string): string | undefined {
  for (const c of chars) if (s.includes(c)) return `U+${c.codePointAt(0)!.toString(16)}`;
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) return 'a lone surrogate';
  return undefined;
}

describe('hardening: invisible and reordering characters are shown, never passed through', () => {
  const hostile = fc.array(fc.oneof(fc.constantFrom(...chars, '\ud800', '\udfff'), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((p) => p.join(''));

  it('visible() and escapeHtml() leave none of them in generated text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        assert.equal(hasInvisible(visible(s)), undefined, JSON.stringify(s));
        assert.equal(hasInvisible(visible(s, true)), undefined, JSON.stringify(s));
        assert.equal(hasInvisible(escapeHtml(s, true)), undefined, JSON.stringify(s));
      }),
      { numRuns: 500, seed: 2028 },
    );
  });

  it('each one is shown as an escape that names it', () => {
    assert.equal(visible('a\u200bb'), 'a\\u200bb');
    assert.equal(visible('\u2066x\u2069'), '\\u2066x\\u2069');
    assert.equal(visible('tag\u{e0041}'), 'tag\\u{e0041}');
    assert.equal(visible('\ufeffBOM'), '\\ufeffBOM');
    assert.equal(visible('keep é ü 日本 😀 ❤️'), 'keep é ü 日本 😀 ❤️', 'ordinary text (and emoji variation selector 16) untouched');
  });

  it('a server putting them in the status text, headers and body: the text and HTML reports carry none', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (statusText, header, body) => {
        const ex: Exchange = {
          request: { method: 'GET', url: 'https://api.example/x', headers: [] },
          response: { status: 401, statusText, headers: [['WWW-Authenticate', `Bearer error="invalid_token", error_description="${header.replace(/"/g, '')}"`], ['X-Note', header]], bodyBytes: body.length, elapsedMs: 1, redirects: [], body },
        };
        const report = buildReport(ex);
        const input = { text: body, contentType: 'text/plain' };
        assert.equal(hasInvisible(renderText(report, input).replace(/\n/g, '')), undefined);
        assert.equal(hasInvisible(renderHtml(report, input).replace(/[\n]/g, '')), undefined);
      }),
      { numRuns: 150, seed: 2029 },
    );
  });
});

describe('hardening: user name and password in the URL', function () {
  this.timeout(30_000);
  let web: Tracked;
  let other: Tracked;
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];
  const seenOther: http.IncomingHttpHeaders[] = [];
  let dir: string;

  before(async () => {
    other = await httpServer((req, res) => {
      seenOther.push(req.headers);
      res.end('other');
    });
    web = await httpServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      if (req.url === '/away') {
        res.writeHead(302, { Location: `${other.base}/landed` });
        return void res.end();
      }
      res.writeHead(req.headers.authorization ? 200 : 401, { 'WWW-Authenticate': 'Basic realm="x"' });
      res.end();
    });
    dir = mkdtempSync(join(tmpdir(), 'authlint-userinfo-'));
    mkdirSync(join(dir, '.git'));
  });
  after(async () => {
    await Promise.all([web.close(), other.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    seen.length = 0;
    seenOther.length = 0;
  });

  it('generated user names and passwords go out as Basic of their decoded text, never in the URL', async () => {
    const part = fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~!$&\'()*+,;=é %'.split('')), minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(part, part, async (user, pass) => {
        seen.length = 0;
        const u = new URL(`${web.base}/me`);
        u.username = user;
        u.password = pass;
        const out = await sendRequest(spec(u.href), { timeoutMs: 5000 });
        assert.ok(out.ok);
        assert.equal(seen[0]!.url, '/me');
        const decoded = Buffer.from(String(seen[0]!.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');
        // Percent-escapes are decoded; a stray "%" that escapes nothing is kept as written.
        const dec = (x: string): string => {
          try {
            return decodeURIComponent(x);
          } catch {
            return x;
          }
        };
        assert.equal(decoded, `${dec(u.username)}:${dec(u.password)}`);
        assert.ok(!out.exchange.request!.url.includes('@'), out.exchange.request!.url);
      }),
      { numRuns: 40, seed: 4040 },
    );
  });

  it('authlint send says what it did with them, and never prints the password', async () => {
    const f = join(dir, 'u.http');
    writeFileSync(f, `GET ${web.base.replace('http://', 'http://alice:s3cret-pass-1@')}/me\n\n###\nGET ${web.base.replace('http://', 'http://alice:s3cret-pass-1@')}/me\nAuthorization: Bearer own-token-123456\n`);
    const r = await send(f, '--line', '1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /u\.http:1: note: the user name and password in the URL are sent as Authorization: Basic \(as curl does\), not in the URL/);
    assert.equal(seen[0]!.headers.authorization, `Basic ${Buffer.from('alice:s3cret-pass-1').toString('base64')}`);
    assert.ok(!(r.out + r.err).includes('s3cret-pass-1'));
    const own = await send(f, '--line', '4');
    assert.match(own.err, /u\.http:4: note: the user name and password in the URL are not sent: the request has its own Authorization header/);
    assert.equal(seen[1]!.headers.authorization, 'Bearer own-token-123456');
  });

  it('the Basic header made from them is dropped on a redirect to another origin', async () => {
    const out = await sendRequest(spec(`${web.base.replace('http://', 'http://bob:pw-777777@')}/away`), { timeoutMs: 5000 });
    assert.ok(out.ok);
    assert.ok(seen[0]!.headers.authorization);
    assert.equal(seenOther[0]!.authorization, undefined);
    assert.deepEqual(out.exchange.response.redirects[0]!.dropped, ['Authorization']);
  });
});
