// authlint mcp-check against MCP SDK servers (bearer-auth middleware + metadata router) whose
// authorization server is a real oidc-provider, all on 127.0.0.1, and against broken variants.

import * as assert from 'node:assert/strict';
import { createServer as createTcp, type Server as TcpServer } from 'node:net';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runMcpCheck } from '../../../../src/cli/mcp-check';
import type { McpReport, McpStep } from '../../../../src/http/mcp-check';
import { Collect } from '../explain-support';
import { close } from '../runner-support';
import { startIdp, type Idp } from '../oauth/idp';
import { startMcp, type Variant } from './mcp-servers';

async function check(url: string, ...flags: string[]): Promise<{ code: number; report: McpReport; out: string; err: string }> {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runMcpCheck([url, '--format', 'json', '--timeout', '5000', ...flags], { stdout, stderr });
  return { code, report: JSON.parse(stdout.text || '{}') as McpReport, out: stdout.text, err: stderr.text };
}

const stepOf = (r: McpReport, id: string): McpStep => r.steps.find((s) => s.id === id) ?? assert.fail(`no step ${id} in ${JSON.stringify(r.steps.map((s) => s.id))}`);

describe('authlint mcp-check', function () {
  this.timeout(30_000);
  let idp: Idp;
  before(async () => {
    idp = await startIdp();
  });
  after(async () => idp.stop());

  async function against(variant: Variant): Promise<Awaited<ReturnType<typeof check>>> {
    const s = await startMcp(idp, variant);
    try {
      return await check(s.url);
    } finally {
      await s.stop();
    }
  }

  it('a correct MCP SDK server with oidc-provider: every step passes, exit 0', async () => {
    const r = await against('good');
    assert.equal(r.code, 0, JSON.stringify(r.report.steps, null, 1));
    assert.deepEqual(r.report.steps.map((s) => s.id), ['challenge', 'resource-metadata', 'resource-match', 'authorization-server-metadata', 'issuer-match', 'pkce', 'registration']);
    assert.equal(r.report.version, 1);
    assert.ok(r.report.steps.slice(0, 6).every((s) => s.ok === true));
    assert.match(stepOf(r.report, 'authorization-server-metadata').detail, new RegExp(`${idp.issuer}: RFC 8414 metadata at ${idp.issuer}/\\.well-known/oauth-authorization-server\\.`));
    assert.match(stepOf(r.report, 'registration').title, /Only pre-registered clients/);
  });

  it('no resource_metadata in the challenge: challenge fails, the well-known fallback still finds the metadata', async () => {
    const r = await against('no-resource-metadata');
    assert.equal(r.code, 1);
    const c = stepOf(r.report, 'challenge');
    assert.equal(c.ok, false);
    assert.match(c.detail, /Add resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/);
    assert.equal(stepOf(r.report, 'resource-metadata').ok, true);
  });

  it('metadata 404: resource-metadata fails, the rest is not checked', async () => {
    const r = await against('metadata-404');
    assert.equal(r.code, 1);
    const m = stepOf(r.report, 'resource-metadata');
    assert.equal(m.ok, false);
    assert.match(m.detail, /The challenge's resource_metadata URL http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp: 404/);
    assert.equal(stepOf(r.report, 'pkce').ok, null);
  });

  it('403 on the well-known URL: says a missing document is 404 and metadata must be public', async () => {
    const r = await against('well-known-403');
    const m = stepOf(r.report, 'resource-metadata');
    assert.equal(m.ok, false);
    assert.match(m.detail, /a well-known URL without a document must answer 404, and the metadata must be public; a 403 there stops clients/);
  });

  it('resource mismatch', async () => {
    const r = await against('resource-mismatch');
    const m = stepOf(r.report, 'resource-match');
    assert.equal(m.ok, false);
    assert.match(m.detail, /resource = "http:\/\/127\.0\.0\.1:\d+\/", but the URL checked is .*\/mcp/);
  });

  it('issuer mismatch', async () => {
    const r = await against('issuer-mismatch');
    const m = stepOf(r.report, 'issuer-match');
    assert.equal(m.ok, false);
    assert.match(m.detail, new RegExp(`issuer = "${idp.issuer}", but the resource metadata names http://127\\.0\\.0\\.1:\\d+/as`));
    // Found only by OpenID Connect Discovery, path appended, after RFC 8414 and the path-inserted form.
    assert.match(stepOf(r.report, 'authorization-server-metadata').detail, /OpenID Connect Discovery metadata at http:\/\/127\.0\.0\.1:\d+\/as\/\.well-known\/openid-configuration \(after .*oauth-authorization-server\/as: 404.*openid-configuration\/as: 404/);
  });

  it('no S256', async () => {
    const r = await against('no-s256');
    const m = stepOf(r.report, 'pkce');
    assert.equal(m.ok, false);
    assert.match(m.detail, /\["plain"\], without S256/);
    assert.equal(stepOf(r.report, 'issuer-match').ok, true);
  });

  it('a public MCP server: challenge not applicable, exit 0', async () => {
    const r = await against('public');
    assert.equal(r.code, 0);
    assert.equal(stepOf(r.report, 'challenge').ok, null);
    assert.match(stepOf(r.report, 'challenge').title, /does not ask for authorization/);
  });

  it('a web page, not an MCP endpoint: said plainly', async () => {
    const app = express();
    app.use((_req, res) => void res.type('html').send('<!doctype html><title>Shop</title>'));
    const s = createServer(app);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    try {
      const r = await check(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
      assert.equal(r.code, 1);
      assert.match(stepOf(r.report, 'challenge').detail, /not an MCP endpoint/);
    } finally {
      await close(s);
    }
  });

  it('not HTTP at all: said plainly; nothing listening: exit 3', async () => {
    const socks: Array<import('node:net').Socket> = [];
    const tcp: TcpServer = createTcp((sock) => {
      socks.push(sock);
      sock.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    try {
      const r = await check(`http://127.0.0.1:${(tcp.address() as AddressInfo).port}/mcp`);
      assert.equal(r.code, 1);
      assert.match(stepOf(r.report, 'challenge').title, /does not speak HTTP/);
    } finally {
      for (const x of socks) x.destroy();
      await new Promise((r) => tcp.close(r));
    }
    const down = await check('http://127.0.0.1:9/mcp');
    assert.equal(down.code, 3);
    assert.match(stepOf(down.report, 'challenge').title, /could not be reached/);
  });

  it('usage errors exit 2; text and html formats', async () => {
    const stdout = new Collect();
    const stderr = new Collect();
    assert.equal(await runMcpCheck(['ftp://x'], { stdout, stderr }), 2);
    assert.equal(await runMcpCheck([], { stdout, stderr }), 2);
    const s = await startMcp(idp, 'no-s256');
    try {
      const t = new Collect();
      assert.equal(await runMcpCheck([s.url], { stdout: t, stderr }), 1);
      assert.match(t.text, /^FAIL pkce: PKCE with S256 is not offered$/m);
      const h = new Collect();
      await runMcpCheck([s.url, '--format', 'html'], { stdout: h, stderr });
      assert.match(h.text, /Content-Security-Policy/);
      assert.ok(!/<script/i.test(h.text));
    } finally {
      await s.stop();
    }
  });
});
