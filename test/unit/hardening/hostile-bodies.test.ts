// Hostile or broken servers on 127.0.0.1, driven through `authlint send` (runSend in-process, a
// few through the built CLI): slow headers and bodies, resets mid-body, a 300 MB body, gzip /
// deflate / br bombs, invalid header bytes, enormous header sections, binary bodies and a
// server that closes without answering. Each ends with a clear report and the contract's exit
// code (0 response explained, 3 request failed). send.test.ts covers the plain cases.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import type { Report } from '../../../src/http/types';
import { cli, httpServer, rawServer, send, type Tracked } from './support';

const MiB = 1024 * 1024;

/** Compresses `total` bytes of 'A' streamed through a zlib compressor, never holding them. */
function bomb(make: () => zlib.Gzip | zlib.Deflate | zlib.BrotliCompress, total: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = make();
    const out: Buffer[] = [];
    z.on('data', (c: Buffer) => out.push(c));
    z.on('end', () => resolve(Buffer.concat(out)));
    z.on('error', reject);
    const chunk = Buffer.alloc(MiB, 'A');
    let left = total;
    const pump = (): void => {
      while (left > 0) {
        left -= chunk.length;
        if (!z.write(chunk)) return void z.once('drain', pump);
      }
      z.end();
    };
    pump();
  });
}

/** Writes bytes every `ms` until the socket closes. */
function trickle(s: Socket, head: string, piece: string, ms: number): void {
  s.write(head);
  const t = setInterval(() => s.write(piece), ms);
  s.on('close', () => clearInterval(t));
}

describe('hardening: hostile response bodies and headers', function () {
  this.timeout(120_000);
  let web: Tracked;
  let raw: Tracked;
  let dir: string;
  let hugeClosedAfter = -1;
  const bombs: Record<string, Buffer> = {};

  const rawReplies: Record<string, (s: Socket) => void> = {
    'slow-headers': (s) => trickle(s, 'HTTP/1.1 200 OK\r\n', 'X', 50),
    'endless-1xx': (s) => trickle(s, '', 'HTTP/1.1 102 Processing\r\n\r\n', 50),
    'reset-length': (s) => {
      s.write(`HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(1000)}`);
      setTimeout(() => s.destroy(), 50);
    },
    'reset-chunked': (s) => {
      s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n');
      setTimeout(() => s.resetAndDestroy(), 50);
    },
    'close-silently': (s) => s.end(),
    'reset-at-once': (s) => s.resetAndDestroy(),
    'nul-in-header': (s) => s.end('HTTP/1.1 200 OK\r\nX-Bad: a\u0000b\r\nContent-Length: 0\r\n\r\n'),
    'space-in-name': (s) => s.end('HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n'),
    'not-http': (s) => s.end('SSH-2.0-OpenSSH_9.6\r\n'),
    'cl-and-te': (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
    'header-20k': (s) => s.end(`HTTP/1.1 401 Unauthorized\r\nX-Big: ${'a'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`),
    'headers-3000': (s) => s.end(`HTTP/1.1 401 Unauthorized\r\n${Array.from({ length: 3000 }, (_, i) => `h:${i}\r\n`).join('')}Content-Length: 0\r\n\r\n`),
    escapes: (s) => {
      const body = Buffer.from('\u001b]0;pwned\u0007\u001b[2Jcleared \u202eevil', 'utf8');
      s.end(Buffer.concat([Buffer.from(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nWWW-Authenticate: Bearer realm="api"\r\nContent-Length: ${body.length}\r\n\r\n`, 'utf8'), body]));
    },
    'latin1-value': (s) => s.end(Buffer.concat([Buffer.from('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="caf'), Buffer.from([0xe9, 0xff]), Buffer.from('"\r\nContent-Length: 0\r\n\r\n')])),
  };

  before(async () => {
    bombs['gzip'] = Buffer.concat(Array.from({ length: 26 }, () => zlib.gzipSync(Buffer.alloc(10 * MiB, 'A')))); // 260 MiB in 26 gzip members
    bombs['deflate'] = await bomb(() => zlib.createDeflate({ level: 9 }), 256 * MiB);
    bombs['br'] = await bomb(() => zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } }), 1024 * MiB);
    web = await httpServer((req, res) => {
      const path = new URL(req.url!, 'http://x').pathname.slice(1);
      if (path === 'trickle-body') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        const t = setInterval(() => res.write('x'), 50);
        return void res.on('close', () => clearInterval(t));
      }
      if (path === 'stall-body') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.write('partial');
      }
      if (path === 'huge') {
        // 300 MiB streamed from one reused 64 KiB buffer; records how far it got before the client hung up.
        const chunk = Buffer.alloc(64 * 1024, 'z');
        let sent = 0;
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.on('close', () => (hugeClosedAfter = sent));
        const pump = (): void => {
          while (sent < 300 * MiB) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      if (path in bombs) {
        res.writeHead(401, { 'Content-Type': 'text/plain', 'Content-Encoding': path, 'WWW-Authenticate': 'Bearer realm="api"' });
        return void res.end(bombs[path]);
      }
      if (path === 'binary') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end(Buffer.from('\u001b]0;pwned\u0007\u0000\u001b[2J\u0089PNG', 'latin1'));
      }
      res.writeHead(404);
      res.end();
    });
    raw = await rawServer((s, first) => {
      const path = /^\w+ \/(\S*)/.exec(first.toString('latin1'))?.[1] ?? '';
      (rawReplies[path] ?? ((x: Socket) => x.destroy()))(s);
    });
    dir = mkdtempSync(join(tmpdir(), 'authlint-hostile-'));
  });
  after(async () => {
    await Promise.all([web?.close(), raw?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  function file(url: string): string {
    const f = join(dir, `r${n++}.http`);
    writeFileSync(f, `GET ${url}\nAuthorization: Bearer hostile-secret-token-123\n`);
    return f;
  }
  async function sendJson(url: string, ...flags: string[]): Promise<{ code: number; report: Report; err: string }> {
    const r = await send(file(url), '--format', 'json', ...flags);
    assert.equal(r.out.trim().startsWith('{'), true, `no JSON report: ${r.err}`);
    return { code: r.code, report: JSON.parse(r.out) as Report, err: r.err };
  }

  for (const [path, code, message] of [
    ['slow-headers', 'timeout', /sent no response headers within 300 ms/],
    ['endless-1xx', 'timeout', /sent no response headers within 300 ms/],
    ['reset-length', 'reset', /closed the connection in the middle of the response body \(after 1000 bytes\)/],
    ['reset-chunked', 'reset', /closed .* (in the middle of the response body|before a complete response arrived)/],
    ['close-silently', 'reset', /closed by the other side before a complete response arrived/],
    ['reset-at-once', 'reset', /closed by the other side before a complete response arrived/],
    ['nul-in-header', 'protocol', /is not valid HTTP\/1\.1 \(HPE_/],
    ['space-in-name', 'protocol', /is not valid HTTP\/1\.1 \(HPE_/],
    ['not-http', 'protocol', /is not valid HTTP\/1\.1 \(HPE_/],
    ['cl-and-te', 'protocol', /is not valid HTTP\/1\.1 \(HPE_/],
    ['header-20k', 'protocol', /response headers from 127\.0\.0\.1:\d+ are larger than the 16 KB Node\.js accepts/],
  ] as const) {
    it(`${path}: exit 3, error ${code} in plain words`, async () => {
      const { code: exit, report } = await sendJson(`${raw.base}/${path}`, '--timeout', '300');
      assert.equal(exit, 3);
      assert.equal(report.response, null);
      assert.equal(report.error?.code, code, report.error?.message);
      assert.match(report.error!.message, message);
      assert.ok(!JSON.stringify(report).includes('hostile-secret-token-123'));
    });
  }

  it('a body that trickles forever: the whole-body deadline fires and says so (exit 3)', async () => {
    const { code, report } = await sendJson(`${web.base}/trickle-body`, '--timeout', '300');
    assert.equal(code, 3);
    assert.equal(report.error?.code, 'timeout');
    assert.match(report.error!.message, /still arriving after 1200 ms/);
  });

  it('a body that stalls: the idle timeout fires and says so (exit 3, built CLI)', async () => {
    const r = await cli(['send', file(`${web.base}/stall-body`), '--timeout', '300']);
    assert.equal(r.killed, false);
    assert.equal(r.code, 3);
    assert.match(r.out, /^Request failed \(timeout\): The response body stopped arriving: nothing for 300 ms after 7 bytes\./);
  });

  it('keeps every one of 3,000 header field lines, in order', async () => {
    const { code, report } = await sendJson(`${raw.base}/headers-3000`);
    assert.equal(code, 0);
    const h = report.response!.headers.filter(([k]) => k === 'h');
    assert.equal(h.length, 3000);
    assert.deepEqual(h.map(([, v]) => Number(v)), Array.from({ length: 3000 }, (_, i) => i));
  });

  it('shows a header value that is not UTF-8 as latin1 text, and explains the 401', async () => {
    const { code, report } = await sendJson(`${raw.base}/latin1-value`);
    assert.equal(code, 0);
    assert.deepEqual(report.response!.headers.find(([k]) => k === 'WWW-Authenticate'), ['WWW-Authenticate', 'Basic realm="café\u00ff"']);
    assert.ok(report.diagnosis.length > 0);
  });

  it('a 300 MB body is streamed, capped at 100 MiB read and 10 MiB kept, and reported truncated', async () => {
    const { code, report } = await sendJson(`${web.base}/huge`);
    assert.equal(code, 0);
    assert.ok(report.response!.bodyBytes > 100 * MiB && report.response!.bodyBytes < 102 * MiB, `${report.response!.bodyBytes}`);
    const text = await send(file(`${web.base}/huge`));
    assert.equal(text.code, 0);
    assert.match(text.out, /Body truncated/);
    for (let i = 0; i < 100 && hugeClosedAfter < 0; i++) await new Promise((r) => setImmediate(r));
    assert.ok(hugeClosedAfter > 0 && hugeClosedAfter < 300 * MiB, `the server was stopped early (sent ${hugeClosedAfter})`);
  });

  for (const enc of ['gzip', 'deflate', 'br']) {
    it(`a ${enc} bomb is decompressed no further than 100 MiB, reported truncated, and the 401 explained`, async () => {
      const { code, report } = await sendJson(`${web.base}/${enc}`);
      assert.equal(code, 0);
      assert.equal(report.response!.status, 401);
      assert.ok(report.response!.bodyBytes <= 102 * MiB, `decoded ${report.response!.bodyBytes}`);
      assert.ok(report.diagnosis.some((d) => d.code === 'credentials-rejected'), report.diagnosis.map((d) => d.code).join());
      const text = await send(file(`${web.base}/${enc}`));
      assert.equal(text.code, 0);
      assert.match(text.out, /Body truncated/);
    });
  }

  it('a binary body is summarised, never printed, in all three formats', async () => {
    const f = file(`${web.base}/binary`);
    for (const format of ['text', 'json', 'html']) {
      const r = await send(f, '--format', format);
      assert.equal(r.code, 0);
      assert.ok(!/[\u0000\u0007\u001b]/.test(r.out), `${format}: raw control bytes in the output`);
      if (format !== 'json') assert.match(r.out, /Binary body \(text\/plain, 19 bytes\) not shown/);
    }
  });

  it('terminal escapes and bidi overrides in a body are shown, not obeyed (built CLI, text)', async () => {
    const r = await cli(['send', file(`${raw.base}/escapes`)]);
    assert.equal(r.code, 0);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/.test(r.out), 'raw control characters in the text report');
    assert.ok(r.out.includes('\\x1b]0;pwned\\x07\\x1b[2Jcleared \\u202eevil'));
  });
});
