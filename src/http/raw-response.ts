// Reads what `curl -si` prints (one or more raw HTTP/1.x or HTTP/2 responses in a row:
// 100 Continue, a proxy's "200 Connection established", redirects followed with -L) and an
// optional raw request (`METHOD URL HTTP/1.1` + headers, or the `> ` lines of `curl -v`),
// and turns them into an Exchange for explain(). Never throws on bad input: returns an error.

import { isCredentialName, isSecretHeader } from './redact';
import type { Exchange, HeaderList, ReceivedResponse, RedirectHop, SentRequest } from './types';

export interface RawResponse {
  httpVersion: string;
  status: number;
  statusText: string;
  headers: HeaderList;
}

export interface ParsedCapture {
  /** Every response head in order; the last one is the final response. */
  responses: RawResponse[];
  /** Body bytes of the last response. */
  body: Buffer;
}

const STATUS_LINE = /^HTTP\/(\d(?:\.\d)?) +(\d{3})(?: (.*))?$/;

/** Line reader over a Buffer that accepts CRLF or bare LF endings. */
function readLine(buf: Buffer, pos: number): { line: string; next: number } | undefined {
  if (pos >= buf.length) return undefined;
  let end = buf.indexOf(0x0a, pos);
  const next = end < 0 ? buf.length : end + 1;
  if (end < 0) end = buf.length;
  const lineEnd = end > pos && buf[end - 1] === 0x0d ? end - 1 : end;
  return { line: buf.toString('latin1', pos, lineEnd), next };
}

/** Header bytes are read as latin1 (byte-preserving), then re-read as UTF-8 when that is valid. */
function text(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? latin1 : utf8;
}

/** Trims SP and HTAB only (RFC 9110 §5.5 OWS): String#trim would also cut the latin1 reading
 * of a UTF-8 byte such as 0xA0 (the end of "à") off a header value. */
function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

function parseHead(buf: Buffer, start: number): { head: RawResponse; next: number } | { error: string } {
  const first = readLine(buf, start);
  const m = first ? STATUS_LINE.exec(first.line) : null;
  if (!first || !m) return { error: 'expected a status line such as "HTTP/1.1 401 Unauthorized"' };
  const head: RawResponse = { httpVersion: m[1] ?? '1.1', status: Number(m[2]), statusText: text(trimOws(m[3] ?? '')), headers: [] };
  let pos = first.next;
  for (;;) {
    const l = readLine(buf, pos);
    if (!l) return { head, next: buf.length };
    pos = l.next;
    if (l.line === '') return { head, next: pos };
    const last = head.headers[head.headers.length - 1];
    if ((l.line.startsWith(' ') || l.line.startsWith('\t')) && last) {
      last[1] = `${last[1]} ${text(trimOws(l.line))}`; // obs-fold (RFC 9112 §5.2)
      continue;
    }
    const colon = l.line.indexOf(':');
    if (colon <= 0) continue; // not a field line; curl never prints one
    head.headers.push([l.line.slice(0, colon).trim(), text(trimOws(l.line.slice(colon + 1)))]);
  }
}

function startsWithStatusLine(buf: Buffer, pos: number): boolean {
  const l = readLine(buf, pos);
  return l !== undefined && STATUS_LINE.test(l.line);
}

function isIntermediate(r: RawResponse): boolean {
  return (r.status >= 100 && r.status < 200) || (r.status >= 300 && r.status < 400) || (r.status === 200 && /connection established/i.test(r.statusText));
}

/** Splits a `curl -si` capture into response heads and the final body. */
export function parseCapture(input: Buffer): ParsedCapture | { error: string } {
  // Windows PowerShell 5 redirection writes UTF-16LE with a BOM; editors may add a UTF-8 BOM.
  let buf = input;
  if (buf[0] === 0xff && buf[1] === 0xfe) buf = Buffer.from(buf.subarray(2).toString('utf16le'), 'utf8');
  else if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  let pos = 0;
  // Skip blank lines before the first status line.
  for (let l = readLine(buf, pos); l && l.line.trim() === ''; l = readLine(buf, pos)) pos = l.next;
  if (pos >= buf.length) return { error: 'the input is empty: pipe in a raw response, e.g. `curl -si URL | authlint explain`' };
  const responses: RawResponse[] = [];
  for (;;) {
    const r = parseHead(buf, pos);
    if ('error' in r) {
      if (responses.length === 0) return { error: `no HTTP response found: ${r.error}` };
      break;
    }
    responses.push(r.head);
    pos = r.next;
    if (isIntermediate(r.head) && startsWithStatusLine(buf, pos)) continue;
    break;
  }
  return { responses, body: buf.subarray(pos) };
}

/** Parses a raw request (`GET /path HTTP/1.1`, headers, blank line, body); `> ` prefixes are stripped. */
export function parseRawRequest(input: string): SentRequest | { error: string } {
  const lines = input.replace(/^\uFEFF/, '').split(/\r?\n/);
  const isTrace = lines.some((l) => l.startsWith('> '));
  const src = isTrace ? lines.filter((l) => l.startsWith('>')).map((l) => l.replace(/^> ?/, '')) : lines;
  let i = 0;
  while (i < src.length && (src[i] ?? '').trim() === '') i++;
  const m = /^([A-Z]+) +((?:\/|https?:\/\/|\*)\S*)(?: +HTTP\/[\d.]+)?\s*$/i.exec(src[i] ?? '');
  if (!m) return { error: 'expected a request line such as "GET https://api.example.com/me HTTP/1.1"' };
  const method = (m[1] ?? 'GET').toUpperCase();
  const target = m[2] ?? '/';
  const headers: HeaderList = [];
  i++;
  for (; i < src.length; i++) {
    const l = src[i] ?? '';
    if (l.trim() === '') {
      i++;
      break;
    }
    const colon = l.indexOf(':');
    if (colon > 0) headers.push([l.slice(0, colon).trim(), l.slice(colon + 1).trim()]);
  }
  const req: SentRequest = { method, url: absoluteUrl(target, headers), headers };
  const body = src.slice(i).join('\n');
  if (!isTrace && body.trim() !== '') req.body = body;
  return req;
}

/** The request target made absolute with Host (https unless the host is local or on port 80). */
function absoluteUrl(target: string, headers: HeaderList): string {
  if (/^https?:\/\//i.test(target)) return target;
  const host = headers.find(([n]) => n.toLowerCase() === 'host')?.[1];
  if (!host) return target;
  const local = /^(localhost|127\.|\[::1\])/i.test(host) || /:80$/.test(host);
  return `${local ? 'http' : 'https'}://${host}${target.startsWith('/') ? target : `/${target}`}`;
}

function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** What curl (without --location-trusted) removes when a redirect changes host. */
const CURL_DROPS = ['authorization', 'cookie'];

const BINARY_TYPE = /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip|x-protobuf|protobuf|grpc|wasm|vnd\.)/i;

/** True when the body should be summarised rather than shown. */
export function looksBinary(body: Buffer, contentType: string | undefined): boolean {
  if (contentType && BINARY_TYPE.test(contentType) && !/json|xml|text/i.test(contentType)) return true;
  const sample = body.subarray(0, 4096);
  if (sample.includes(0)) return true;
  return sample.length > 0 && sample.toString('utf8').includes('\uFFFD') && !/charset=(iso-8859|latin|windows-)/i.test(contentType ?? '');
}

/**
 * An Exchange from a capture and an optional request. With redirects, request.txt is the
 * request as first sent; like curl (without --location-trusted), Authorization and Cookie are
 * taken to be dropped when a hop changes origin, and the final request carries the rest: other
 * credential headers (X-API-Key...) are recorded as `kept`, sent on to the new origin.
 */
export function captureToExchange(capture: ParsedCapture, request?: SentRequest): Exchange {
  const final = capture.responses[capture.responses.length - 1] as RawResponse;
  const redirects: RedirectHop[] = [];
  let current = request ? { ...request, headers: [...request.headers] } : undefined;
  for (const r of capture.responses.slice(0, -1)) {
    if (r.status < 300 || r.status >= 400) continue;
    const loc = r.headers.find(([n]) => n.toLowerCase() === 'location')?.[1] ?? '';
    const hop: RedirectHop = { status: r.status, location: loc, headers: r.headers };
    if (current) {
      let next = loc;
      try {
        next = new URL(loc, current.url).toString();
      } catch {
        // keep as written
      }
      const from = origin(current.url);
      const to = origin(next);
      if (from && to && from !== to) {
        const dropped = current.headers.filter(([n]) => CURL_DROPS.includes(n.toLowerCase())).map(([n]) => n);
        if (dropped.length > 0) hop.dropped = dropped;
        current.headers = current.headers.filter(([n]) => !CURL_DROPS.includes(n.toLowerCase()));
        // curl sends every other header on: an API key header reached the new origin.
        const kept = current.headers.filter(([n]) => n.toLowerCase() !== 'host' && (isSecretHeader(n) || isCredentialName(n))).map(([n]) => n);
        if (kept.length > 0) hop.kept = [...new Set(kept)];
      }
      const toGet = current.method !== 'GET' && current.method !== 'HEAD' && (r.status === 303 || ((r.status === 301 || r.status === 302) && current.method === 'POST'));
      let headers = current.headers;
      if (toGet) headers = headers.filter(([n]) => !['content-type', 'content-length', 'transfer-encoding'].includes(n.toLowerCase()));
      try {
        const host = new URL(next).host;
        headers = headers.map(([n, v]) => (n.toLowerCase() === 'host' ? [n, host] : [n, v]));
      } catch {
        // relative Location with an unknown base: keep Host
      }
      current = { ...current, method: toGet ? 'GET' : current.method, url: next, headers };
      if (toGet) delete current.body;
    }
    redirects.push(hop);
  }
  const contentType = final.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  const binary = looksBinary(capture.body, contentType);
  const response: ReceivedResponse = {
    status: final.status,
    statusText: final.statusText,
    headers: final.headers,
    bodyBytes: capture.body.length,
    elapsedMs: 0,
    redirects,
  };
  if (binary) response.bodyBinary = true;
  else if (capture.body.length > 0) response.body = capture.body.toString('utf8');
  const ex: Exchange = { response };
  if (current) ex.request = current;
  if (request && redirects.length > 0) ex.originalRequest = request;
  return ex;
}
