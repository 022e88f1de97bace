// One HTTP/1.1 exchange over node:http / node:https (never fetch: it joins repeated field
// lines). Every response field line is kept from rawHeaders, in order. Timeouts: one for
// connect + response headers, one for the body going idle. The body is decoded
// (gzip/deflate/br) with a cap on what is kept and a cap on how much is decompressed.

import { say } from './say';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import * as zlib from 'node:zlib';
import type { HeaderList } from './types';
import { classifyError, SendFailure } from './send-errors';
import { openTunnel, proxyAuthFromUrl } from './send-proxy';

export interface HopRequest {
  method: string;
  url: URL;
  /** Exactly the header lines to send (Host, Content-Length, Connection included). */
  headers: HeaderList;
  body?: Buffer;
}

export interface HopOptions {
  timeoutMs: number;
  insecure: boolean;
  /** Extra trusted CA certificates (PEM), replacing the default list when given. */
  ca?: string | Buffer;
  maxBodyBytes: number;
  /** Body bytes read (after decompression) at most; reading stops there, the body is truncated. */
  maxDecodedBytes: number;
  /** The whole body must arrive within this (a body that trickles forever times out). */
  maxBodyMs: number;
  proxy?: URL;
  /** Aborts the request and closes its socket (the editor's Cancel). */
  signal?: AbortSignal;
}

export interface HopResponse {
  status: number;
  statusText: string;
  headers: HeaderList;
  body: Buffer;
  bodyBytes: number;
  truncated: boolean;
  /** Headers as actually sent (proxy additions included). */
  sentHeaders: HeaderList;
  /** True when the answer came from the proxy refusing a CONNECT tunnel. */
  fromProxy?: boolean;
}

function pairs(raw: string[]): HeaderList {
  const out: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function flat(headers: HeaderList): string[] {
  return headers.flatMap(([k, v]) => [k, v]);
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

export async function sendHop(req: HopRequest, opts: HopOptions): Promise<HopResponse> {
  const { url } = req;
  const isHttps = url.protocol === 'https:';
  const port = Number(url.port || (isHttps ? 443 : 80));
  let sent = req.headers;
  let createConnection: (() => Duplex) | undefined;
  let path = `${url.pathname || '/'}${url.search}`;
  let connectHost = url.hostname.replace(/^\[|\]$/g, '');
  let connectPort = port;
  const proxy = opts.proxy;
  const proxyAuth = proxy ? proxyAuthFromUrl(proxy) : undefined;
  const hasProxyAuth = req.headers.some(([k]) => k.toLowerCase() === 'proxy-authorization');

  if (proxy && !isHttps) {
    path = url.href; // absolute-form (RFC 9112 §3.2.2)
    connectHost = proxy.hostname;
    connectPort = Number(proxy.port || 80);
    if (proxyAuth && !hasProxyAuth) sent = [...sent, ['Proxy-Authorization', proxyAuth]];
  } else if (proxy && isHttps) {
    const tunnelHeaders: HeaderList = req.headers.filter(([k]) => k.toLowerCase() === 'proxy-authorization' || k.toLowerCase() === 'user-agent');
    if (proxyAuth && !hasProxyAuth) tunnelHeaders.push(['Proxy-Authorization', proxyAuth]);
    const tunnel = await openTunnel(proxy, url, tunnelHeaders, opts.timeoutMs);
    if (!('socket' in tunnel)) {
      return { ...tunnel, body: Buffer.alloc(0), bodyBytes: 0, truncated: false, sentHeaders: tunnelHeaders, fromProxy: true };
    }
    // Proxy credentials stay with the proxy; the origin never sees them.
    sent = sent.filter(([k]) => k.toLowerCase() !== 'proxy-authorization');
    const servername = isIP(connectHost) ? undefined : connectHost;
    createConnection = () => tls.connect({ socket: tunnel.socket, ...(servername ? { servername } : {}), rejectUnauthorized: !opts.insecure, ALPNProtocols: ['http/1.1'], ...(opts.ca ? { ca: opts.ca } : {}) });
  }

  return new Promise<HopResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(headTimer);
      reject(classifyError(err, url, proxy));
    };
    const options: https.RequestOptions = {
      method: req.method,
      host: connectHost,
      port: connectPort,
      path,
      headers: flat(sent) as unknown as http.OutgoingHttpHeaders,
      agent: false,
      setHost: false,
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    if (isHttps) {
      options.rejectUnauthorized = !opts.insecure;
      if (opts.ca) options.ca = opts.ca;
      if (!isIP(connectHost)) options.servername = connectHost;
    }
    if (createConnection) {
      // Through a CONNECT tunnel: TLS is already set up on the socket we hand over.
      delete options.agent;
      options.createConnection = createConnection as unknown as https.RequestOptions['createConnection'];
    }
    const client = isHttps && !createConnection ? https.request(options) : http.request(options);
    // Keep every field line (Node keeps the first 2000 raw entries by default); the 16 KB
    // header size limit still bounds them.
    client.maxHeadersCount = 0;
    const headTimer = setTimeout(() => {
      const connected = client.socket && !client.socket.connecting;
      client.destroy(
        new SendFailure('timeout', connected
          ? say`The server at ${url.host} accepted the connection but sent no response headers within ${opts.timeoutMs} ms.`
          : say`Could not connect to ${proxy ? `the proxy ${proxy.host}` : url.host} within ${opts.timeoutMs} ms.`),
      );
    }, opts.timeoutMs);
    client.once('error', fail);
    client.once('response', (res) => {
      clearTimeout(headTimer);
      readBody(res, req.method, opts).then(
        (b) => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: pairs(res.rawHeaders), ...b, sentHeaders: sent });
        },
        fail,
      );
    });
    client.end(req.body);
  });
}

function readBody(res: http.IncomingMessage, method: string, opts: HopOptions): Promise<{ body: Buffer; bodyBytes: number; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    let truncated = false;
    let done = false;
    const noBody = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
    const decoder = noBody ? undefined : decoderFor(res.headers['content-encoding']);
    const source: NodeJS.ReadableStream = decoder ? res.pipe(decoder) : res;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      res.socket?.setTimeout(0);
      resolve({ body: Buffer.concat(chunks), bodyBytes: total, truncated });
    };
    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      res.destroy();
      reject(err);
    };
    res.socket?.setTimeout(opts.timeoutMs, () => {
      fail(new SendFailure('timeout', say`The response body stopped arriving: nothing for ${opts.timeoutMs} ms after ${total} bytes.`));
    });
    const deadline = setTimeout(() => {
      fail(new SendFailure('timeout', say`The response body was still arriving after ${opts.maxBodyMs} ms (${total} bytes so far; a stream that never ends?), so reading stopped.`));
    }, opts.maxBodyMs);
    source.on('data', (c: Buffer) => {
      total += c.length;
      if (kept < opts.maxBodyBytes) {
        const take = c.subarray(0, opts.maxBodyBytes - kept);
        chunks.push(take);
        kept += take.length;
      }
      if (total > opts.maxBodyBytes) truncated = true;
      if (total > opts.maxDecodedBytes) {
        // Decompression bomb or endless body: stop reading, keep what we have.
        truncated = true;
        finish();
        res.destroy();
      }
    });
    source.on('end', finish);
    if (decoder) {
      decoder.on('error', () => {
        truncated = true;
        finish();
      });
    }
    res.on('error', fail);
    res.on('aborted', () => fail(new SendFailure('reset', say`The server closed the connection in the middle of the response body (after ${total} bytes).`)));
  });
}
