// Redaction of secrets before anything is printed: Authorization / Proxy-Authorization keep
// their scheme word, Cookie keeps cookie names, Set-Cookie keeps the name and attributes;
// everything secret becomes "…". URLs lose passwords and token-like query values.

import { isSchemeWord, parseCookieHeader, parseCredentials } from './credentials';
import type { HeaderList, Report } from './types';

export const ELLIPSIS = '…';
export const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];
const SECRET_QUERY = /^(access_token|id_token|refresh_token|api_key|apikey|key|token|auth|password|passwd|pwd|secret|client_secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|code)$/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.includes(name.toLowerCase());
}

/** The redacted form of one field value (unchanged for non-secret headers). */
export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const m = /^\s*(\S+)([ \t]+\S[\s\S]*)?$/.exec(value);
    if (!m) return value.trim() === '' ? value : ELLIPSIS;
    const word = m[1] ?? '';
    if (!isSchemeWord(word)) return ELLIPSIS;
    return m[2] === undefined ? word : `${word} ${ELLIPSIS}`;
  }
  if (lower === 'cookie') {
    const cookies = parseCookieHeader(value);
    return cookies.length === 0 ? (value.trim() === '' ? value : ELLIPSIS) : cookies.map((c) => `${c.name}=${ELLIPSIS}`).join('; ');
  }
  if (lower === 'set-cookie') {
    const parts = value.split(';');
    const first = parts[0] ?? '';
    const eq = first.indexOf('=');
    const head = eq > 0 ? `${first.slice(0, eq).trim()}=${first.slice(eq + 1).trim() === '' ? '' : ELLIPSIS}` : ELLIPSIS;
    return [head, ...parts.slice(1).map((p) => p.trim())].join('; ');
  }
  return value;
}

export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map(([n, v]) => [n, redactHeaderValue(n, v)]);
}

/** A URL without its password and with token-like query values replaced. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/([?&](?:access_token|api_key|token|key|password|secret|sig)=)[^&#\s]*/gi, `$1${ELLIPSIS}`);
  }
  let changed = false;
  if (u.password) {
    u.password = 'redacted';
    changed = true;
  }
  const params = [...u.searchParams.entries()];
  if (params.some(([k]) => SECRET_QUERY.test(k))) {
    const search = params.map(([k, v]) => `${encodeURIComponent(k)}=${SECRET_QUERY.test(k) ? 'redacted' : encodeURIComponent(v)}`).join('&');
    u.search = search;
    changed = true;
  }
  if (!changed) return url;
  return u.toString().replace(/redacted/g, ELLIPSIS);
}

/** The secret substrings of these headers (tokens, base64 credentials, passwords, cookie values). */
export function collectSecrets(headers: HeaderList, url?: string): string[] {
  const out = new Set<string>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const c = parseCredentials(value, name);
      if (c.token) out.add(c.token);
      if (c.basic?.password) out.add(c.basic.password);
      for (const p of c.params ?? []) if (['response', 'cnonce', 'nonce', 'opaque'].includes(p.name.toLowerCase())) out.add(p.value);
      const rest = value.trim().replace(/^\S+\s+/, '');
      if (rest !== value.trim()) out.add(rest);
    } else if (lower === 'cookie') {
      for (const c of parseCookieHeader(value)) out.add(c.value);
    } else if (lower === 'set-cookie') {
      const first = value.split(';')[0] ?? '';
      const eq = first.indexOf('=');
      if (eq > 0) out.add(first.slice(eq + 1).trim());
    }
  }
  if (url) {
    try {
      const u = new URL(url);
      if (u.password) out.add(decodeURIComponent(u.password));
      for (const [k, v] of u.searchParams) if (SECRET_QUERY.test(k)) out.add(v);
    } catch {
      // not a URL
    }
  }
  // Very short values would redact ordinary words; they are not worth hiding elsewhere.
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret in text by "…". */
export function redactSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join(ELLIPSIS);
  return out;
}

/** Every secret value a report's request and response headers (and request URL) carry. */
export function reportSecrets(report: Report): string[] {
  return [
    ...collectSecrets(report.request.headers, report.request.url),
    ...(report.response ? collectSecrets(report.response.headers) : []),
  ].sort((a, b) => b.length - a.length);
}

/** A copy of the report with secret header values, URL secrets and any echo of them redacted. */
export function redactReport(report: Report): Report {
  const secrets = reportSecrets(report);
  const text = (s: string): string => redactSecrets(s, secrets);
  const out: Report = {
    version: 1,
    request: {
      method: report.request.method,
      url: text(redactUrl(report.request.url)),
      headers: redactHeaders(report.request.headers).map(([n, v]) => [n, text(v)]),
    },
    response: report.response && {
      ...report.response,
      headers: redactHeaders(report.response.headers).map(([n, v]) => [n, text(v)]),
      redirects: report.response.redirects.map((r) => ({ status: r.status, location: text(redactUrl(r.location)) })),
    },
    diagnosis: report.diagnosis.map((d) => ({ ...d, title: text(d.title), detail: text(d.detail) })),
  };
  if (report.error) out.error = { code: report.error.code, message: text(report.error.message) };
  return out;
}

/**
 * A copy of the report with each of `values` (e.g. values from a private environment file)
 * replaced by "…" wherever it landed: URL, headers, redirect targets, diagnosis text, error.
 */
export function hideValues(report: Report, values: Iterable<string>): Report {
  const secrets = [...values].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return report;
  const t = (s: string): string => redactSecrets(s, secrets);
  const out: Report = {
    ...report,
    request: { ...report.request, url: t(report.request.url), headers: report.request.headers.map(([n, v]) => [n, t(v)]) },
    response: report.response && {
      ...report.response,
      headers: report.response.headers.map(([n, v]) => [n, t(v)]),
      redirects: report.response.redirects.map((r) => ({ ...r, location: t(r.location) })),
    },
    diagnosis: report.diagnosis.map((d) => ({ ...d, title: t(d.title), detail: t(d.detail) })),
  };
  if (report.error) out.error = { ...report.error, message: t(report.error.message) };
  return out;
}
