// Redirect chains and loops (capped, the chain shown) and broken TLS (self-signed, expired,
// wrong host name: a message naming the cause, verification on unless --insecure), through
// `authlint send` in-process and the built CLI, against servers on 127.0.0.1.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Report } from '../../../src/http/types';
import { cli, httpServer, httpsTracked, send, type Tracked } from './support';

async function cert(cn: string, dates?: { notBeforeDate: Date; notAfterDate: Date }) {
  return generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    ...(dates ?? {}),
  });
}

describe('hardening: redirect chains and broken TLS', function () {
  this.timeout(60_000);
  let web: Tracked;
  let selfSigned: Tracked;
  let expired: Tracked;
  let dir: string;
  let caFile: string;
  let expiredCaFile: string;
  const hits: string[] = [];
  const tlsHits: string[] = [];

  before(async () => {
    web = await httpServer((req, res) => {
      hits.push(req.url!);
      const u = new URL(req.url!, 'http://x');
      const n = Number(u.searchParams.get('n') ?? 0);
      const left = Number(u.searchParams.get('left') ?? 0);
      if (u.pathname === '/chain' && left > 0) {
        res.writeHead(n % 2 ? 302 : 307, { Location: `/chain?left=${left - 1}&n=${n + 1}&code=oauth-code-${n}` });
        return void res.end();
      }
      if (u.pathname === '/self') {
        res.writeHead(301, { Location: req.url! });
        return void res.end();
      }
      if (u.pathname === '/to') {
        res.writeHead(302, { Location: u.searchParams.get('where')! });
        return void res.end();
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('landed');
    });
    const pem = await cert('authlint-hardening');
    selfSigned = await httpsTracked(https.createServer({ key: pem.private, cert: pem.cert }, (req, res) => (tlsHits.push(req.url!), res.end('secure'))));
    const old = await cert('authlint-hardening-expired', { notBeforeDate: new Date('2020-01-01T00:00:00Z'), notAfterDate: new Date('2020-02-01T00:00:00Z') });
    expired = await httpsTracked(https.createServer({ key: old.private, cert: old.cert }, (req, res) => (tlsHits.push(req.url!), res.end('old'))));
    dir = mkdtempSync(join(tmpdir(), 'authlint-redirect-tls-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pem.cert);
    expiredCaFile = join(dir, 'expired-ca.pem');
    writeFileSync(expiredCaFile, old.cert);
  });
  after(async () => {
    await Promise.all([web?.close(), selfSigned?.close(), expired?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    hits.length = 0;
    tlsHits.length = 0;
  });

  let k = 0;
  function file(url: string): string {
    const f = join(dir, `r${k++}.http`);
    writeFileSync(f, `GET ${url}\nAuthorization: Bearer chain-secret-token-9\n`);
    return f;
  }

  it('follows a chain of 9 redirects and shows every hop in order', async () => {
    const r = await send(file(`${web.base}/chain?left=9`), '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as Report;
    assert.equal(rep.response!.status, 200);
    assert.equal(rep.response!.redirects.length, 9);
    assert.deepEqual(rep.response!.redirects.map((h) => new URL(h.location).searchParams.get('n')), ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.ok(rep.response!.redirects.every((h) => !h.location.includes('oauth-code')), 'code= query values are redacted');
  });

  it('stops a chain of 50 after 10 redirects: exit 3, the chain named, 11 requests only', async () => {
    const r = await send(file(`${web.base}/chain?left=50`));
    assert.equal(r.code, 3);
    assert.equal(hits.length, 11);
    assert.match(r.out, /^Request failed \(too-many-redirects\): Stopped after 10 redirects/);
    const chain = /The chain: (.*)$/m.exec(r.out)?.[1] ?? '';
    assert.equal(chain.split(' -> ').length, 12, chain);
    assert.ok(!r.out.includes('oauth-code-'), 'the chain is redacted like every URL');
    assert.ok(!r.out.includes('chain-secret-token-9'));
  });

  it('stops a redirect to itself (built CLI): exit 3 with too-many-redirects', async () => {
    const r = await cli(['send', file(`${web.base}/self?x=1`), '--format', 'json']);
    assert.equal(r.code, 3);
    const rep = JSON.parse(r.out) as Report;
    assert.equal(rep.error?.code, 'too-many-redirects');
    assert.equal(hits.length, 11);
  });

  for (const where of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>alert(1)</script>']) {
    it(`refuses a redirect to ${where.split(':')[0]}: exit 3, nothing read or run`, async () => {
      const r = await send(file(`${web.base}/to?where=${encodeURIComponent(where)}`), '--format', 'json');
      assert.equal(r.code, 3);
      const rep = JSON.parse(r.out) as Report;
      assert.equal(rep.error?.code, 'other');
      assert.match(rep.error!.message, /which is not an http\(s\) URL/);
      assert.ok(!r.out.includes('root:'), 'no local file content');
    });
  }

  it('a self-signed certificate: exit 3 naming the cause, nothing sent; --insecure opts out (built CLI)', async () => {
    const f = file(`${selfSigned.base}/x`);
    const r = await cli(['send', f]);
    assert.equal(r.code, 3);
    assert.match(r.out, /^Request failed \(tls-self-signed\): The TLS certificate of 127\.0\.0\.1 is self-signed/);
    assert.match(r.out, /--insecure/);
    assert.deepEqual(tlsHits, []);
    const ok = await cli(['send', f, '--insecure']);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.deepEqual(tlsHits, ['/x']);
  });

  it('an expired certificate from a trusted issuer: exit 3, "has expired" (built CLI, NODE_EXTRA_CA_CERTS)', async () => {
    const r = await cli(['send', file(`${expired.base}/x`)], { env: { NODE_EXTRA_CA_CERTS: expiredCaFile } });
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.out, /^Request failed \(tls-expired\): The TLS certificate of 127\.0\.0\.1 has expired\./);
    assert.deepEqual(tlsHits, []);
  });

  it('a certificate for another host name: exit 3, "does not name localhost" (built CLI)', async () => {
    const r = await cli(['send', file(`${selfSigned.base.replace('127.0.0.1', 'localhost')}/x`)], { env: { NODE_EXTRA_CA_CERTS: caFile } });
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.out, /^Request failed \(tls-hostname\): The TLS certificate does not name localhost/);
    assert.deepEqual(tlsHits, []);
  });

  it('with the issuer trusted and the right name, the same server answers (verification was the only obstacle)', async () => {
    const r = await cli(['send', file(`${selfSigned.base}/ok`), '--format', 'json'], { env: { NODE_EXTRA_CA_CERTS: caFile } });
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(tlsHits, ['/ok']);
  });
});
