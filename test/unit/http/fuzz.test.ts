// Deterministic random inputs through the whole explain pipeline: nothing throws, and the HTML
// never contains an element that did not come from the renderer.
import * as assert from 'node:assert/strict';
import { checkChallenges, parseChallenges } from '../../../src/http/challenge';
import { parseCredentials } from '../../../src/http/credentials';
import { buildReport } from '../../../src/http/explain';
import { decodeJwt } from '../../../src/http/jwt';
import { captureToExchange, parseCapture, parseRawRequest } from '../../../src/http/raw-response';
import { renderHtml } from '../../../src/http/render-html';
import { renderText } from '../../../src/http/render-text';
import { bodyOf } from '../../../src/http/body-view';

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['Basic', 'Bearer', 'Digest', ' ', ',', '=', '"', '\\', 'realm', 'error', 'invalid_token', 'insufficient_scope', 'scope', 'stale=true', '<script>', '\u0000', '\u001b', 'é', 'eyJhbGciOiJIUzI1NiJ9', '.', 'e30', '\t', 'resource_metadata="x"', ';', 'Max-Age=0'];
const HEADERS = ['WWW-Authenticate', 'Proxy-Authenticate', 'Set-Cookie', 'Location', 'Date', 'Content-Type', 'X-<img>'];

describe('fuzz: random challenges, credentials and captures', () => {
  const rand = rng(20261124);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)] as T;
  const junk = (n: number): string => Array.from({ length: n }, () => pick(PIECES)).join('');

  it('parses 3000 random challenge and credential strings without throwing, with ranges inside the input', () => {
    for (let i = 0; i < 3000; i++) {
      const s = junk(1 + Math.floor(rand() * 12));
      const holes: Array<[number, number]> = rand() < 0.3 ? [[Math.floor(rand() * s.length), s.length]] : [];
      for (const p of [...parseChallenges(s).problems, ...checkChallenges(s, holes)]) {
        assert.ok(p.start >= 0 && p.start <= p.end && p.end <= s.length, `${JSON.stringify(s)} ${p.code} ${p.start}-${p.end}`);
      }
      parseCredentials(s);
      decodeJwt(s);
    }
  });

  it('explains and renders 300 random captures', () => {
    for (let i = 0; i < 300; i++) {
      const status = pick([200, 301, 302, 400, 401, 403, 407, 500]);
      const lines = [`HTTP/1.1 ${status} ${junk(2)}`];
      for (let h = 0; h < 4; h++) lines.push(`${pick(HEADERS)}: ${junk(6)}`);
      const capture = parseCapture(Buffer.from(`${lines.join('\r\n')}\r\n\r\n${junk(10)}`, 'utf8'));
      assert.ok(!('error' in capture));
      const request = parseRawRequest(`GET /api/x HTTP/1.1\r\nHost: a.example\r\nAuthorization: ${junk(4)}\r\nCookie: sid=${junk(2)}\r\n\r\n`);
      assert.ok(!('error' in request));
      const exchange = captureToExchange(capture, request);
      const report = buildReport(exchange);
      assert.ok(report.diagnosis.every((d) => !d.title.startsWith('Internal error')), JSON.stringify(report.diagnosis));
      renderText(report, bodyOf(exchange.response));
      const html = renderHtml(report, bodyOf(exchange.response));
      const ours = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'section', 'div', 'span', 'p', 'table', 'tr', 'td', 'pre']);
      for (const m of html.matchAll(/<\/?([a-zA-Z!][\w-]*)/g)) assert.ok(ours.has((m[1] ?? '').toLowerCase()), m[0]);
    }
  });
});
