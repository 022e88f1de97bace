// Decodes a JWT (RFC 7519) without verifying it: only to explain a failure (expiry, scopes,
// audience). Never throws.

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** NumericDate claims in seconds since the epoch (RFC 7519 §4.1.4-§4.1.6). */
  exp?: number;
  nbf?: number;
  iat?: number;
  /** From `scope` (space-separated string, RFC 8693 §4.2) or `scp` (string or array). */
  scopes?: string[];
  aud?: string[];
  iss?: string;
  sub?: string;
}

const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function decodePart(part: string): Record<string, unknown> | undefined {
  if (part.length === 0 || !B64URL.test(part)) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
    return json as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function strings(v: unknown): string[] | undefined {
  if (typeof v === 'string') return v.split(/\s+/).filter((s) => s.length > 0);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** Cheap test: three base64url parts, the first starting like a JSON object ("eyJ"). */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token);
}

/** Header and payload of a JWS compact token, or undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (typeof token !== 'string' || token.length > 64 * 1024) return undefined;
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined; // JWE (5 parts) payloads are encrypted
  const header = decodePart(parts[0] ?? '');
  const payload = decodePart(parts[1] ?? '');
  if (!header || !payload) return undefined;
  const out: DecodedJwt = { header, payload };
  const exp = numeric(payload.exp);
  const nbf = numeric(payload.nbf);
  const iat = numeric(payload.iat);
  if (exp !== undefined) out.exp = exp;
  if (nbf !== undefined) out.nbf = nbf;
  if (iat !== undefined) out.iat = iat;
  const scopes = strings(payload.scope) ?? strings(payload.scp);
  if (scopes) out.scopes = scopes;
  const aud = strings(payload.aud);
  if (aud) out.aud = aud;
  if (typeof payload.iss === 'string') out.iss = payload.iss;
  if (typeof payload.sub === 'string') out.sub = payload.sub;
  return out;
}

/** "3 h 5 min", "42 s", "2 days 1 h": a short human duration for a number of seconds. */
export function humanDuration(seconds: number): string {
  let s = Math.round(Math.abs(seconds));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const min = Math.floor(s / 60);
  s -= min * 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (h > 0) parts.push(`${h} h`);
  if (min > 0 && days === 0) parts.push(`${min} min`);
  if (parts.length === 0) parts.push(`${s} s`);
  return parts.slice(0, 2).join(' ');
}

/** ISO 8601 text for a NumericDate, or a placeholder for absurd values. */
export function isoTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}
