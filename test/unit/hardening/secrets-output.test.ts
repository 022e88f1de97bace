// Secrets never reach the output: Authorization, Proxy-Authorization, Cookie and Set-Cookie
// values, and values from http-client.private.env.json, are absent from the text, JSON and HTML
// reports and from error messages of `authlint send` (a server on 127.0.0.1 echoes them back
// everywhere it can: headers, challenge descriptions, body, redirect targets), unless
// --show-secrets.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, httpServer, send, type Tracked } from './support';

const BEARER = 'BEARER-SECRET-1a2b3c';
const PROXY_PASS = 'PROXY-PASS-4d5e6f';
const PROXY_B64 = Buffer.from(`proxyuser:${PROXY_PASS}`).toString('base64');
const COOKIE = 'COOKIE-SECRET-7g8h9i';
const SET_COOKIE = 'SETCOOKIE-SECRET-0j1k2l';
const ENV_SECRET = 'PRIVATE-ENV-SECRET-7f3a9c';
const SECRETS = [BEARER, PROXY_PASS, PROXY_B64, COOKIE, SET_COOKIE, ENV_SECRET];

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

describe('hardening: secrets stay out of every output unless --show-secrets', function () {
  this.timeout(60_000);
  let web: Tracked;
  let closed: Tracked;
  let dir: string;
  let file: string;

  before(async () => {
    web = await httpServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      const h = req.headers;
      if (u.pathname === '/loop') {
        res.writeHead(302, { Location: req.url! });
        return void res.end();
      }
      if (u.pathname === '/to') {
        res.writeHead(302, { Location: u.searchParams.get('where')! });
        return void res.end();
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const echo = `${h.authorization} | ${h['proxy-authorization']} | ${h.cookie} | ${h['x-custom']} | ${req.url}`;
        res.writeHead(401, {
          'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="rejected ${h['x-custom']} and ${String(h.authorization).replace(/"/g, '')}"`,
          'X-Echo': echo,
          'Set-Cookie': [`session=${SET_COOKIE}; Path=/; HttpOnly`],
          'Content-Type': 'application/json',
        });
        res.end(JSON.stringify({ echo, body: Buffer.concat(chunks).toString(), sessionWas: SET_COOKIE }));
      });
    });
    closed = await httpServer(() => undefined);
    const closedBase = closed.base;
    await closed.close();
    dir = mkdtempSync(join(tmpdir(), 'authlint-secrets-'));
    writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { base: web.base, closed: closedBase } }));
    writeFileSync(join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { apiKey: ENV_SECRET } }));
    file = join(dir, 'requests.http');
    const creds = [`Authorization: Bearer ${BEARER}`, `Proxy-Authorization: Basic ${PROXY_B64}`, `Cookie: sid=${COOKIE}; theme=dark`, 'X-Custom: {{apiKey}}'];
    writeFileSync(
      file,
      [
        '# @name echo', 'POST {{base}}/echo?k={{apiKey}}', ...creds, 'Content-Type: application/json', '', '{"key": "{{apiKey}}"}', '',
        '###', '# @name hop', 'GET {{base}}/to?where=%2Fecho%3Fk%3D{{apiKey}}', ...creds, '',
        '###', '# @name loop', 'GET {{base}}/loop?k={{apiKey}}', ...creds, '',
        '###', '# @name refused', 'GET {{closed}}/x?k={{apiKey}}', ...creds, '',
      ].join('\n'),
    );
  });
  after(async () => {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['echo', 'hop', 'loop', 'refused']) {
    for (const format of ['text', 'json', 'html']) {
      it(`${name}, --format ${format}: no secret in stdout or stderr`, async () => {
        const r = await send(file, '--env', 'dev', '--name', name, '--format', format);
        assert.equal(r.code, name === 'echo' || name === 'hop' ? 0 : 3, r.err);
        assert.deepEqual(leaks(r.out + r.err), [], `${format} output:\n${r.out}`);
      });
    }
  }

  it('the echo did reach the report: the secrets were there to hide (redacted, not missing)', async () => {
    const r = await send(file, '--env', 'dev', '--name', 'echo', '--format', 'json');
    assert.match(r.out, /"Authorization",\s*"Bearer …"/);
    assert.match(r.out, /"Cookie",\s*"sid=…; theme=…"/);
    assert.match(r.out, /"Set-Cookie",\s*"session=…; Path=\/; HttpOnly"/);
    assert.match(r.out, /"X-Custom",\s*"…"/);
  });

  it('--show-secrets shows them (the checks above can fail)', async () => {
    const r = await send(file, '--env', 'dev', '--name', 'echo', '--format', 'json', '--show-secrets');
    assert.equal(r.code, 0);
    for (const s of [BEARER, PROXY_B64, COOKIE, SET_COOKIE, ENV_SECRET]) assert.ok(r.out.includes(s), s);
  });

  for (const [what, text] of [
    ['not JSON at all', `${ENV_SECRET}\n`],
    ['broken JSON', `{"dev": {"apiKey": "${ENV_SECRET}" oops}}`],
    ['a .env file by mistake', `API_KEY=${ENV_SECRET}\n`],
  ] as const) {
    it(`a private env file that is ${what}: exit 2 naming the file, its content not echoed`, async () => {
      const broken = mkdtempSync(join(tmpdir(), 'authlint-broken-env-'));
      try {
        writeFileSync(join(broken, 'http-client.private.env.json'), text);
        writeFileSync(join(broken, 'a.http'), `GET ${web.base}/echo\n`);
        const r = await send(join(broken, 'a.http'), '--env', 'dev');
        assert.equal(r.code, 2);
        assert.match(r.err, /http-client\.private\.env\.json: not valid JSON/);
        assert.deepEqual(leaks(r.out + r.err), [], r.err);
      } finally {
        rmSync(broken, { recursive: true, force: true });
      }
    });
  }

  it('the built CLI, text format: no secret (and no secret in the notes on stderr)', async () => {
    const r = await cli(['send', file, '--env', 'dev', '--name', 'hop']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(leaks(r.out + r.err), []);
  });
});
