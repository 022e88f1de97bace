// A small per-run cookie jar (RFC 6265 §5.2-5.4 subset): Set-Cookie lines are stored by
// name/domain/path and sent back to matching hosts and paths. Expiry by Max-Age/Expires,
// Secure only over https, host-only cookies when Domain is absent. Stricter than RFC 6265, as
// credentials must never reach another origin: a cookie received over https only goes back over
// https, and a host-only cookie set on an explicit port (a dev server) only to that port.

import { isIP } from 'node:net';

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  /** Explicit port of the URL that set it ('' for the scheme's default port). */
  port: string;
  path: string;
  secure: boolean;
  expires?: number;
  created: number;
}

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

function domainMatch(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && isIP(host) === 0);
}

function pathMatch(reqPath: string, cookiePath: string): boolean {
  if (reqPath === cookiePath) return true;
  if (!reqPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || reqPath[cookiePath.length] === '/';
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores one Set-Cookie field value received from `url`. Returns false if rejected. */
  store(setCookie: string, url: URL, now = Date.now()): boolean {
    const [pair = '', ...attrs] = setCookie.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return false;
    const host = url.hostname.toLowerCase();
    const c: StoredCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), domain: host, hostOnly: true, port: url.port, path: defaultPath(url), secure: url.protocol === 'https:', created: now };
    let maxAge: number | undefined;
    for (const a of attrs) {
      const i = a.indexOf('=');
      const key = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : a.slice(i + 1).trim();
      if (key === 'domain' && val) {
        const d = val.replace(/^\./, '').toLowerCase();
        if (!domainMatch(host, d)) return false; // a host may not set cookies for another domain
        c.domain = d;
        c.hostOnly = false;
      } else if (key === 'path' && val.startsWith('/')) c.path = val;
      else if (key === 'secure') c.secure = true;
      else if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
      else if (key === 'expires') {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) c.expires = t;
      }
    }
    if (maxAge !== undefined) c.expires = now + maxAge * 1000;
    this.cookies = this.cookies.filter((o) => !(o.name === c.name && o.domain === c.domain && o.path === c.path));
    if (c.expires === undefined || c.expires > now) this.cookies.push(c);
    return true;
  }

  /** The Cookie header value for a request to `url`, or undefined when nothing matches. */
  header(url: URL, now = Date.now()): string | undefined {
    const host = url.hostname.toLowerCase();
    const list = this.cookies
      .filter((c) => (c.expires === undefined || c.expires > now) && (c.hostOnly ? host === c.domain && url.port === c.port : domainMatch(host, c.domain)))
      .filter((c) => pathMatch(url.pathname || '/', c.path) && (!c.secure || url.protocol === 'https:'))
      .sort((a, b) => b.path.length - a.path.length || a.created - b.created);
    return list.length ? list.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  get size(): number {
    return this.cookies.length;
  }
}
