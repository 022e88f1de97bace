// The two grants that need a person: authorization code with PKCE through a one-use loopback
// redirect listener on 127.0.0.1 (RFC 8252 §7.3, RFC 7636), and device authorization
// (RFC 8628). Who shows the URL or the user code is the caller's business (CLI: stderr;
// editor: a browser and a notification).

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AuthConfig } from './config';
import { failureBase, oauthErrorOf, postForm, tokenRequest, type EndpointOptions, type TokenFailure, type TokenSet } from './token';
import { sendRequest } from '../send';

export interface Interaction {
  /** Authorization code: the URL the user must open (the CLI prints it, the editor opens it). */
  onAuthorizationUrl?(url: string): void | Promise<void>;
  /** Device authorization: the code to type and where. */
  onDeviceCode?(info: { userCode: string; verificationUri: string; verificationUriComplete?: string; expiresIn: number }): void | Promise<void>;
  /** How long to wait for the person, in ms. Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type GrantOutcome = { ok: true; tokens: TokenSet } | { ok: false; failure: TokenFailure };

export const DEFAULT_INTERACTION_MS = 5 * 60_000;

/** 300000 → "300", 300 → "0.3". */
const seconds = (ms: number): string => (ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10));
const b64url = (b: Buffer): string => b.toString('base64url');

export function pkcePair(method: 'S256' | 'plain', verifier?: string): { verifier: string; challenge: string } {
  const v = verifier ?? b64url(randomBytes(32));
  return { verifier: v, challenge: method === 'S256' ? b64url(createHash('sha256').update(v).digest()) : v };
}

interface Listener {
  redirectUri: string;
  /** Resolves with the callback's query, or a reason it never came. */
  result: Promise<{ params: URLSearchParams } | { problem: 'timeout' | 'state-mismatch' | 'cancelled'; message: string }>;
  close(): void;
}

/** Where the redirect listener binds: the Redirect URL's port and path, or a free port. */
export function loopbackTarget(redirectUrl: string | undefined): { port: number; path: string; host: string } | string {
  if (!redirectUrl) return { port: 0, path: '/callback', host: '127.0.0.1' };
  let u: URL;
  try {
    u = new URL(redirectUrl);
  } catch {
    return `"Redirect URL" is not an absolute URL`;
  }
  if (u.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    return `"Redirect URL" ${redirectUrl} is not a loopback http URL, so AuthLint cannot receive the code there; use an http URL on 127.0.0.1 with a port and path of your choice (RFC 8252 §7.3) and register it for the client`;
  }
  return { port: u.port ? Number(u.port) : 80, path: u.pathname || '/', host: u.hostname };
}

async function listen(target: { port: number; path: string; host: string }, state: string, timeoutMs: number, signal?: AbortSignal): Promise<Listener | { error: string }> {
  let settle!: (v: Awaited<Listener['result']>) => void;
  const result = new Promise<Awaited<Listener['result']>>((r) => (settle = r));
  let wrongState = 0;
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || u.pathname !== target.path) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    if (u.searchParams.get('state') !== state) {
      wrongState++;
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('AuthLint: this redirect does not carry the state of the authorization request; it was ignored.');
      return;
    }
    const ok = !u.searchParams.has('error');
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(ok ? 'AuthLint: authorization received. You can close this tab.' : 'AuthLint: the authorization server answered with an error; see AuthLint for the explanation.');
    settle({ params: u.searchParams });
  });
  const bound = await new Promise<string | undefined>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    server.listen(target.port, target.host === 'localhost' ? '127.0.0.1' : target.host.replace(/^\[|\]$/g, ''), () => resolve(undefined));
  });
  if (bound) {
    const why = bound === 'EADDRINUSE' ? 'something else already listens there' : bound === 'EACCES' ? 'this user may not bind that port' : bound;
    return { error: `The redirect listener could not bind ${target.host}:${target.port} (${why}). Free the port, or change the port of "Redirect URL" (and register it for the client).` };
  }
  const port = (server.address() as { port: number }).port;
  const timer = setTimeout(() => settle({ problem: 'timeout', message: `Nobody completed the authorization in the browser within ${seconds(timeoutMs)} s${wrongState ? ` (${wrongState} redirect${wrongState > 1 ? 's' : ''} arrived with the wrong state and ${wrongState > 1 ? 'were' : 'was'} ignored)` : ''}. Open the URL, log in and consent, then run the request again.` }), timeoutMs);
  const onAbort = (): void => settle({ problem: 'cancelled', message: 'The authorization was cancelled.' });
  signal?.addEventListener('abort', onAbort, { once: true });
  const close = (): void => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    server.close();
    server.closeAllConnections?.();
  };
  void result.then(close);
  return { redirectUri: `http://${target.host}:${port}${target.path}`, result, close };
}

/** Authorization code + PKCE via the loopback listener, then the code exchange. */
export async function authorizationCodeGrant(cfg: AuthConfig, environment: string | undefined, opts: EndpointOptions, ui: Interaction): Promise<GrantOutcome> {
  const authUrl = cfg.authUrl!;
  const base = failureBase(cfg, environment, 'authorization', authUrl);
  const fail = (kind: TokenFailure['kind'], message: string, extra: Partial<TokenFailure> = {}): GrantOutcome => ({ ok: false, failure: { ...base, kind, message, answered: extra.answered ?? false, ...extra } });
  const target = loopbackTarget(cfg.redirectUrl);
  if (typeof target === 'string') return fail('redirect-url', target);
  const state = b64url(randomBytes(16));
  const timeoutMs = ui.timeoutMs ?? DEFAULT_INTERACTION_MS;
  const l = await listen(target, state, timeoutMs, ui.signal);
  if ('error' in l) return fail('listener', l.error);
  try {
    const pkce = cfg.pkce ? pkcePair(cfg.pkce, cfg.codeVerifier) : undefined;
    if (pkce) opts.secrets.add(pkce.verifier);
    const u = new URL(authUrl);
    const q: Record<string, string | undefined> = {
      ...cfg.customParams,
      response_type: 'code',
      client_id: cfg.clientId,
      redirect_uri: l.redirectUri,
      scope: cfg.scope,
      state,
      code_challenge: pkce?.challenge,
      code_challenge_method: pkce ? cfg.pkce || undefined : undefined,
      audience: cfg.audience,
      resource: cfg.resource,
    };
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
    const url = u.toString();
    // Ask once without a browser: a server that rejects the client or the redirect URI says
    // so before any login page (RFC 6749 §4.1.2.1), and nobody waits for nothing.
    const pre = await sendRequest({ method: 'GET', url, headers: [['Accept', 'text/html']], line: 0, noRedirect: true, noCookieJar: true }, { ...opts.send, followRedirects: false });
    if (!pre.ok) return fail('unreachable', pre.error.message, { network: pre.error, request: pre.request });
    const r = pre.exchange.response;
    const loc = r.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
    if (loc && loc.startsWith(l.redirectUri)) {
      const p = new URL(loc).searchParams;
      const oauth = p.get('error');
      if (oauth) return fail('authorization-error', '', { answered: true, oauth: { error: oauth, ...(p.get('error_description') ? { description: p.get('error_description')! } : {}) }, response: r, ...(pre.exchange.request ? { request: pre.exchange.request } : {}) });
    }
    if (r.status >= 400) {
      const body = r.body ?? '';
      const said = /redirect_uri|redirect uri/i.test(body) ? ' Its page mentions the redirect URI.' : /client/i.test(body) && /invalid|unknown|not found/i.test(body) ? ' Its page mentions the client.' : '';
      return fail('authorization-endpoint', `The authorization endpoint answered ${r.status} before any login page.${said}`, { answered: true, response: r, ...(pre.exchange.request ? { request: pre.exchange.request } : {}) });
    }
    await ui.onAuthorizationUrl?.(url);
    const got = await l.result;
    if ('problem' in got) return fail(got.problem === 'cancelled' ? 'timeout' : (got.problem as TokenFailure['kind']), got.message);
    const err = got.params.get('error');
    if (err) return fail('authorization-error', '', { answered: true, oauth: { error: err, ...(got.params.get('error_description') ? { description: got.params.get('error_description')! } : {}) } });
    const code = got.params.get('code');
    if (!code) return fail('authorization-error', 'The redirect carried neither a code nor an error.', { answered: true });
    opts.secrets.add(code);
    return tokenRequest(cfg, environment, 'token', { grant_type: 'authorization_code', code, redirect_uri: l.redirectUri, code_verifier: pkce?.verifier, resource: cfg.resource }, opts);
  } finally {
    l.close();
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

/** RFC 8628: device authorization request, then polling the token endpoint. */
export async function deviceGrant(cfg: AuthConfig, environment: string | undefined, opts: EndpointOptions, ui: Interaction): Promise<GrantOutcome> {
  const url = cfg.deviceAuthUrl!;
  const base = failureBase(cfg, environment, 'device-authorization', url);
  const out = await postForm(url, { ...cfg.customParams, scope: cfg.scope, audience: cfg.audience, resource: cfg.resource }, cfg, opts);
  if (!out.ok) return { ok: false, failure: { ...base, kind: 'unreachable', request: out.request, network: out.network, answered: false } };
  const j = out.json;
  const oauth = oauthErrorOf(j);
  const answered = { request: out.request, response: out.response, answered: true };
  if (oauth) return { ok: false, failure: { ...base, ...answered, kind: 'oauth-error', oauth } };
  if (!j) return { ok: false, failure: { ...base, ...answered, kind: 'not-json' } };
  const deviceCode = j['device_code'];
  const userCode = j['user_code'];
  const uri = j['verification_uri'] ?? j['verification_url'];
  if (typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof uri !== 'string') {
    return { ok: false, failure: { ...base, ...answered, kind: 'no-access-token', message: 'The device authorization response lacks device_code, user_code or verification_uri (RFC 8628 §3.2).' } };
  }
  opts.secrets.add(deviceCode);
  const expiresIn = Number(j['expires_in']) > 0 ? Number(j['expires_in']) : 600;
  let interval = Number(j['interval']) > 0 ? Number(j['interval']) : 5;
  await ui.onDeviceCode?.({ userCode, verificationUri: uri, ...(typeof j['verification_uri_complete'] === 'string' ? { verificationUriComplete: j['verification_uri_complete'] } : {}), expiresIn });
  const deadline = Date.now() + Math.min(expiresIn * 1000, ui.timeoutMs ?? DEFAULT_INTERACTION_MS);
  let slowDowns = 0;
  for (;;) {
    if (Date.now() + interval * 1000 > deadline) break;
    await sleep(interval * 1000, ui.signal);
    if (ui.signal?.aborted) return { ok: false, failure: { ...base, step: 'device-poll', kind: 'timeout', message: 'The device authorization was cancelled.', answered: false } };
    const r = await tokenRequest(cfg, environment, 'device-poll', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode }, opts);
    if (r.ok) return r;
    const e = r.oauth?.error;
    if (e === 'authorization_pending') continue;
    if (e === 'slow_down') {
      interval += 5; // RFC 8628 §3.5
      slowDowns++;
      continue;
    }
    return { ok: false, failure: r.failure };
  }
  return { ok: false, failure: { ...base, step: 'device-poll', kind: 'timeout', answered: true, message: `Nobody entered the user code ${userCode} at ${uri} in time (waited ${seconds(Math.min(expiresIn * 1000, ui.timeoutMs ?? DEFAULT_INTERACTION_MS))} s, polling every ${interval} s${slowDowns ? ` after ${slowDowns} slow_down answer${slowDowns > 1 ? 's' : ''}` : ''}). Run the request again and complete the login.` } };
}
