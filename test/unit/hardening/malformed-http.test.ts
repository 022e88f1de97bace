// Malformed .http files: each gets `file:LINE: message` on stderr, exit 2 and "not sent", and a
// server on 127.0.0.1 that counts requests proves nothing half-built left the machine.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, httpServer, send, type Tracked } from './support';

type Case = { title: string; lines: (base: string) => string[]; line: number; message: RegExp };

const CASES: Case[] = [
  { title: 'an undefined variable in the URL', lines: (b) => ['# @name a', `GET ${b}/x?token={{missing}}`], line: 2, message: /\{\{missing\}\} is not defined/ },
  { title: 'an undefined variable in a header', lines: (b) => [`GET ${b}/x`, 'Accept: */*', 'Authorization: Bearer {{token}}'], line: 3, message: /\{\{token\}\} is not defined/ },
  { title: 'an undefined variable in the body', lines: (b) => [`POST ${b}/x`, 'Content-Type: application/json', '', '{', '  "a": "{{nope}}"', '}'], line: 5, message: /\{\{nope\}\} is not defined/ },
  { title: 'a method without a URL', lines: () => ['', 'POST'], line: 2, message: /has a method but no URL/ },
  { title: 'a header name with a space (a missing blank line before the body)', lines: (b) => [`POST ${b}/x`, 'Content-Type: text/plain', 'hello world: this was meant as body'], line: 3, message: /is not a valid header name/ },
  { title: 'a header line without a name', lines: (b) => [`GET ${b}/x`, ': value'], line: 2, message: /header line without a name/ },
  { title: 'a URL that does not parse', lines: () => ['GET http://[::1/x'], line: 1, message: /invalid URL/ },
  { title: 'a URL that is not http(s)', lines: () => ['GET ftp://127.0.0.1/file'], line: 1, message: /only http and https URLs can be sent, not ftp:/ },
  { title: 'a curl command', lines: (b) => [`curl -H 'Authorization: Bearer x' ${b}/x`], line: 1, message: /curl commands are not supported/ },
  { title: 'a relative URL without Host', lines: () => ['GET /api/me', 'Accept: */*'], line: 1, message: /needs a Host header/ },
  { title: 'a header value with a carriage return from a variable', lines: (b) => ['@v = a\\rb', `GET ${b}/x`, 'X-Value: {{v}}'], line: 3, message: /contains a line break or NUL/ },
  { title: 'variables that refer to each other', lines: (b) => ['@a = {{b}}', '@b = {{a}}', `GET ${b}/x?q={{a}}`], line: 3, message: /refers to itself|cannot be resolved/ },
  { title: 'variables that refer to others many times over (billion laughs)', lines: (b) => [...Array.from({ length: 9 }, (_, i) => `@v${i} = ${`{{v${i + 1}}}`.repeat(16)}`), '@v9 = AAAA', `GET ${b}/x?q={{v0}}`], line: 11, message: /too much text/ },
  { title: 'a $randomInt beyond what can be drawn', lines: (b) => [`GET ${b}/x`, 'X-N: {{$randomInt 1 99999999999999999999}}'], line: 2, message: /\$randomInt supports safe integers/ },
  { title: 'a date offset out of range', lines: (b) => [`GET ${b}/x`, 'X-D: {{$datetime iso8601 99999999999999 y}}'], line: 2, message: /out of range/ },
  { title: 'an unsupported token variable', lines: (b) => [`GET ${b}/x`, 'Authorization: {{$aadToken}}'], line: 2, message: /\$aadToken .* not supported/ },
  { title: 'an unsupported auth shorthand', lines: (b) => [`GET ${b}/x`, 'Authorization: AWS id key'], line: 2, message: /AWS id key.*not supported/ },
  { title: 'a request variable of a request that does not exist', lines: (b) => [`GET ${b}/x`, 'Authorization: Bearer {{login.response.body.$.token}}'], line: 2, message: /no request in this file is named "login"/ },
  { title: 'a request that depends on a malformed one (neither is sent)', lines: (b) => ['# @name login', `POST ${b}/login?k={{undefinedKey}}`, '', '###', `GET ${b}/me`, 'Authorization: Bearer {{login.response.body.$.token}}'], line: 2, message: /\{\{undefinedKey\}\} is not defined/ },
];

describe('hardening: malformed .http files are diagnosed by line and never sent', function () {
  this.timeout(60_000);
  let server: Tracked;
  let dir: string;
  const received: string[] = [];

  before(async () => {
    server = await httpServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"token":"t0k3n-from-login"}');
    });
    dir = mkdtempSync(join(tmpdir(), 'authlint-malformed-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    received.length = 0;
  });

  CASES.forEach((c, i) => {
    it(`${c.title}: line ${c.line}, exit 2, no request`, async () => {
      const file = join(dir, `case${i}.http`);
      writeFileSync(file, c.lines(server.base).join('\n'));
      const lastLine = c.lines(server.base).length;
      const r = await send(file, '--line', String(lastLine));
      assert.equal(r.code, 2, r.err);
      const m = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${c.line}: (.*)`).exec(r.err);
      assert.ok(m, `no diagnosis at line ${c.line} in:\n${r.err}`);
      assert.match(r.err, c.message);
      assert.match(r.err, /the request was not sent/);
      assert.equal(r.out, '');
      assert.deepEqual(received, []);
    });
  });

  it('sends a complete dependency but not the malformed request that reads from it', async () => {
    const file = join(dir, 'dep.http');
    writeFileSync(file, ['# @name login', `POST ${server.base}/login`, '', '###', `GET ${server.base}/me`, 'Authorization: Bearer {{login.response.body.$.missing}}'].join('\n'));
    const r = await send(file, '--line', '6');
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /:6: \$\.missing matches nothing in the response body of "login"/);
    assert.deepEqual(received, ['POST /login']);
  });

  it('the built CLI says the same and sends nothing (node dist/cli.js send)', async () => {
    const file = join(dir, 'cli.http');
    writeFileSync(file, [`GET ${server.base}/x`, 'Authorization: Bearer {{token}}', '', '###', 'GET ftp://127.0.0.1/x'].join('\n'));
    const a = await cli(['send', file, '--line', '1']);
    assert.equal(a.code, 2, a.err);
    assert.match(a.err, /cli\.http:2: \{\{token\}\} is not defined/);
    const b = await cli(['send', file, '--line', '5', '--format', 'json']);
    assert.equal(b.code, 2, b.err);
    assert.match(b.err, /cli\.http:5: only http and https URLs/);
    assert.equal(a.out + b.out, '');
    assert.deepEqual(received, []);
  });
});
