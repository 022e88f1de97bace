// Redaction searches values, never our own sentences. A private value that happens to be a
// word of a diagnosis ("account", "server", "token") must leave the sentence whole; a secret
// quoted into a sentence (a URL, the server's error_description) must still be hidden. Checked
// over every diagnosis of the golden captures (every code) with every prose word as the secret,
// and over generated words, plus the case from the report: a Basic password "account".

import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildReport } from '../../../src/http/explain';
import { captureToExchange, parseCapture, parseRawRequest } from '../../../src/http/raw-response';
import { redactReport } from '../../../src/http/redact';
import { renderText } from '../../../src/http/render-text';
import { textSpans } from '../../../src/http/say';
import type { Exchange, Report } from '../../../src/http/types';
import { exchangesDir } from '../http/explain-support';

function goldenReports(): Array<{ name: string; report: Report }> {
  const out: Array<{ name: string; report: Report }> = [];
  for (const name of readdirSync(exchangesDir()).sort()) {
    const dir = join(exchangesDir(), name);
    if (!statSync(dir).isDirectory()) continue;
    const capture = parseCapture(readFileSync(join(dir, 'response.txt')));
    if ('error' in capture) continue;
    let request;
    if (existsSync(join(dir, 'request.txt'))) {
      const r = parseRawRequest(readFileSync(join(dir, 'request.txt'), 'utf8'));
      if (!('error' in r)) request = r;
    }
    out.push({ name, report: buildReport(captureToExchange(capture, request), new Date('2026-01-01T00:00:00Z')) });
  }
  return out;
}

/** Everything of a report that came from the request or the server (not our words). */
function valuesOf(r: Report): string {
  return [r.request.url, ...r.request.headers.flat(), ...(r.response?.headers.flat() ?? []), ...(r.response?.redirects.map((h) => h.location) ?? [])].join('\n');
}

/** The prose of a sentence: what lies outside its value spans. */
function prose(text: string): string {
  const spans = textSpans(text) ?? [];
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    out += `${text.slice(at, a)} `;
    at = b;
  }
  return out + text.slice(at);
}

describe('hardening: redaction never cuts into our own sentences', () => {
  const reports = goldenReports();

  it('every diagnosis of every golden capture knows where its quoted values are', () => {
    assert.ok(reports.length >= 20);
    let n = 0;
    for (const { name, report } of reports) {
      for (const d of report.diagnosis) {
        assert.ok(textSpans(d.title), `${name}/${d.code}: title built without say`);
        assert.ok(textSpans(d.detail), `${name}/${d.code}: detail built without say`);
        n++;
      }
    }
    assert.ok(n >= 25, `only ${n} diagnoses`);
  });

  it('each word of our prose, taken as the private value, leaves every sentence whole', () => {
    let checked = 0;
    for (const { name, report } of reports) {
      const values = valuesOf(report);
      // What is hidden anyway (the report's own credentials): the baseline to compare with.
      const base = redactReport(report).diagnosis;
      for (const [i, d] of report.diagnosis.entries()) {
        const words = new Set((prose(d.detail) + ' ' + prose(d.title)).match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []);
        for (const w of words) {
          if (values.includes(w)) continue; // then it is also a value, and hidden there
          const red = redactReport(report, [w]).diagnosis[i]!;
          assert.equal(red.detail, base[i]!.detail, `${name}/${d.code}: secret "${w}" garbled the detail`);
          assert.equal(red.title, base[i]!.title, `${name}/${d.code}: secret "${w}" garbled the title`);
          checked++;
        }
      }
    }
    assert.ok(checked > 500, `only ${checked} words checked`);
  });

  it('the value spans are still searched: a secret quoted into a sentence is hidden', () => {
    const ex: Exchange = {
      request: { method: 'GET', url: 'https://api.example/me', headers: [['Authorization', 'Bearer opaque-token-123']] },
      response: { status: 401, statusText: 'Unauthorized', headers: [['WWW-Authenticate', 'Bearer realm="api", error="invalid_token", error_description="token opaque-token-123 revoked for account"']], bodyBytes: 0, elapsedMs: 1, redirects: [] },
    };
    const report = buildReport(ex);
    const text = renderText(report);
    assert.ok(!text.includes('opaque-token-123'));
    const d = redactReport(report, ['account']).diagnosis.find((x) => x.code === 'invalid-token')!;
    assert.match(d.detail, /The server says: "token … revoked for …"/);
    assert.match(d.detail, /the token is expired, revoked, malformed, or not meant for this resource/);
  });

  it('a Basic password "account": "the account is locked" stays readable, the password hidden', () => {
    const ex: Exchange = {
      request: { method: 'GET', url: 'https://api.example/me', headers: [['Authorization', `Basic ${Buffer.from('alice:account').toString('base64')}`]] },
      response: { status: 401, statusText: 'Unauthorized', headers: [['WWW-Authenticate', 'Basic realm="api"']], bodyBytes: 0, elapsedMs: 1, redirects: [] },
    };
    const text = renderText(buildReport(ex));
    assert.match(text, /the account is locked/);
    assert.match(text, /Authorization: Basic …/);
  });

  it('generated secrets that are prose words of generated exchanges never change the prose', () => {
    const word = fc.constantFrom('account', 'server', 'token', 'request', 'Bearer', 'credentials', 'origin', 'header', 'scheme', 'expired', 'resend', 'the', 'was', 'and', 'login');
    const status = fc.constantFrom(401, 403, 407);
    const challenge = fc.constantFrom('Bearer realm="api"', 'Basic realm="x"', 'Bearer error="invalid_token"', 'Bearer error="insufficient_scope", scope="read"', '');
    const auth = fc.constantFrom('Bearer abcdefgh12345678', 'Basic YWxpY2U6czNjcjN0', 'sk_live_zzzzzzzzzz', '');
    fc.assert(
      fc.property(word, status, challenge, auth, (w, st, ch, a) => {
        const headers: Array<[string, string]> = a ? [['Authorization', a]] : [];
        const res: Array<[string, string]> = ch ? [[st === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate', ch]] : [];
        const report = buildReport({ request: { method: 'GET', url: 'https://api.example/v1/items', headers }, response: { status: st, statusText: 'X', headers: res, bodyBytes: 0, elapsedMs: 1, redirects: [] } });
        if (valuesOf(report).includes(w)) return;
        const red = redactReport(report, [w]);
        const base = redactReport(report);
        report.diagnosis.forEach((_, i) => {
          assert.equal(red.diagnosis[i]!.detail, base.diagnosis[i]!.detail);
          assert.equal(red.diagnosis[i]!.title, base.diagnosis[i]!.title);
        });
      }),
      { numRuns: 300, seed: 1010 },
    );
  });
});
