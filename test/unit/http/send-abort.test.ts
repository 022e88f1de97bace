// Cancelling a request closes its socket at once, and says so.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendRequest } from '../../../src/http/send';

describe('send: abort signal', () => {
  let server: http.Server;
  let closed = 0;
  let url = '';
  before(async () => {
    server = http.createServer((req) => {
      // never answers; records when the client goes away
      req.socket.on('close', () => closed++);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('aborts the request, closes the socket and reports "cancelled"', async () => {
    const abort = new AbortController();
    const pending = sendRequest({ method: 'GET', url, headers: [], line: 1, noRedirect: false, noCookieJar: false }, { timeoutMs: 60_000, signal: abort.signal });
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    const outcome = await pending;
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.error.code, 'cancelled');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(closed, 1, 'the server saw the connection close');
  });
});
