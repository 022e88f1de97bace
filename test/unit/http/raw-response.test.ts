import * as assert from 'node:assert/strict';
import { captureToExchange, looksBinary, parseCapture, parseRawRequest } from '../../../src/http/raw-response';
import type { SentRequest } from '../../../src/http/types';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));

describe('parseCapture (curl -si output)', () => {
  it('takes the last response after 100 Continue and a proxy CONNECT answer', () => {
    const buf = crlf(['HTTP/1.1 200 Connection established', '', 'HTTP/1.1 100 Continue', '', 'HTTP/2 401 ', 'www-authenticate: Bearer realm="a"', 'www-authenticate: Basic realm="b"', '', '{"x":1}']);
    const c = parseCapture(buf);
    assert.ok(!('error' in c));
    assert.equal(c.responses.length, 3);
    const last = c.responses[2];
    assert.equal(last?.status, 401);
    assert.equal(last?.httpVersion, '2');
    assert.deepEqual(last?.headers, [['www-authenticate', 'Bearer realm="a"'], ['www-authenticate', 'Basic realm="b"']]);
    assert.equal(c.body.toString(), '{"x":1}');
  });

  it('accepts bare LF endings, folded lines and a body that starts with "HTTP/"', () => {
    const c = parseCapture(Buffer.from('HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic\n  realm="x"\n\nHTTP/1.1 200 OK\n'));
    assert.ok(!('error' in c));
    assert.equal(c.responses.length, 1, 'a final 401 is not followed by another response');
    assert.deepEqual(c.responses[0]?.headers, [['WWW-Authenticate', 'Basic realm="x"']]);
    assert.equal(c.body.toString(), 'HTTP/1.1 200 OK\n');
  });

  it('reads captures saved with a UTF-8 BOM or as UTF-16LE (Windows PowerShell redirection)', () => {
    const text = 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="é"\r\n\r\nbody';
    for (const buf of [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])]) {
      const c = parseCapture(buf);
      assert.ok(!('error' in c), JSON.stringify(c));
      assert.deepEqual(c.responses[0]?.headers, [['WWW-Authenticate', 'Basic realm="é"']]);
      assert.equal(c.body.toString(), 'body');
    }
  });

  it('reports input that is not a response', () => {
    assert.ok('error' in parseCapture(Buffer.from('')));
    assert.ok('error' in parseCapture(Buffer.from('<html>hello</html>')));
    assert.ok('error' in parseCapture(Buffer.from('HTTP/1.1 abc\r\n')));
  });

  it('keeps header bytes: UTF-8 when valid, latin1 otherwise', () => {
    const c = parseCapture(Buffer.concat([Buffer.from('HTTP/1.1 401 X\r\nA: '), Buffer.from('é', 'utf8'), Buffer.from('\r\nB: '), Buffer.from([0xe9]), Buffer.from('\r\n\r\n')]));
    assert.ok(!('error' in c));
    assert.deepEqual(c.responses[0]?.headers, [['A', 'é'], ['B', 'é']]);
  });
});

describe('parseRawRequest', () => {
  it('reads an origin-form request with Host', () => {
    const r = parseRawRequest('POST /api/items?x=1 HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer t\r\n\r\n{"a":1}') as SentRequest;
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'https://api.example.com/api/items?x=1');
    assert.deepEqual(r.headers, [['Host', 'api.example.com'], ['Authorization', 'Bearer t']]);
    assert.equal(r.body, '{"a":1}');
  });

  it('reads the "> " lines of curl -v and local hosts as http', () => {
    const r = parseRawRequest('*   Trying 127.0.0.1:8080...\n> GET /me HTTP/1.1\n> Host: localhost:8080\n> Accept: */*\n>\n< HTTP/1.1 401\n') as SentRequest;
    assert.equal(r.url, 'http://localhost:8080/me');
    assert.deepEqual(r.headers, [['Host', 'localhost:8080'], ['Accept', '*/*']]);
  });

  it('rejects text without a request line', () => {
    assert.ok('error' in parseRawRequest('hello world'));
  });
});

describe('captureToExchange', () => {
  const capture = parseCapture(crlf(['HTTP/1.1 301 Moved', 'Location: https://other.example/v2/me', '', 'HTTP/1.1 302 Found', 'Location: /v3/me', '', 'HTTP/1.1 401 Unauthorized', 'WWW-Authenticate: Bearer realm="api"', '', '']));
  it('follows redirects like curl: credentials dropped when the origin changes', () => {
    assert.ok(!('error' in capture));
    const request: SentRequest = { method: 'POST', url: 'https://api.example/v1/me', headers: [['Host', 'api.example'], ['Authorization', 'Bearer t'], ['Content-Type', 'application/json'], ['Accept', 'application/json']], body: '{}' };
    const ex = captureToExchange(capture, request);
    assert.deepEqual(ex.response.redirects.map((h) => [h.status, h.location, h.dropped]), [
      [301, 'https://other.example/v2/me', ['Authorization']],
      [302, '/v3/me', undefined],
    ]);
    assert.equal(ex.request?.url, 'https://other.example/v3/me');
    assert.equal(ex.request?.method, 'GET');
    assert.deepEqual(ex.request?.headers, [['Host', 'other.example'], ['Accept', 'application/json']]);
    assert.equal(ex.originalRequest, request);
    assert.equal(request.headers.length, 4, 'the original request is not modified');
  });

  it('summarises binary bodies', () => {
    assert.equal(looksBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]), 'image/png'), true);
    assert.equal(looksBinary(Buffer.from('{"a":1}'), 'application/json'), false);
    assert.equal(looksBinary(Buffer.from([0xff, 0xfe, 0x00]), undefined), true);
  });
});
