// Requests to an OAuth 2.0 token (or device authorization) endpoint and what their answers
// mean: RFC 6749 §2.3.1 client authentication (basic, in body, none), §5.1 success, §5.2
// errors, and the answers that are neither (not JSON, no access_token, no answer at all).

import { sendRequest, type SendFailureInfo, type SendOptions } from '../send';
import type { ReceivedResponse, SentRequest } from '../types';
import type { AuthConfig, GrantType } from './config';

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  idToken?: string;
  refreshToken?: string;
  /** Epoch ms; absent when the server gave no expires_in. */
  expiresAt?: number;
  scope?: string;
  obtainedAt: number;
}

export type FailureKind =
  | 'oauth-error'
  | 'not-json'
  | 'no-access-token'
  | 'http-error'
  | 'unreachable'
  | 'authorization-error'
  | 'timeout'
  | 'listener'
  | 'redirect-url'
  | 'authorization-endpoint'
  | 'state-mismatch';

export type TokenStep = 'token' | 'refresh' | 'authorization' | 'device-authorization' | 'device-poll';

export interface OAuthError {
  error: string;
  description?: string;
  uri?: string;
}

export interface TokenFailure {
  id: string;
  environment?: string;
  grant: GrantType;
  step: TokenStep;
  kind: FailureKind;
  /** The endpoint asked (token, device or authorization URL). */
  endpoint: string;
  /** Settings that explain the failure (secrets excluded). */
  config: Pick<AuthConfig, 'file' | 'line' | 'clientAuth' | 'clientId' | 'scope' | 'redirectUrl' | 'pkce' | 'tokenUrl'>;
  request?: SentRequest;
  response?: ReceivedResponse;
  oauth?: OAuthError;
  network?: SendFailureInfo;
  /** Plain words for the kinds without an HTTP answer (timeout, listener, …). */
  message?: string;
  /** The token endpoint (or the authorization server) answered: exit 0, else 3. */
  answered: boolean;
}

export interface EndpointOptions {
  send: SendOptions;
  /** Values to hide in anything printed. */
  secrets: Set<string>;
}

export type PostOutcome =
  | { ok: true; request: SentRequest; response: ReceivedResponse; json?: Record<string, unknown> }
  | { ok: false; request: SentRequest; network: SendFailureInfo };

/** RFC 6749 §2.3.1: the client ID and secret are form-urlencoded before Basic encoding. */
function basicCredentials(id: string, secret: string): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64');
}

/** POSTs form parameters with the configured client authentication. */
export async function postForm(url: string, params: Record<string, string | undefined>, cfg: AuthConfig, opts: EndpointOptions): Promise<PostOutcome> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') form.set(k, v);
  const headers: Array<[string, string]> = [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Accept', 'application/json'],
  ];
  if (cfg.clientAuth === 'basic' && cfg.clientSecret !== undefined) {
    const b = basicCredentials(cfg.clientId, cfg.clientSecret);
    opts.secrets.add(b);
    headers.push(['Authorization', `Basic ${b}`]);
  } else {
    form.set('client_id', cfg.clientId);
    if (cfg.clientAuth === 'in body' && cfg.clientSecret !== undefined) form.set('client_secret', cfg.clientSecret);
  }
  const body = form.toString();
  // The encoded forms of secrets land in the body: hide them too.
  for (const s of [...opts.secrets]) {
    const e = new URLSearchParams({ x: s }).toString().slice(2);
    if (e !== s) opts.secrets.add(e);
  }
  const spec = { method: 'POST', url, headers, body: Buffer.from(body), line: 0, noRedirect: true, noCookieJar: true };
  const sentFallback: SentRequest = { method: 'POST', url, headers, body };
  const out = await sendRequest(spec, { ...opts.send, followRedirects: false });
  if (!out.ok) return { ok: false, request: { ...out.request, body }, network: out.error };
  const request = { ...(out.exchange.request ?? sentFallback), body };
  const response = out.exchange.response;
  return { ok: true, request, response, ...(parseJsonObject(response) ? { json: parseJsonObject(response)! } : {}) };
}

/** The body as a JSON object, when it is one. */
export function parseJsonObject(response: ReceivedResponse): Record<string, unknown> | undefined {
  if (response.body === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(response.body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function oauthErrorOf(json: Record<string, unknown> | undefined): OAuthError | undefined {
  if (!json || typeof json['error'] !== 'string') return undefined;
  const e: OAuthError = { error: json['error'] };
  if (typeof json['error_description'] === 'string') e.description = json['error_description'];
  if (typeof json['error_uri'] === 'string') e.uri = json['error_uri'];
  return e;
}

/** RFC 6749 §5.1 token response → TokenSet, or the failure kind it is. */
export function readTokenResponse(response: ReceivedResponse, json: Record<string, unknown> | undefined, now: number): TokenSet | { kind: FailureKind; oauth?: OAuthError } {
  const oauth = oauthErrorOf(json);
  if (oauth) return { kind: 'oauth-error', oauth };
  if (!json) return { kind: response.status >= 200 && response.status < 300 ? 'not-json' : response.body !== undefined && /json/i.test(contentType(response)) ? 'http-error' : 'not-json' };
  if (response.status < 200 || response.status >= 300) return { kind: 'http-error' };
  const at = json['access_token'];
  if (typeof at !== 'string' || at === '') return { kind: 'no-access-token' };
  const t: TokenSet = { accessToken: at, tokenType: typeof json['token_type'] === 'string' ? json['token_type'] : 'Bearer', obtainedAt: now };
  if (typeof json['id_token'] === 'string') t.idToken = json['id_token'];
  if (typeof json['refresh_token'] === 'string') t.refreshToken = json['refresh_token'];
  const exp = Number(json['expires_in']);
  if (json['expires_in'] !== undefined && Number.isFinite(exp) && exp > 0) t.expiresAt = now + exp * 1000;
  if (typeof json['scope'] === 'string') t.scope = json['scope'];
  return t;
}

export function contentType(response: ReceivedResponse): string {
  return response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
}

export function failureBase(cfg: AuthConfig, environment: string | undefined, step: TokenStep, endpoint: string): Omit<TokenFailure, 'kind' | 'answered'> {
  const config: TokenFailure['config'] = { file: cfg.file, line: cfg.line, clientAuth: cfg.clientAuth, clientId: cfg.clientId, pkce: cfg.pkce, tokenUrl: cfg.tokenUrl };
  if (cfg.scope !== undefined) config.scope = cfg.scope;
  if (cfg.redirectUrl !== undefined) config.redirectUrl = cfg.redirectUrl;
  return { id: cfg.id, ...(environment !== undefined ? { environment } : {}), grant: cfg.grant, step, endpoint, config };
}

/** One token endpoint request → a TokenSet, or the failure explained later. */
export async function tokenRequest(cfg: AuthConfig, environment: string | undefined, step: TokenStep, params: Record<string, string | undefined>, opts: EndpointOptions, now: () => number = Date.now): Promise<{ ok: true; tokens: TokenSet } | { ok: false; failure: TokenFailure; oauth?: OAuthError }> {
  const base = failureBase(cfg, environment, step, cfg.tokenUrl);
  const out = await postForm(cfg.tokenUrl, { ...cfg.customParams, ...params }, cfg, opts);
  if (!out.ok) return { ok: false, failure: { ...base, kind: 'unreachable', request: out.request, network: out.network, answered: false } };
  const r = readTokenResponse(out.response, out.json, now());
  if ('accessToken' in r) {
    for (const s of [r.accessToken, r.idToken, r.refreshToken]) if (s) opts.secrets.add(s);
    return { ok: true, tokens: r };
  }
  const failure: TokenFailure = { ...base, kind: r.kind, request: out.request, response: out.response, answered: true };
  if (r.oauth) failure.oauth = r.oauth;
  return { ok: false, failure, ...(r.oauth ? { oauth: r.oauth } : {}) };
}
