// One redaction policy for text, JSON and HTML (and the editor's view, which renders the same
// HTML): a server on 127.0.0.1 echoes every kind of secret a request can carry, in headers and
// in JSON and form bodies; none of them may reach any output without --show-secrets, each
// output says that values were hidden, and --show-secrets shows them (so the checks can fail).
// Generated secrets placed in generated fields check the policy beyond the written cases.

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildReport } from '../../../src/http/explain';
import { contentSecurityPolicy, renderHtml } from '../../../src/http/render-html';
import { renderJson, renderText } from '../../../src/http/render-text';
import type { Exchange, HeaderList } from '../../../src/http/types';
import { httpServer, send, type Tracked } from './support';

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'alice', exp: 1 })}.c2lnbmF0dXJlLXNlY3JldA`;
const S = {
  proc: 'procenv-secret-1111',
  dot: 'dotenv-secret-2222',
  apiKey: 'xapikey-secret-3333',
  apiKey2: 'apikey-secret-4444',
  bare: 'sk_live_5555secretbare',
  userToken: 'ghp-usertoken-6666',
  privateToken: 'privtoken-7777',
  session: 'sessionparam-8888',
  jwtParam: 'jwtparam-9999',
  access: 'access-body-aaaa',
  refresh: 'refresh-body-bbbb',
  idToken: 'idtoken-body-cccc',
  formToken: 'formtoken-dddd',
};
const SHORT = 'Zq9';
const ALL = [...Object.values(S), JWT];

describe('hardening: one redaction policy for every output', function () {
  this.timeout(60_000);
  let web: Tracked;
  let dir: string;
  let file: string;

  before(async () => {
    web = await httpServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      const h = req.headers;
      const echo = JSON.stringify({ h, url: req.url });
      if (u.pathname === '/form') {
        res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' });
        return void res.end(`access_token=${S.formToken}&token_type=bearer&expires_in=3600`);
      }
      res.writeHead(401, {
        'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="bad ${h['x-api-key']} ${SHORT}"`,
        'X-Echo-Key': String(h['x-api-key']),
        'X-Debug': `jwt=${JWT} short=${SHORT}`,
        'Content-Type': 'application/json',
      });
      res.end(JSON.stringify({ access_token: S.access, refresh_token: S.refresh, id_token: S.idToken, nested: { session: S.session, jwt: JWT }, note: `seen ${SHORT} and ${JWT}`, echo }));
    });
    dir = mkdtempSync(join(tmpdir(), 'authlint-policy-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { host: web.base.replace('http://', '') } }));
    writeFileSync(join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { short: SHORT } }));
    writeFileSync(join(dir, '.env'), `DOT=${S.dot}\n`);
    file = join(dir, 'p.http');
    writeFileSync(file, [
      '# @name all',
      `GET http://${S.userToken}@{{host}}/all?private_token=${S.privateToken}&session=${S.session}&jwt=${S.jwtParam}&page=2`,
      `X-API-Key: ${S.apiKey}`,
      `Api-Key: ${S.apiKey2}`,
      `Authorization: ${S.bare}`,
      'X-Proc: {{$processEnv AUTHLINT_POLICY_TEST}}',
      'X-Dot: {{$dotenv DOT}}',
      'X-Short: {{short}}',
      '',
      '###',
      '# @name form',
      'GET http://{{host}}/form',
      '',
    ].join('\n'));
    process.env['AUTHLINT_POLICY_TEST'] = S.proc;
  });
  after(async () => {
    delete process.env['AUTHLINT_POLICY_TEST'];
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const leaks = (out: string): string[] => [...ALL.filter((s) => out.includes(s)), ...(new RegExp(`\\b${SHORT}\\b`).test(out) ? [SHORT] : [])];

  for (const format of ['text', 'json', 'html']) {
    for (const name of ['all', 'form']) {
      it(`${name}, --format ${format}: nothing secret printed, and the output says values were hidden`, async () => {
        const r = await send(file, '--env', 'dev', '--name', name, '--format', format);
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(leaks(r.out + r.err), [], `${leaks(r.out + r.err).join(", ")} in:\n${r.out}`);
        if (format !== 'json') assert.match(r.out, /\d+ values? hidden as … \(credentials, and values from private or secret sources\): run again with --show-secrets to show them\./);
      });
    }
  }

  it('the three formats hide the same fields: the JSON names them, redacted', async () => {
    const r = JSON.parse((await send(file, '--env', 'dev', '--name', 'all', '--format', 'json')).out);
    const req = Object.fromEntries(r.request.headers as HeaderList);
    assert.equal(req['X-API-Key'], '…');
    assert.equal(req['Api-Key'], '…');
    assert.equal(req['Authorization'], '…', 'a bare credential is not a scheme');
    assert.equal(req['X-Proc'], '…');
    assert.equal(req['X-Dot'], '…');
    assert.equal(req['X-Short'], '…');
    assert.match(r.request.url, /^http:\/\/127\.0\.0\.1:\d+\/all\?private_token=…&session=…&jwt=…&page=2$/);
  });

  it('--show-secrets shows every one of them (the checks above can fail)', async () => {
    const all = await send(file, '--env', 'dev', '--name', 'all', '--show-secrets');
    const form = await send(file, '--env', 'dev', '--name', 'form', '--show-secrets');
    const out = all.out + form.out;
    // the URL user name goes out as Basic, not in the URL; the server never sees it as text
    for (const s of ALL.filter((x) => x !== S.userToken)) assert.ok(out.includes(s), s);
    assert.match(all.err, /user name in the URL is not sent: the request has its own Authorization header/);
  });

  it('the editor view: a reveal link to the allowed command, no script, the CSP unchanged', () => {
    const ex: Exchange = {
      request: { method: 'GET', url: 'https://api.example/x', headers: [['X-API-Key', S.apiKey]] },
      response: { status: 401, statusText: 'Unauthorized', headers: [['X-Echo', S.apiKey]], bodyBytes: 0, elapsedMs: 1, redirects: [] },
    };
    const reveal = { show: 'command:authlint.showResponseSecrets', hide: 'command:authlint.hideResponseSecrets' };
    const hidden = renderHtml(buildReport(ex), {}, { reveal });
    assert.ok(!hidden.includes(S.apiKey));
    assert.match(hidden, /<a href="command:authlint\.showResponseSecrets">Show hidden values<\/a>/);
    assert.doesNotMatch(hidden, /<script|\son\w+=/i);
    assert.ok(hidden.includes(contentSecurityPolicy()));
    const shown = renderHtml(buildReport(ex), {}, { reveal, showSecrets: true });
    assert.ok(shown.includes(S.apiKey));
    assert.match(shown, /<a href="command:authlint\.hideResponseSecrets">Hide them<\/a>/);
  });

  it('generated secrets in generated credential fields never reach text, JSON or HTML', () => {
    const secret = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789_-'.split('')), minLength: 8, maxLength: 40 }).map((s) => `Q${s}`);
    const header = fc.constantFrom('X-API-Key', 'Api-Key', 'X-Auth-Token', 'X-Session', 'X-Secret', 'Private-Token', 'X-Signature', 'Authorization', 'Cookie', 'Proxy-Authorization', 'X-Amz-Security-Token');
    const param = fc.constantFrom('access_token', 'private_token', 'session', 'jwt', 'api_key', 'sig', 'password', 'refresh_token', 'code', 'X-Amz-Signature');
    const field = fc.constantFrom('access_token', 'refresh_token', 'id_token', 'session', 'sessionId', 'jwt', 'password', 'apiKey', 'client_secret', 'token');
    fc.assert(
      fc.property(secret, header, param, field, fc.boolean(), (s, h, p, f, echoRaw) => {
        const value = h === 'Cookie' ? `sid=${s}` : /authorization/i.test(h) ? (echoRaw ? s : `Bearer ${s}`) : s;
        const body = JSON.stringify({ [f]: s, ok: false, nested: [{ [f]: s }] });
        const ex: Exchange = {
          request: { method: 'GET', url: `https://api.example/x?${p}=${s}&page=1`, headers: [[h, value]] },
          response: { status: 401, statusText: 'Unauthorized', headers: [['Content-Type', 'application/json'], ['X-Echo', `got ${s}`]], bodyBytes: body.length, elapsedMs: 1, redirects: [], body },
        };
        const report = buildReport(ex);
        const bodyIn = { text: body, contentType: 'application/json' };
        for (const out of [renderText(report, bodyIn), renderJson(report), renderHtml(report, bodyIn)]) {
          assert.ok(!out.includes(s), `${h} / ${p} / ${f}: ${s} printed`);
        }
      }),
      { numRuns: 200, seed: 912 },
    );
  });

  it('a JWT anywhere in a header value or body is hidden, the text around it kept', () => {
    const ex: Exchange = {
      request: { method: 'GET', url: 'https://api.example/x', headers: [] },
      response: { status: 200, statusText: 'OK', headers: [['X-Debug', `token=${JWT}; next`]], bodyBytes: 0, elapsedMs: 1, redirects: [] },
    };
    const text = renderText(buildReport(ex), { text: `prefix ${JWT} suffix`, contentType: 'text/plain' });
    assert.ok(!text.includes(JWT));
    assert.match(text, /X-Debug: token=…; next/);
    assert.match(text, /prefix … suffix/);
  });

  it('a long body is searched where it is shown: a secret or JWT across the display limit is hidden whole', () => {
    const secret = 'straddling-secret-0123456789';
    fc.assert(
      fc.property(fc.integer({ min: 3900, max: 4100 }), fc.boolean(), (at, jwt) => {
        const hidden = jwt ? JWT : secret;
        const body = `${'x'.repeat(at)} ${hidden} ${'y'.repeat(20_000)}`;
        const ex: Exchange = {
          request: { method: 'GET', url: 'https://api.example/x', headers: [] },
          response: { status: 200, statusText: 'OK', headers: [], bodyBytes: body.length, elapsedMs: 1, redirects: [], body },
        };
        const out = renderText(buildReport(ex), { text: body, contentType: 'text/plain', bytes: body.length }, { secretValues: [secret] });
        // No prefix of it longer than a few characters survives the cut.
        assert.ok(!out.includes(hidden.slice(0, 8)), `${at}: ${hidden.slice(0, 8)} shown`);
      }),
      { numRuns: 60, seed: 4000 },
    );
  });
});
