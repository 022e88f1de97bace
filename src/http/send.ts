// Sends one request and follows what follows from it: redirects (ours, so we can say what was
// dropped), Digest answers, the run's cookie jar. Every header that carries a credential is
// removed on any change of origin, https->http on the same host included (scheme, host or port
// differ), and the names removed are recorded per hop. A header carries a credential by its
// name (Authorization, Cookie, X-API-Key, X-Auth-Token, anything naming a key, token, secret,
// session, password or signature: redact.ts) or by its value (it holds a value substituted from
// a private env file, $processEnv, $dotenv or a secret prompt).

import { say } from './say';
import type { Exchange, HeaderList, ReceivedResponse, RedirectHop, SentRequest } from './types';
import type { RequestSpec } from './request-build';
import { digestAuthorization, pickDigestChallenge, type DigestCredentials } from './auth-shorthand';
import { getParam } from './challenge';
import { values } from './explain-context';
import { looksBinary } from './raw-response';
import { isCredentialName, isSecretHeader, MIN_SUBSTRING_SECRET, redactUrl } from './redact';
import { CookieJar } from './send-cookies';
import { classifyError, SendFailure, type SendFailureInfo } from './send-errors';
import { proxyFor, type ProxyEnv } from './send-proxy';
import { sendHop, type HopResponse } from './send-transport';

export { CookieJar } from './send-cookies';
export type { FailureCode, SendFailureInfo } from './send-errors';

export interface SendOptions {
  /** Connect + response headers, and the longest pause while the body arrives. Default 30 s. */
  timeoutMs?: number;
  /** Skip TLS certificate verification. */
  insecure?: boolean;
  /** Trusted CA certificates (PEM) instead of the system list, e.g. for a private CA. */
  ca?: string | Buffer;
  /** Overrides the request's own `@no-redirect`. */
  followRedirects?: boolean;
  maxRedirects?: number;
  /** Body bytes kept (the rest is counted and discarded). Default 10 MB. */
  maxBodyBytes?: number;
  /** Body bytes read (after decompression) at most; reading stops there. Default 100 MB. */
  maxDecodedBytes?: number;
  /** The whole body must arrive within this. Default 4 × timeoutMs. */
  maxBodyMs?: number;
  /** The run's jar; ignored when the request says `@no-cookie-jar`. */
  cookieJar?: CookieJar;
  /** Where HTTP_PROXY / HTTPS_PROXY / NO_PROXY are read. Default process.env. */
  env?: ProxyEnv;
  /** Aborts the request in flight and closes its socket. */
  signal?: AbortSignal;
  /** Values substituted from secret sources: a header holding one never crosses origins. */
  secretValues?: Iterable<string>;
}

export type SendOutcome =
  | { ok: true; exchange: Exchange }
  | { ok: false; error: SendFailureInfo; request: SentRequest; redirects: RedirectHop[] };

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

/** True when this header field carries a credential, by its name or by a secret in its value. */
export function carriesCredential(name: string, value: string, secrets: readonly string[] = []): boolean {
  if (isSecretHeader(name) || isCredentialName(name)) return true;
  for (const s of secrets) {
    if (s.length >= MIN_SUBSTRING_SECRET ? value.includes(s) : value.trim() === s || value.split(/[^A-Za-z0-9_~.+/=-]+/).includes(s)) return true;
  }
  return false;
}
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function without(headers: HeaderList, names: string[]): HeaderList {
  return headers.filter(([k]) => !names.includes(k.toLowerCase()));
}

function has(headers: HeaderList, name: string): boolean {
  return headers.some(([k]) => k.toLowerCase() === name);
}

/** Text of the kept body bytes, unless they look binary (the same test `authlint explain` uses). */
function bodyText(body: Buffer, headers: HeaderList): { text?: string; binary: boolean } {
  if (looksBinary(body, values(headers, 'content-type')[0])) return { binary: true };
  return { text: body.toString('utf8'), binary: false };
}

interface Current {
  method: string;
  url: URL;
  headers: HeaderList;
  body?: Buffer;
}

function wireHeaders(cur: Current, jar: CookieJar | undefined): HeaderList {
  const out: HeaderList = [];
  if (!has(cur.headers, 'host')) out.push(['Host', cur.url.host]);
  let headers = cur.headers;
  const jarCookie = jar?.header(cur.url);
  if (jarCookie) {
    const own = values(headers, 'cookie');
    headers = without(headers, ['cookie']);
    headers.push(['Cookie', [...own, jarCookie].join('; ')]);
  }
  out.push(...headers);
  if (!has(out, 'accept-encoding')) out.push(['Accept-Encoding', 'gzip, deflate, br']);
  if (cur.body !== undefined || ['POST', 'PUT', 'PATCH'].includes(cur.method)) out.push(['Content-Length', String(cur.body?.length ?? 0)]);
  if (!has(out, 'connection')) out.push(['Connection', 'close']);
  return out;
}

function sentRequest(cur: Current, headers: HeaderList): SentRequest {
  const r: SentRequest = { method: cur.method, url: cur.url.href, headers };
  if (cur.body !== undefined) r.body = cur.body.toString('utf8');
  return r;
}

/** Answers a Digest challenge once (twice when the server says stale=true). */
function digestRetry(hop: HopResponse, creds: DigestCredentials | undefined, header: 'www-authenticate' | 'proxy-authenticate', method: string, uri: string, tries: number): string | undefined {
  if (!creds || tries >= 2) return undefined;
  const challenge = pickDigestChallenge(values(hop.headers, header));
  if (!challenge) return undefined;
  if (tries === 1 && getParam(challenge, 'stale')?.toLowerCase() !== 'true') return undefined;
  return digestAuthorization(challenge, creds, method, uri);
}

/**
 * A URL with a user name and password (user:pass@ before the host): like curl and Node's own
 * http.request given such a URL, they become `Authorization: Basic` unless the request has its
 * own Authorization; either way they leave the URL (the request line never carries them).
 * Mutates `url`.
 */
export function userinfoAsBasic(url: URL, headers: HeaderList): HeaderList {
  const out = headers.map(([k, v]) => [k, v] as [string, string]);
  if (!url.username && !url.password) return out;
  const dec = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (!has(out, 'authorization')) out.push(['Authorization', `Basic ${Buffer.from(`${dec(url.username)}:${dec(url.password)}`, 'utf8').toString('base64')}`]);
  url.username = '';
  url.password = '';
  return out;
}

export async function sendRequest(spec: RequestSpec, opts: SendOptions = {}): Promise<SendOutcome> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const hopOpts = { timeoutMs, insecure: opts.insecure ?? false, ...(opts.ca ? { ca: opts.ca } : {}), maxBodyBytes, maxDecodedBytes: Math.max(opts.maxDecodedBytes ?? 100 * 1024 * 1024, maxBodyBytes), maxBodyMs: opts.maxBodyMs ?? 4 * timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) };
  const follow = opts.followRedirects ?? !spec.noRedirect;
  const maxRedirects = opts.maxRedirects ?? 10;
  const jar = spec.noCookieJar ? undefined : opts.cookieJar;
  const env = opts.env ?? process.env;
  const secrets = [...(opts.secretValues ?? [])].filter((v) => v !== '');
  const firstUrl = new URL(spec.url);
  const written = userinfoAsBasic(firstUrl, spec.headers);
  let cur: Current = { method: spec.method, url: firstUrl, headers: written };
  if (spec.body !== undefined) cur.body = spec.body;
  const redirects: RedirectHop[] = [];
  const started = Date.now();
  let original: SentRequest | undefined;
  let last: SentRequest;
  let digestTries = 0;
  let proxyDigestTries = 0;

  for (;;) {
    const headers = wireHeaders(cur, jar);
    last = sentRequest(cur, headers);
    let hop: HopResponse;
    let proxy: URL | undefined;
    try {
      proxy = proxyFor(cur.url, env);
      hop = await sendHop({ method: cur.method, url: cur.url, headers, ...(cur.body !== undefined ? { body: cur.body } : {}) }, { ...hopOpts, ...(proxy ? { proxy } : {}) });
    } catch (err) {
      return { ok: false, error: classifyError(err, cur.url, proxy).info, request: last, redirects };
    }
    last.headers = hop.sentHeaders;
    if (redirects.length === 0) original = last; // the request as written (after any Digest answer), before redirects
    if (jar) for (const sc of values(hop.headers, 'set-cookie')) jar.store(sc, cur.url);

    const sameOriginAsFirst = cur.url.origin === firstUrl.origin;
    const target = `${cur.url.pathname}${cur.url.search}`;
    const www = hop.status === 401 && sameOriginAsFirst ? digestRetry(hop, spec.digest, 'www-authenticate', cur.method, target, digestTries) : undefined;
    // A refused CONNECT is answered for CONNECT host:port (RFC 9110 §9.3.6), else for the request.
    const prx = hop.status === 407
      ? hop.fromProxy
        ? digestRetry(hop, spec.proxyDigest, 'proxy-authenticate', 'CONNECT', `${cur.url.hostname}:${cur.url.port || 443}`, proxyDigestTries)
        : digestRetry(hop, spec.proxyDigest, 'proxy-authenticate', cur.method, target, proxyDigestTries)
      : undefined;
    if (www || prx) {
      const name = www ? 'Authorization' : 'Proxy-Authorization';
      cur = { ...cur, headers: [...without(cur.headers, [name.toLowerCase()]), [name, (www ?? prx)!]] };
      if (www) digestTries++;
      else proxyDigestTries++;
      continue;
    }

    const location = values(hop.headers, 'location')[0];
    // A Location that does not parse is not followed: the 3xx itself is the answer.
    const next = follow && REDIRECTS.has(hop.status) && location !== undefined && !hop.fromProxy && URL.canParse(location, cur.url) ? new URL(location, cur.url) : undefined;
    if (next && location !== undefined) {
      const record: RedirectHop = { status: hop.status, location: next.protocol.startsWith('http') ? next.href : location, headers: hop.headers };
      if (redirects.length >= maxRedirects) {
        redirects.push(record);
        const chain = [firstUrl.href, ...redirects.map((r) => r.location)].map(redactUrl).join(' -> ');
        const f = new SendFailure('too-many-redirects', say`Stopped after ${maxRedirects} redirects (the last one, ${hop.status}, pointed to ${redactUrl(next.href)}). The server may be redirecting in a loop, for example to a login page that redirects back. The chain: ${chain}`);
        return { ok: false, error: f.info, request: last, redirects };
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        redirects.push(record);
        return { ok: false, error: new SendFailure('other', say`The server redirected to ${location}, which is not an http(s) URL.`).info, request: last, redirects };
      }
      let headersNext = cur.headers;
      if (next.origin !== cur.url.origin) {
        const credential = ([k, v]: [string, string]): boolean => carriesCredential(k, v, secrets);
        const dropped = [...new Set(cur.headers.filter(credential).map(([k]) => k))];
        if (dropped.length) record.dropped = dropped;
        headersNext = without(headersNext.filter((h) => !credential(h)), ['host']);
      }
      next.username = '';
      next.password = '';
      const toGet = hop.status === 303 ? cur.method !== 'HEAD' : (hop.status === 301 || hop.status === 302) && cur.method === 'POST';
      const nextCur: Current = { method: toGet ? 'GET' : cur.method, url: next, headers: toGet ? without(headersNext, ['content-type', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding']) : headersNext };
      if (!toGet && cur.body !== undefined) nextCur.body = cur.body;
      redirects.push(record);
      cur = nextCur;
      continue;
    }

    const { text, binary } = bodyText(hop.body, hop.headers);
    const response: ReceivedResponse = {
      status: hop.status,
      statusText: hop.statusText,
      headers: hop.headers,
      bodyBytes: hop.bodyBytes,
      elapsedMs: Date.now() - started,
      redirects,
    };
    if (text !== undefined) response.body = text;
    if (hop.truncated) response.bodyTruncated = true;
    if (binary) response.bodyBinary = true;
    const exchange: Exchange = { request: last, originalRequest: original, response };
    return { ok: true, exchange };
  }
}
