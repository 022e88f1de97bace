// Property tests (fast-check, fixed seeds) for the .http parser, request building, variable
// substitution and raw-response parsing: nothing throws or hangs, a block gives a request or
// errors (never both), a built request is well formed, and printable inputs round-trip.

import * as assert from 'node:assert/strict';
import { EOL, tmpdir } from 'node:os';
import fc from 'fast-check';
import { buildReport } from '../../../src/http/explain';
import { parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { captureToExchange, parseCapture, parseRawRequest } from '../../../src/http/raw-response';
import { renderHtml } from '../../../src/http/render-html';
import { renderText } from '../../../src/http/render-text';
import { bodyOf } from '../../../src/http/body-view';
import { buildRequest } from '../../../src/http/request-build';
import { isToken } from '../../../src/http/challenge';
import { Substituter } from '../../../src/http/variables';
import { noHang } from './support';

const OPTS = { baseDir: tmpdir() };
const TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('');
const name = fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 16 });

/** Lines an .http file is made of, valid and broken, with the characters that matter. */
const LINE_PIECES = [
  'GET http://127.0.0.1:9/a', 'POST /x', 'PUT https://h.example/{{path}}', 'curl -X GET http://a', 'GET', 'DELETE ', 'HTTP/1.1 200 OK',
  '?q=1', '&r={{v}}', 'Host: 127.0.0.1', 'Authorization: Basic u p', 'Authorization: Digest u p', 'Authorization: Bearer {{token}}',
  'Content-Type: application/x-www-form-urlencoded', 'Content-Type: multipart/form-data; boundary=b', 'X-Request-Type: GraphQL',
  'Bad Header: x', ': novalue', 'X: {{$guid}}', 'X: {{$randomInt 1 99999999999999999999}}', 'X: {{$datetime "YYYY" -1 d}}', 'X: {{$processEnv %nope}}',
  '@path = a/{{path}}', '@v = {{v}}', '@token={{$dotenv T}}', '@a = {{b}}{{b}}', '@b = {{a}}', '###', '### title', '# @name n1', '# @name bad name!',
  '// @no-redirect', '# @prompt p secret', '# comment', '', '   ', '{"a": {{v}}}', '< ./missing.json', '<@ ./x.txt', '> {% client.x %}',
  '{{', '}}', '?? status == 200', '>> out.json', '\t', 'é\u0000\u202e', '{{login.response.body.$.token}}', '{{%v}}', '{{ }}', '{{{{x}}}}',
];
const httpFile = fc.array(fc.oneof(fc.constantFrom(...LINE_PIECES), fc.string({ maxLength: 30 })), { maxLength: 40 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((nl) => lines.join(nl)));

describe('hardening: .http parser and request building properties', () => {
  it('parses any file and builds every block: a request or an error with a line, never both, never a throw', () => {
    fc.assert(
      fc.property(httpFile, (text) => {
        const lineCount = text.split(/\r?\n/).length;
        const file = noHang('parseHttpFile', () => parseHttpFile(text));
        for (const d of file.diagnoses) assert.ok(d.line >= 1 && d.line <= lineCount, `diagnosis line ${d.line}`);
        for (const b of file.blocks) {
          assert.ok(b.startLine >= 1 && (b.requestLine === undefined || (b.requestLine >= b.startLine && b.requestLine <= b.endLine)));
          const built = noHang('buildRequest', () => buildRequest(b, { fileVariables: file.fileVariables, processEnv: {} }, OPTS));
          const errors = built.diagnoses.filter((d) => d.severity === 'error');
          if (b.requestLine === undefined) {
            assert.equal(built.request, undefined);
            continue;
          }
          assert.ok((built.request === undefined) !== (errors.length === 0), `request ${!!built.request} with ${errors.length} errors`);
          for (const d of errors) assert.ok(d.line >= 1 && d.line <= lineCount && d.message.length > 0);
          const r = built.request;
          if (!r) continue;
          assert.match(new URL(r.url).protocol, /^https?:$/);
          for (const [k, v] of r.headers) {
            assert.ok(isToken(k), `header name ${JSON.stringify(k)}`);
            assert.ok(!/[\r\n\0]/.test(v), `header value ${JSON.stringify(v)}`);
          }
          assert.ok(!/\{\{.+?\}\}/.test(r.url), `unresolved reference sent in ${r.url}`);
        }
      }),
      { seed: 62_1, numRuns: 700 },
    );
  });

  it('round-trips a printed request: method, URL, headers and body', () => {
    const value = fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.,;=/"é'.split('')), maxLength: 20 }).map((s) => s.trim()).filter((s) => !s.includes('{{'));
    const bodyLine = fc.string({ unit: fc.constantFrom(...'abc {}[]":,019é'.split('')), minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !/^\s*([#<>@?]|\/\/|\{\{|\}\})/.test(s) && !s.includes('{{'));
    const headerName = name.filter((n) => !/^[#&?]/.test(n) && !/^(content-length|authorization|proxy-authorization|content-type|x-request-type|host|user-agent)$/i.test(n));
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.webPath(),
        fc.uniqueArray(fc.tuple(headerName, value), { maxLength: 6, selector: ([k]) => k.toLowerCase() }),
        fc.array(bodyLine, { maxLength: 5 }),
        (method, path, headers, body) => {
          const url = `http://127.0.0.1:8080${path.startsWith('/') ? path : `/${path}`}`;
          const text = [`${method} ${url}`, ...headers.map(([k, v]) => `${k}: ${v}`), ...(body.length ? ['', ...body] : [])].join('\n');
          const file = parseHttpFile(text);
          const [block] = requestBlocks(file);
          assert.ok(block);
          const built = buildRequest(block, { fileVariables: file.fileVariables }, OPTS);
          assert.deepEqual(built.diagnoses, [], text);
          const r = built.request!;
          assert.equal(r.method, method);
          assert.equal(r.url, new URL(url).href);
          assert.deepEqual(r.headers.filter(([k]) => k !== 'User-Agent'), headers);
          assert.equal(r.body?.toString('utf8'), body.length ? body.join(EOL) : undefined);
        },
      ),
      { seed: 62_2, numRuns: 500 },
    );
  });
});

describe('hardening: variable substitution properties', () => {
  it('resolves any graph of file variables (cycles included) without throwing or hanging', () => {
    const ref = fc.integer({ min: 0, max: 5 }).map((i) => `{{v${i}}}`);
    const valueArb = fc.array(fc.oneof(ref, fc.constantFrom('x', ' ', '{{', '}}', '{{$guid}}', '{{%v1}}', '{{$shared v2}}', '{{nope}}')), { maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 6, maxLength: 6 }), fc.string({ maxLength: 40 }), (vals, line) => {
        const fileVariables = new Map(vals.map((v, i) => [`v${i}`, { name: `v${i}`, value: v, line: i + 1 }]));
        const sub = new Substituter({ fileVariables, processEnv: {}, environment: { values: { v2: '{{v3}}' }, shared: { v2: 'shared' }, secretNames: new Set(['v2']) } });
        const out = noHang('substitute', () => sub.substitute(`${line}{{v0}}{{v1}}{{v5}}`, 7));
        assert.equal(typeof out, 'string');
        for (const p of sub.problems) assert.ok(p.message.length > 0 && p.line >= 1);
      }),
      { seed: 62_3, numRuns: 600 },
    );
  });

  it('does not blow up on variables that refer to others many times over (billion laughs)', () => {
    // v0 = 16 x {{v1}}, v1 = 16 x {{v2}}, ... v9 = 4 characters: 16^9 * 4 characters if expanded.
    const fileVariables = new Map<string, { name: string; value: string; line: number }>();
    for (let i = 0; i < 9; i++) fileVariables.set(`v${i}`, { name: `v${i}`, value: `{{v${i + 1}}}`.repeat(16), line: i + 1 });
    fileVariables.set('v9', { name: 'v9', value: 'AAAA', line: 10 });
    const sub = new Substituter({ fileVariables, processEnv: {} });
    const out = noHang('substitute (16^9 fan-out)', () => sub.substitute('GET http://127.0.0.1/?q={{v0}}', 11), 10_000);
    assert.ok(out.length < 50_000_000, `expanded to ${out.length} characters`);
    assert.ok(sub.problems.length > 0, 'the expansion is reported, not silently sent');
    assert.match(sub.problems[0]!.message, /too much text/);
  });
});

describe('hardening: raw response and raw request properties', () => {
  it('reads any bytes as a capture without throwing; anything read explains and renders', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
      fc.array(fc.oneof(fc.constantFrom('HTTP/1.1 401 X\r\n', 'HTTP/2 302\n', 'HTTP/1.1 100 Continue\r\n\r\n', 'WWW-Authenticate: Bearer error="invalid_token"\r\n', 'Location: /x\r\n', ' folded\r\n', 'Set-Cookie: a=; Max-Age=0\r\n', '\r\n', '\n', ':\r\n', '\u00ff\u00fe', '\ufeff'), fc.string({ maxLength: 20 })), { maxLength: 20 }).map((a) => Buffer.from(a.join(''), 'utf8')),
    );
    fc.assert(
      fc.property(bytes, (buf) => {
        const cap = noHang('parseCapture', () => parseCapture(buf));
        if ('error' in cap) return;
        assert.ok(cap.responses.length >= 1);
        const exchange = captureToExchange(cap);
        const report = buildReport(exchange);
        renderText(report, bodyOf(exchange.response));
        renderHtml(report, bodyOf(exchange.response));
      }),
      { seed: 62_4, numRuns: 800 },
    );
  });

  it('round-trips a printed response: status, reason, every field line in order, body bytes', () => {
    const fieldValue = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '').trim());
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.string({ unit: fc.constantFrom(...'Unauthorized Forbidden OK é'.split('')), maxLength: 20 }).map((s) => s.trim()),
        fc.array(fc.tuple(name, fieldValue), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)).filter((b) => !b.toString('latin1').startsWith('HTTP/')),
        (status, reason, headers, body) => {
          const head = `HTTP/1.1 ${status} ${reason}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
          const cap = parseCapture(Buffer.concat([Buffer.from(head, 'utf8'), body]));
          assert.ok(!('error' in cap));
          assert.equal(cap.responses.length, 1);
          const r = cap.responses[0]!;
          assert.equal(r.status, status);
          assert.equal(r.statusText, reason);
          assert.deepEqual(r.headers, headers);
          assert.ok(cap.body.equals(body));
        },
      ),
      { seed: 62_5, numRuns: 600 },
    );
  });

  it('round-trips a printed raw request, and reads any text without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'POST', 'DELETE'), fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)), fc.array(fc.tuple(name, fc.string({ unit: fc.constantFrom(...'ab1 =;,'.split('')), maxLength: 12 }).map((s) => s.trim())), { maxLength: 6 }), fc.string({ maxLength: 200 }), (method, path, headers, junk) => {
        const text = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
        const r = parseRawRequest(text);
        assert.ok(!('error' in r));
        assert.equal(r.method, method);
        assert.equal(r.url, `http://127.0.0.1${path}`);
        assert.deepEqual(r.headers, [['Host', '127.0.0.1'], ...headers]);
        noHang('parseRawRequest(junk)', () => parseRawRequest(junk));
      }),
      { seed: 62_6, numRuns: 400 },
    );
  });
});
