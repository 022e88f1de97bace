// RFC 8628 §3.5 polling against a small device-flow server on 127.0.0.1 that answers
// slow_down and authorization_pending as told: the interval is honoured and grows by 5 s
// after slow_down; a code nobody enters ends in a clear timeout.

import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { MemoryTokenStore, obtainToken } from '../../../../src/http/oauth';
import type { AuthConfig } from '../../../../src/http/oauth/config';
import { explainTokenFailure } from '../../../../src/http/explain/token-request-failed';
import { close, listen } from '../runner-support';

function deviceServer(answers: string[]): { server: Server; polls: number[] } {
  const polls: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const json = (status: number, v: unknown): void => void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
      if (req.url === '/device') return json(200, { device_code: 'dev-code-1', user_code: 'WXYZ-1234', verification_uri: 'http://127.0.0.1/activate', expires_in: 60, interval: 1 });
      if (req.url === '/token' && new URLSearchParams(body).get('device_code') === 'dev-code-1') {
        polls.push(Date.now());
        const a = answers.shift() ?? 'authorization_pending';
        return a === 'ok' ? json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 60 }) : json(400, { error: a });
      }
      return json(404, {});
    });
  });
  return { server, polls };
}

const cfg = (base: string): AuthConfig => ({ id: 'tv', file: 'http-client.env.json', line: 3, grant: 'device_code', tokenUrl: `${base}/token`, deviceAuthUrl: `${base}/device`, clientId: 'tv', clientAuth: 'none', pkce: false, useIdToken: false, customParams: {} });

describe('device authorization polling (RFC 8628 §3.5)', function () {
  this.timeout(30_000);

  it('waits the interval, adds 5 s after slow_down, then gets the token', async () => {
    const { server, polls } = deviceServer(['slow_down', 'ok']);
    const base = await listen(server);
    try {
      let shown = '';
      const started = Date.now();
      const out = await obtainToken(cfg(base), { store: new MemoryTokenStore(), send: { env: {} }, secrets: new Set(), interaction: { timeoutMs: 20_000, onDeviceCode: (i) => void (shown = i.userCode) } });
      assert.equal(shown, 'WXYZ-1234');
      assert.ok(out.ok && out.tokens.accessToken === 'at-1');
      assert.equal(polls.length, 2);
      assert.ok(polls[0]! - started >= 1000, 'first poll after the 1 s interval');
      assert.ok(polls[1]! - polls[0]! >= 6000, `second poll ${polls[1]! - polls[0]!} ms after the first: 1 s + 5 s after slow_down`);
    } finally {
      await close(server);
    }
  });

  it('nobody enters the code: a clear timeout naming the code and URI', async () => {
    const { server } = deviceServer([]);
    const base = await listen(server);
    try {
      const out = await obtainToken(cfg(base), { store: new MemoryTokenStore(), send: { env: {} }, secrets: new Set(), interaction: { timeoutMs: 2500 } });
      assert.ok(!out.ok);
      const f = explainTokenFailure(out.failure);
      assert.match(f.title!, /Timed out waiting for the login for "tv"/);
      assert.match(f.detail, /Nobody entered the user code WXYZ-1234 at http:\/\/127\.0\.0\.1\/activate in time \(waited 2\.5 s, polling every 1 s\)/);
    } finally {
      await close(server);
    }
  });
});
