import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { buildRequest, USER_AGENT } from '../../../src/http/request-build';
import type { VariableSources } from '../../../src/http/variables';
import { fixture } from './runner-support';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function build(text: string, extra: Partial<VariableSources> = {}, n = 0) {
  const f = parseHttpFile(text);
  return buildRequest(requestBlocks(f)[n]!, { fileVariables: f.fileVariables, ...extra }, { baseDir: fixture() });
}

describe('request-build: from a block to the request to send', () => {
  const restClient = readFileSync(fixture('rest-client.http'), 'utf8');

  it('substitutes variables, strips HTTP/1.1, encodes Basic user:pass with spaces raw (not percent-encoded)', () => {
    const r = build(restClient);
    assert.deepEqual(r.diagnoses, []);
    const q = r.request!;
    assert.equal(q.method, 'POST');
    assert.equal(q.url, 'http://localhost:3000/login');
    assert.deepEqual(q.headers, [
      ['Content-Type', 'application/json'],
      ['Authorization', `Basic ${b64('alice:s3cret pass')}`],
      ['User-Agent', USER_AGENT],
    ]);
    assert.equal(q.body!.toString(), ['{', '  "user": "alice"', '}'].join(EOL));
    assert.equal(q.name, 'login');
  });

  it('joins ?/& continuation lines and merges repeated headers with a comma', () => {
    const r = build(restClient, { requests: new Map([['login', { request: { method: 'POST', url: 'x', headers: [] }, response: { status: 200, statusText: 'OK', headers: [], bodyBytes: 0, elapsedMs: 0, redirects: [], body: '{"token":"abc.def"}' } }]]) }, 1);
    assert.deepEqual(r.diagnoses, []);
    assert.equal(r.request!.url, 'http://localhost:3000/me?fields=name&lang=en');
    assert.deepEqual(r.request!.headers.slice(0, 2), [
      ['Authorization', 'Bearer abc.def'],
      ['Accept', 'application/json,text/plain'],
    ]);
    assert.equal(r.request!.noRedirect, true);
    assert.equal(r.request!.body, undefined);
  });

  it('reports a request variable whose request was not sent, and builds no request', () => {
    const r = build(restClient, {}, 1);
    assert.equal(r.request, undefined);
    assert.equal(r.variableProblems[0]!.kind, 'request-not-sent');
    assert.equal(r.variableProblems[0]!.requestName, 'login');
    assert.equal(r.diagnoses[0]!.line, 25);
  });

  it('builds a relative URL from Host, https for port 8443', () => {
    const r = build(restClient, {}, 2);
    assert.equal(r.request!.url, 'https://example.com:8443/relative/path');
  });

  it('keeps Basic <base64> unchanged and encodes Basic user pass', () => {
    assert.deepEqual(build('GET http://h/\nAuthorization: Basic dXNlcjpwYXNz\n').request!.headers[0], ['Authorization', 'Basic dXNlcjpwYXNz']);
    assert.deepEqual(build('GET http://h/\nAuthorization: Basic bob p@ss:w0rd\n').request!.headers[0], ['Authorization', `Basic ${b64('bob p@ss:w0rd')}`]);
    assert.deepEqual(build('GET http://h/\nAuthorization: Basic bob pa ss\n').request!.headers[0], ['Authorization', `Basic ${b64('bob:pa ss')}`]);
  });

  it('holds Digest user pass back for the challenge instead of sending it', () => {
    const r = build('GET http://h/\nAuthorization: Digest bob secret\n');
    assert.deepEqual(r.request!.digest, { user: 'bob', password: 'secret' });
    assert.ok(!r.request!.headers.some(([k]) => k === 'Authorization'));
  });

  it('reports AWS and COGNITO shorthands as unsupported', () => {
    const r = build('GET http://h/\nAuthorization: AWS id key\n');
    assert.equal(r.request, undefined);
    assert.match(r.diagnoses[0]!.message, /not supported/);
  });

  it('drops Content-Length (recomputed when sending) and uses CRLF for multipart bodies', () => {
    const r = build('POST http://h/\nContent-Length: 999\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name="a"\n\n1\n--b--\n');
    assert.ok(!r.request!.headers.some(([k]) => k.toLowerCase() === 'content-length'));
    assert.equal(r.request!.body!.toString(), '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--');
  });

  it('joins urlencoded & lines and encodes them once', () => {
    const r = build('POST http://h/\nContent-Type: application/x-www-form-urlencoded\n\nname=a b\n&pass=x%26y\n&c=ü');
    assert.equal(r.request!.body!.toString(), 'name=a%20b&pass=x%26y&c=%C3%BC');
  });

  it('reads `< file` bodies relative to the .http folder, `<@` with variables', () => {
    const r = build('@v = 42\nPOST http://h/\nContent-Type: text/plain\n\n< env/.env\n<@ body-template.txt\n< body-template.txt\n< missing-file.txt');
    assert.deepEqual(r.diagnoses, []);
    const eol = EOL;
    assert.equal(r.request!.body!.toString(), `DOT_SECRET=from-dotenv\n${eol}value=42\n${eol}value={{v}}\n${eol}< missing-file.txt`);
  });

  it('turns an X-Request-Type: GraphQL body into JSON', () => {
    const r = build('POST http://h/graphql\nX-Request-Type: GraphQL\nContent-Type: application/json\n\nquery Me { me { id } }\n\n{"a": 1}');
    assert.ok(!r.request!.headers.some(([k]) => k === 'X-Request-Type'));
    assert.deepEqual(JSON.parse(r.request!.body!.toString()), { query: 'query Me { me { id } }', operationName: 'Me', variables: { a: 1 } });
  });

  it('diagnoses malformed blocks with their lines and builds nothing', () => {
    const text = readFileSync(fixture('malformed.http'), 'utf8');
    const results = [0, 1, 2].map((n) => build(text, {}, n));
    assert.deepEqual(results.map((r) => r.request), [undefined, undefined, undefined]);
    assert.deepEqual(results.map((r) => r.diagnoses.map((d) => d.line)), [[7], [10], [14]]);
    assert.match(results[0]!.diagnoses[0]!.message, /without a name/);
    assert.match(results[1]!.diagnoses[0]!.message, /invalid URL/);
    assert.match(results[2]!.diagnoses[0]!.message, /\{\{missing\}\} is not defined/);
  });

  it('rejects curl commands clearly and a relative URL without Host', () => {
    assert.match(build('curl -X GET http://h/').diagnoses[0]!.message, /curl commands are not supported/);
    assert.match(build('GET /only/path\nAccept: x').diagnoses[0]!.message, /needs a Host header/);
    assert.match(build('DELETE\nAccept: x').diagnoses[0]!.message, /has a method but no URL/);
  });

  it('defaults a scheme-less URL to http and a bare URL to GET', () => {
    const r = build('localhost:3000/x');
    assert.equal(r.request!.method, 'GET');
    assert.equal(r.request!.url, 'http://localhost:3000/x');
  });
});
