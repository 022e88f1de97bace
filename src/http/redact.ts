// The one redaction policy of every output (text, JSON, HTML, the editor's view): what carries
// a credential, and how it is hidden.
//
// - Fields by name: Authorization / Proxy-Authorization keep their scheme word, Cookie keeps
//   cookie names, Set-Cookie keeps the name and attributes; any other field whose name says it
//   carries a credential (key, token, auth, secret, session, password, signature, jwt...) is
//   hidden whole. The same names hide query parameters and JSON / form fields of bodies.
// - Values: every secret a report carries (credential values of the request and response,
//   URL user names and passwords, values substituted from private env files, $processEnv,
//   $dotenv and secret prompts) is hidden wherever it is echoed inside a field value, a URL or
//   a body, and so is anything shaped like a JWT.
// - Our own sentences (diagnosis titles and details, error messages) are never searched for
//   secrets as substrings: only the values interpolated into them are (see say() in
//   explain-context.ts); a sentence with unknown provenance is treated as one value.
// Everything hidden becomes "…" and is counted, so the renderers can say that something was.

import { isSchemeWord, parseCookieHeader, parseCredentials } from './credentials';
import { textSpans } from './say';
import type { HeaderList, Report } from './types';

export const ELLIPSIS = '…';
export const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];
/** Fields whose names mention auth but carry challenges or metadata, never a credential. */
const NOT_CREDENTIAL_FIELDS = new Set(['www-authenticate', 'proxy-authenticate', 'authentication-info', 'proxy-authentication-info', 'authentication-control']);
/** Fields whose value is a URL: the URL policy applies. */
const URL_FIELDS = new Set(['location', 'content-location', 'referer', 'origin']);
const AUTH_SCHEMES = new Set(['basic', 'bearer', 'digest', 'negotiate', 'ntlm', 'dpop', 'hoba', 'mutual', 'scram-sha-1', 'scram-sha-256', 'vapid', 'aws4-hmac-sha256', 'token', 'apikey', 'api-key', 'oauth', 'gnap', 'privatetoken', 'concealed', 'kerberos', 'hawk', 'signature', 'sso-key', 'key']);
/** Shorter secrets are hidden only where they stand as a whole word (or a whole value). */
export const MIN_SUBSTRING_SECRET = 4;

/** One word of a name (split at punctuation and camelCase) that says "credential". */
function credentialWord(w: string, where: NameKind): boolean {
  if (/(?:key|token|tokens|secret|secrets|password|passwd|passphrase|pwd|signature|jwt|credential|credentials|session|sessionid|sessid|cookie|auth|authorization|bearer)$/.test(w)) return true;
  if (/^(?:auth|session|secret|token|passw|apikey|jwt)/.test(w) && !/^(?:author|authors|authority|authorities|authenticate|authentication|authenticated)$/.test(w)) return true;
  if (['sid', 'sig', 'pass', 'otp', 'csrf', 'xsrf', 'pin', 'cred', 'creds', 'hmac', 'nonce', 'cnonce'].includes(w)) return true;
  return where === 'param' && ['code', 'verifier', 'assertion'].includes(w);
}

export type NameKind = 'header' | 'param' | 'field';

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * True when a field, query parameter or body field of this name carries a credential:
 * `X-API-Key`, `X-Auth-Token`, `private_token`, `sessionId`, `jwt`, `refresh_token`...
 * (`code` counts for query and form parameters only.)
 */
export function isCredentialName(name: string, where: NameKind = 'header'): boolean {
  const key = `${where}:${name}`;
  const known = nameCache.get(key);
  if (known !== undefined) return known;
  const verdict = credentialName(name, where);
  if (nameCache.size >= 10_000) nameCache.clear();
  nameCache.set(key, verdict);
  return verdict;
}

const nameCache = new Map<string, boolean>();

function credentialName(name: string, where: NameKind): boolean {
  const lower = name.toLowerCase();
  if (where === 'header' && (NOT_CREDENTIAL_FIELDS.has(lower) || lower.startsWith('access-control-'))) return false;
  if (name.length > 200) return true;
  const ws = words(name);
  return ws.some((w) => credentialWord(w, where)) || credentialWord(ws.join(''), where);
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.includes(name.toLowerCase()) || isCredentialName(name);
}

/**
 * Hides credentials in printed values and counts what it hid. One per rendering: its secrets
 * are those of the report (and body) plus any extra values known to be secret.
 */
export class Redactor {
  hidden = 0;
  private readonly long: string[];
  private readonly short: Set<string>;

  constructor(secrets: Iterable<string>) {
    const all = [...new Set([...secrets].filter((s) => s !== '' && s.trim() !== ''))];
    this.long = all.filter((s) => s.length >= MIN_SUBSTRING_SECRET).sort((a, b) => b.length - a.length);
    this.short = new Set(all.filter((s) => s.length < MIN_SUBSTRING_SECRET));
  }

  private hide(): string {
    this.hidden++;
    return ELLIPSIS;
  }

  /** A value from anywhere (field value, URL, body, or a value quoted into a sentence). */
  value(text: string): string {
    if (text === '') return text;
    if (this.short.size > 0 && text.length < 8 && this.short.has(text.trim())) return this.hide();
    let out = text;
    for (const s of this.long) {
      if (!out.includes(s)) continue;
      const parts = out.split(s);
      this.hidden += parts.length - 1;
      out = parts.join(ELLIPSIS);
    }
    return this.scanWords(out);
  }

  /** JWTs anywhere (one linear pass over word-like runs), then short secrets standing as a word. */
  private scanWords(text: string): string {
    let out = text.includes('eyJ') ? this.jwts(text) : text;
    for (const s of this.short) out = this.wholeWords(out, s);
    return out;
  }

  /** Each word-like run holding "eyJ" is searched for JWTs; one pass, runs found by indexOf. */
  private jwts(text: string): string {
    const inRun = (i: number): boolean => {
      const c = text.charCodeAt(i);
      return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
    };
    let out = '';
    let from = 0;
    for (let at = text.indexOf('eyJ'); at >= 0; at = text.indexOf('eyJ', Math.max(at + 3, from))) {
      if (at < from) continue;
      let a = at;
      while (a > from && inRun(a - 1)) a--;
      let b = at + 3;
      while (b < text.length && inRun(b)) b++;
      const run = text.slice(a, b);
      out += text.slice(from, a) + (run.length >= 20 ? jwtsIn(run, () => this.hide()) : run);
      from = b;
    }
    return out + text.slice(from);
  }

  /** Each occurrence of `s` not touching a letter or digit on either side becomes "…". */
  private wholeWords(text: string, s: string): string {
    const alnum = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);
    let out = '';
    let from = 0;
    for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.length)) {
      if (alnum(text[at - 1]) || alnum(text[at + s.length])) continue;
      out += text.slice(from, at) + this.hide();
      from = at + s.length;
    }
    return out + text.slice(from);
  }

  /** A URL: user name and password hidden, credential query parameters hidden, then value(). */
  url(url: string): string {
    let u: URL | undefined;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      try {
        u = new URL(url);
      } catch {
        u = undefined;
      }
    }
    if (!u) return this.value(this.queryOf(url));
    let changed = false;
    if (u.username || u.password) {
      // A token used as the user name is as secret as a password.
      if (u.username) u.username = 'REDACTEDUSER';
      if (u.password) u.password = 'REDACTEDPASS';
      this.hidden += (u.username ? 1 : 0) + (u.password ? 1 : 0);
      changed = true;
    }
    let out = changed ? u.href.replace('REDACTEDUSER', ELLIPSIS).replace('REDACTEDPASS', ELLIPSIS) : url;
    const q = out.indexOf('?');
    if (q >= 0) out = out.slice(0, q) + this.queryOf(out.slice(q));
    return this.value(out);
  }

  /** `?a=1&access_token=x#frag`: credential parameter values hidden, the rest as written. */
  private queryOf(text: string): string {
    const q = text.indexOf('?');
    if (q < 0) return text;
    const hash = text.indexOf('#', q);
    const end = hash < 0 ? text.length : hash;
    const params = text.slice(q + 1, end).split('&').map((p) => {
      const eq = p.indexOf('=');
      if (eq <= 0) return p;
      let name = p.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep as written
      }
      return isCredentialName(name, 'param') && eq < p.length - 1 ? `${p.slice(0, eq)}=${this.hide()}` : p;
    });
    return `${text.slice(0, q + 1)}${params.join('&')}${text.slice(end)}`;
  }

  /** One field value under the field policy (by name), then the value policy. */
  header(name: string, value: string): string {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') return this.authorization(value);
    if (lower === 'cookie') {
      const cookies = parseCookieHeader(value);
      if (cookies.length === 0) return value.trim() === '' ? value : this.hide();
      return cookies.map((c) => `${this.value(c.name)}=${c.value === '' ? '' : this.hide()}`).join('; ');
    }
    if (lower === 'set-cookie') {
      const parts = value.split(';');
      const first = parts[0] ?? '';
      const eq = first.indexOf('=');
      const head = eq > 0 ? `${this.value(first.slice(0, eq).trim())}=${first.slice(eq + 1).trim() === '' ? '' : this.hide()}` : this.hide();
      return [head, ...parts.slice(1).map((p) => this.value(p.trim()))].join('; ');
    }
    if (URL_FIELDS.has(lower)) return this.url(value);
    if (isCredentialName(name)) return value.trim() === '' ? value : this.hide();
    return this.value(value);
  }

  private authorization(value: string): string {
    const m = /^\s*(\S+)([ \t]+\S[\s\S]*)?$/.exec(value);
    if (!m) return value.trim() === '' ? value : this.hide();
    const word = m[1] ?? '';
    const known = AUTH_SCHEMES.has(word.toLowerCase());
    // A bare value (`Authorization: sk_live_…`) is the credential itself, not a scheme.
    if (!known && (m[2] === undefined || !/^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(word) || !isSchemeWord(word))) return this.hide();
    return m[2] === undefined ? word : `${word} ${this.hide()}`;
  }

  headers(headers: HeaderList): HeaderList {
    return headers.map(([n, v]) => [this.value(n), this.header(n, v)]);
  }

  /** A body: credential fields of JSON and form bodies hidden, then the value policy. */
  body(text: string, contentType?: string): string {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[') || /json/i.test(contentType ?? '')) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        doc = undefined;
      }
      if (doc !== undefined && typeof doc === 'object' && doc !== null) return this.value(JSON.stringify(this.json(doc), null, 2));
      return this.value(jsonStringFields(text, (name) => isCredentialName(name, 'field'), () => this.hide()));
    }
    if (/x-www-form-urlencoded/i.test(contentType ?? '') || /^[\w.%-]+=[^\s&]*(?:&[\w.%-]+=[^\s&]*)+$/.test(trimmed.slice(0, 4096))) {
      return this.value(this.queryOf(`?${text}`).slice(1));
    }
    return this.value(text);
  }

  private json(v: unknown, depth = 0): unknown {
    if (depth > 200) return ELLIPSIS;
    if (Array.isArray(v)) return v.map((x) => this.json(x, depth + 1));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        out[k] = isCredentialName(k, 'field') && (typeof x === 'string' || typeof x === 'number') && x !== '' ? this.hide() : this.json(x, depth + 1);
      }
      return out;
    }
    return v;
  }

  /** One of our sentences: only the spans that hold quoted values are searched. */
  sentence(text: string): string {
    const spans = textSpans(text);
    if (!spans) return this.value(text);
    let out = '';
    let at = 0;
    for (const [a, b] of spans) {
      out += text.slice(at, a);
      const v = text.slice(a, b);
      out += /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v) ? this.url(v) : this.value(v);
      at = b;
    }
    return out + text.slice(at);
  }
}

/** Replaces every JWT-shaped piece (eyJ….eyJ….sig) of one word-like run. */
function jwtsIn(run: string, hide: () => string): string {
  const parts = run.split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const a = parts[i] ?? '';
    const b = parts[i + 1];
    const at = a.indexOf('eyJ');
    if (at >= 0 && b !== undefined && /^eyJ[A-Za-z0-9_-]+$/.test(a.slice(at)) && /^eyJ[A-Za-z0-9_-]*$/.test(b)) {
      const sig = parts[i + 2] ?? '';
      const sigEnd = /^[A-Za-z0-9_-]*/.exec(sig)?.[0].length ?? 0;
      out.push(`${a.slice(0, at)}${hide()}${sig.slice(sigEnd)}`);
      i += 2;
    } else out.push(a);
  }
  return out.join('.');
}

/** Linear scan of (possibly broken) JSON text: `"name": "value"` values hidden when `secret(name)`. */
function jsonStringFields(text: string, secret: (name: string) => boolean, hide: () => string): string {
  let out = '';
  let i = 0;
  let lastString: string | undefined;
  let afterColonOf: string | undefined;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i + 1, Math.min(j, text.length));
      if (afterColonOf !== undefined && secret(afterColonOf) && raw !== '') out += `"${hide()}"`;
      else out += text.slice(i, j + 1);
      lastString = afterColonOf === undefined ? raw : undefined;
      afterColonOf = undefined;
      i = j + 1;
      continue;
    }
    if (c === ':' && lastString !== undefined) {
      afterColonOf = lastString;
      lastString = undefined;
    } else if (!/\s/.test(c)) {
      lastString = undefined;
      if (c !== ':') afterColonOf = undefined;
    }
    out += c;
    i++;
  }
  return out;
}

// ---- what is secret in a report ----------------------------------------------------------

/** The secret values these headers (and URL) carry. */
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
      else if (!AUTH_SCHEMES.has(rest.toLowerCase())) out.add(rest);
    } else if (lower === 'cookie') {
      for (const c of parseCookieHeader(value)) out.add(c.value);
    } else if (lower === 'set-cookie') {
      const first = value.split(';')[0] ?? '';
      const eq = first.indexOf('=');
      if (eq > 0) out.add(first.slice(eq + 1).trim());
    } else if (isCredentialName(name) && !URL_FIELDS.has(lower)) {
      out.add(value.trim());
    }
  }
  if (url) for (const s of urlSecrets(url)) out.add(s);
  // Very short values from headers would hide ordinary words; substituted secrets are kept whole.
  return [...out].filter((s) => s.length >= MIN_SUBSTRING_SECRET);
}

function urlSecrets(url: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    for (const part of [u.username, u.password]) {
      if (!part) continue;
      out.push(part);
      try {
        out.push(decodeURIComponent(part));
      } catch {
        // as written only
      }
    }
    for (const [k, v] of u.searchParams) if (isCredentialName(k, 'param') && v !== '') out.push(v, encodeURIComponent(v));
  } catch {
    // not a URL
  }
  return out;
}

/** Every secret value a report's request and response headers (and request URL) carry. */
export function reportSecrets(report: Report): string[] {
  return [
    ...collectSecrets(report.request.headers, report.request.url),
    ...(report.response ? collectSecrets(report.response.headers) : []),
  ];
}

/**
 * The report as printed without --show-secrets, and how many values were hidden. `extra`:
 * values known to be secret besides what the report shows (private env values, $processEnv...).
 */
export function redactReportCounted(report: Report, extra: Iterable<string> = []): { report: Report; redactor: Redactor } {
  const r = new Redactor([...reportSecrets(report), ...extra]);
  const out: Report = {
    version: 1,
    request: {
      method: r.value(report.request.method),
      url: r.url(report.request.url),
      headers: r.headers(report.request.headers),
    },
    response: report.response && {
      ...report.response,
      statusText: r.value(report.response.statusText),
      headers: r.headers(report.response.headers),
      redirects: report.response.redirects.map((h) => ({ ...h, location: r.url(h.location) })),
    },
    diagnosis: report.diagnosis.map((d) => ({ ...d, title: r.sentence(d.title), detail: r.sentence(d.detail) })),
  };
  if (report.error) out.error = { code: report.error.code, message: r.sentence(report.error.message) };
  return { report: out, redactor: r };
}

/** A copy of the report with every credential hidden (see the policy above). */
export function redactReport(report: Report, extra: Iterable<string> = []): Report {
  return redactReportCounted(report, extra).report;
}

/** The redacted form of one field value (unchanged for fields that carry no credential). */
export function redactHeaderValue(name: string, value: string): string {
  return new Redactor([]).header(name, value);
}

export function redactHeaders(headers: HeaderList): HeaderList {
  const r = new Redactor([]);
  return headers.map(([n, v]) => [n, r.header(n, v)]);
}

/** A URL without user name, password and credential query values. */
export function redactUrl(url: string): string {
  return new Redactor([]).url(url);
}

/** Replaces every occurrence of each secret in a value (never one of our sentences) by "…". */
export function redactSecrets(text: string, secrets: string[]): string {
  return new Redactor(secrets).value(text);
}

export interface DisplayOptions {
  showSecrets?: boolean;
  /** Body characters the renderer shows at most: only those (and a margin) are searched. */
  bodyLimit?: number;
  /** Values known to be secret besides what the report shows (private env values, $processEnv...). */
  secretValues?: Iterable<string>;
}

/** What every renderer prints: the report and body under the one policy, and how much was hidden. */
export function forDisplay<B extends { text?: string; contentType?: string }>(report: Report, body: B, opts: DisplayOptions): { report: Report; body: B; hidden: number } {
  if (opts.showSecrets) return { report, body, hidden: 0 };
  const extra = [...(opts.secretValues ?? [])];
  const { report: out, redactor } = redactReportCounted(report, extra);
  let text = body.text;
  if (text !== undefined && opts.bodyLimit !== undefined && text.length > opts.bodyLimit * 2) {
    // The renderer shows the first bodyLimit characters; a secret or JWT that starts there is
    // still whole (or recognisable) within the margin.
    const longest = Math.max(0, ...[...reportSecrets(report), ...extra].map((v) => v.length));
    text = text.slice(0, opts.bodyLimit + Math.max(longest, 8192));
  }
  const shown = text === undefined ? body : { ...body, text: redactor.body(text, body.contentType) };
  return { report: out, body: shown, hidden: redactor.hidden };
}

/** The sentence that says values were hidden (empty when none were). */
export function hiddenNote(hidden: number, reveal = 'run again with --show-secrets to show them'): string {
  if (hidden === 0) return '';
  return `${hidden} value${hidden === 1 ? '' : 's'} hidden as ${ELLIPSIS} (credentials, and values from private or secret sources): ${reveal}.`;
}
