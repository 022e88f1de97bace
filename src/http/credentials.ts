// What credentials a request carried, and whether its Authorization value is well formed.
// RFC 9110 §11.4 (credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]),
// RFC 7617 §2 (Basic), RFC 6750 §2.1 (Bearer), RFC 7616 §3.4 (Digest). Never throws.

import type { AuthParam } from './challenge';
import { parseChallenges } from './challenge';
import type { HeaderList, SentRequest } from './types';

export interface CredentialIssue {
  /** Stable kebab-case code, e.g. 'basic-bad-base64', 'bearer-quoted'. */
  code: string;
  /** A sentence saying what is wrong and what to do, with its basis. */
  message: string;
}

export interface ParsedCredentials {
  /** Header name as sent. */
  header: string;
  raw: string;
  /** Scheme as written ('' when there is none). */
  scheme: string;
  /** Token / token68 after the scheme (Bearer token, Basic base64 text). */
  token?: string;
  basic?: { user: string; password: string };
  params?: AuthParam[];
  issues: CredentialIssue[];
}

export interface Cookie { name: string; value: string }

export interface RequestCredentials {
  authorization?: ParsedCredentials;
  proxyAuthorization?: ParsedCredentials;
  cookies: Cookie[];
  /** Header names that carry an API key (X-API-Key, Api-Key, X-Auth-Token, ...). */
  apiKeyHeaders: string[];
  /** Query parameters that carry a token (access_token, api_key, ...). */
  queryTokens: string[];
  /** The URL carries user:password@. */
  urlUserinfo: boolean;
}

const T68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const API_KEY_HEADER = /(api[-_]?key|apikey|(^|[-_])token$|access[-_]?key|subscription[-_]?key|secret|^x-auth|^private-token$|^x-amz-security-token$)/i;
const NOT_CREDENTIAL = /csrf|xsrf|request[-_]?id|trace|correlation/i;
const QUERY_TOKEN = /^(access_token|api_key|apikey|key|token|auth|sig|signature|x-amz-signature|code)$/i;

/** Could this word be an auth-scheme name (short, letters first), rather than a bare secret? */
export function isSchemeWord(w: string): boolean {
  return /^[A-Za-z][A-Za-z0-9\-_.]{0,24}$/.test(w) && !/\d{4,}/.test(w);
}

function issue(code: string, message: string): CredentialIssue {
  return { code, message };
}

/** Parses an Authorization / Proxy-Authorization field value. */
export function parseCredentials(value: string, header = 'Authorization'): ParsedCredentials {
  const raw = value;
  const v = value.trim();
  const out: ParsedCredentials = { header, raw, scheme: '', issues: [] };
  if (v.length === 0) {
    out.issues.push(issue('empty', `${header} is empty; send a scheme and credentials, e.g. "Bearer <token>" (RFC 9110 §11.4)`));
    return out;
  }
  const m = /^([^\s]+)(?:[ \t]+([\s\S]*))?$/.exec(v);
  const first = m?.[1] ?? v;
  const rest = (m?.[2] ?? '').trim();
  if (rest === '' && !isSchemeWord(first)) {
    // A bare value: some APIs take a bare key; a bare JWT almost always wants "Bearer ".
    out.token = first;
    if (/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(first)) {
      out.issues.push(issue('missing-scheme', `${header} holds a bare JWT with no scheme; write "Bearer <token>" (RFC 9110 §11.4, RFC 6750 §2.1)`));
    }
    return out;
  }
  out.scheme = first;
  const lower = first.toLowerCase();
  if (lower === 'basic') parseBasic(rest, out);
  else if (lower === 'bearer' || lower === 'dpop') parseBearer(rest, out);
  else if (lower === 'digest') parseDigest(rest, out);
  else if (rest !== '') {
    if (T68.test(rest)) out.token = rest;
    else out.params = parseChallenges(v).challenges[0]?.params ?? [];
  }
  return out;
}

function parseBasic(rest: string, out: ParsedCredentials): void {
  if (rest === '') {
    out.issues.push(issue('basic-empty', 'Basic with no credentials after it; send base64("user:password") (RFC 7617 §2)'));
    return;
  }
  out.token = rest;
  if (/^basic\s/i.test(rest)) {
    out.issues.push(issue('doubled-scheme', 'The scheme is written twice ("Basic Basic ..."); keep one (RFC 7617 §2)'));
    return;
  }
  if (/\s/.test(rest)) {
    out.issues.push(issue('whitespace', 'Whitespace inside the Basic credentials; base64 text has none (RFC 7617 §2)'));
    return;
  }
  if (!B64.test(rest) || rest.length % 4 === 1) {
    const hint = rest.includes(':') ? ' It looks like a plain "user:password": base64-encode it.' : '';
    out.issues.push(issue('basic-bad-base64', `The Basic credentials are not valid base64.${hint} (RFC 7617 §2)`));
    return;
  }
  const decoded = Buffer.from(rest, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    out.issues.push(issue('basic-no-colon', 'The decoded Basic credentials have no ":" between user-id and password (RFC 7617 §2)'));
    return;
  }
  out.basic = { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  if (decoded.includes('\uFFFD')) {
    out.issues.push(issue('basic-not-utf8', 'The decoded Basic credentials are not valid UTF-8 (RFC 7617 §2.1)'));
  }
}

function parseBearer(rest: string, out: ParsedCredentials): void {
  const s = out.scheme;
  if (rest === '') {
    out.issues.push(issue('bearer-empty', `${s} with an empty token; the token variable is probably unset (RFC 6750 §2.1)`));
    return;
  }
  out.token = rest;
  if (/^(bearer|dpop)(\s|$)/i.test(rest)) {
    out.issues.push(issue('doubled-scheme', `The scheme is written twice ("${s} ${rest.split(/\s/)[0]} ..."): the token value already starts with it; keep one (RFC 6750 §2.1)`));
    return;
  }
  if (/^".*"$/s.test(rest) || /^'.*'$/s.test(rest)) {
    out.issues.push(issue('bearer-quoted', `The ${s} token is wrapped in quotes; send it bare (RFC 6750 §2.1: b64token, no quotes)`));
    return;
  }
  if (/\s/.test(rest)) {
    out.issues.push(issue('whitespace', `Whitespace inside the ${s} token; a b64token has none (RFC 6750 §2.1)`));
    return;
  }
  if (/^(undefined|null|none|nil|<token>|\$\{.*\}|\{\{.*\}\}|%.*%)$/i.test(rest)) {
    out.issues.push(issue('bearer-placeholder', `The ${s} token is the placeholder "${rest}": the variable that should hold it was not filled (RFC 6750 §2.1)`));
    return;
  }
  if (!T68.test(rest)) {
    out.issues.push(issue('bearer-bad-chars', `The ${s} token has characters outside the b64token set (letters, digits, - . _ ~ + / and trailing =) (RFC 6750 §2.1)`));
  }
}

function parseDigest(rest: string, out: ParsedCredentials): void {
  const { challenges, problems } = parseChallenges(`Digest ${rest}`);
  out.params = challenges[0]?.params ?? [];
  const first = problems[0];
  if (first && first.level === 'must') {
    out.issues.push(issue('digest-syntax', `Digest credentials do not parse: ${first.message}`));
  }
  const names = new Set(out.params.map((p) => p.name.toLowerCase()));
  const missing = ['username', 'realm', 'nonce', 'uri', 'response'].filter((n) => !names.has(n));
  if (missing.length > 0) {
    out.issues.push(issue('digest-missing-param', `Digest credentials lack ${missing.join(', ')} (RFC 7616 §3.4)`));
  }
}

function headerValues(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

/** Cookie header values split into name/value pairs (RFC 6265 §4.2.1). */
export function parseCookieHeader(value: string): Cookie[] {
  const out: Cookie[] = [];
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name) out.push({ name, value: part.slice(eq + 1).trim() });
  }
  return out;
}

/** Every kind of credential a request carried. */
export function requestCredentials(req: SentRequest): RequestCredentials {
  const auth = headerValues(req.headers, 'authorization')[0];
  const proxy = headerValues(req.headers, 'proxy-authorization')[0];
  const out: RequestCredentials = { cookies: [], apiKeyHeaders: [], queryTokens: [], urlUserinfo: false };
  if (auth !== undefined) out.authorization = parseCredentials(auth, headerName(req.headers, 'authorization'));
  if (proxy !== undefined) out.proxyAuthorization = parseCredentials(proxy, headerName(req.headers, 'proxy-authorization'));
  for (const v of headerValues(req.headers, 'cookie')) out.cookies.push(...parseCookieHeader(v));
  for (const [n, v] of req.headers) if (API_KEY_HEADER.test(n) && !NOT_CREDENTIAL.test(n) && v.trim() !== '') out.apiKeyHeaders.push(n);
  try {
    const u = new URL(req.url);
    out.urlUserinfo = u.username !== '' || u.password !== '';
    for (const [k, v] of u.searchParams) if (QUERY_TOKEN.test(k) && v !== '') out.queryTokens.push(k);
  } catch {
    // not an absolute URL: nothing to read from it
  }
  return out;
}

function headerName(headers: HeaderList, lower: string): string {
  return headers.find(([n]) => n.toLowerCase() === lower)?.[0] ?? lower;
}

/** True when the request carried credentials of any kind meant for the origin server. */
export function hasOriginCredentials(c: RequestCredentials): boolean {
  return c.authorization !== undefined || c.cookies.length > 0 || c.apiKeyHeaders.length > 0 || c.queryTokens.length > 0 || c.urlUserinfo;
}

/** True when the request carried any credentials at all (origin or proxy). */
export function hasAnyCredentials(c: RequestCredentials): boolean {
  return hasOriginCredentials(c) || c.proxyAuthorization !== undefined;
}

/** A short, secret-free description of what was sent: "Bearer token", "Basic (user alice)", "cookie sid". */
export function describeCredentials(c: RequestCredentials): string[] {
  const out: string[] = [];
  const a = c.authorization;
  if (a) out.push(a.basic ? `${a.header}: ${a.scheme} (user "${a.basic.user}")` : `${a.header}: ${a.scheme || 'bare token'}`);
  if (c.proxyAuthorization) out.push(`${c.proxyAuthorization.header}: ${c.proxyAuthorization.scheme || 'bare token'}`);
  if (c.cookies.length > 0) out.push(`cookie${c.cookies.length > 1 ? 's' : ''} ${c.cookies.map((k) => k.name).join(', ')}`);
  for (const h of c.apiKeyHeaders) out.push(`header ${h}`);
  for (const q of c.queryTokens) out.push(`query parameter ${q}`);
  if (c.urlUserinfo) out.push('user:password in the URL');
  return out;
}
