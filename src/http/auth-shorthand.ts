// REST Client's Authorization shorthands (http-dialect.md §4 F9) and the Digest answer
// (RFC 7616): `Basic user:pass` / `Basic user pass` are encoded here (raw UTF-8 text, no
// percent-encoding, so spaces and special characters survive); `Basic <base64>` is sent as
// written; `Digest user pass` is held back and answered after a Digest 401 (or 407 for
// Proxy-Authorization).

import { createHash, randomBytes } from 'node:crypto';
import { getParam, parseChallenges, type Challenge } from './challenge';

export interface DigestCredentials {
  user: string;
  password: string;
}

export type ShorthandResult =
  | { kind: 'header'; value: string }
  | { kind: 'digest'; credentials: DigestCredentials }
  | { kind: 'unsupported'; message: string };

/** Interprets the value of an Authorization / Proxy-Authorization header line. */
export function expandAuthShorthand(value: string): ShorthandResult {
  const m = /^(\S+)(?:\s+(.*))?$/.exec(value.trim());
  if (!m) return { kind: 'header', value };
  const scheme = m[1]!;
  const rest = (m[2] ?? '').trim();
  const lower = scheme.toLowerCase();
  if (lower === 'basic') {
    if (rest.includes(':')) return { kind: 'header', value: `${scheme} ${Buffer.from(rest, 'utf8').toString('base64')}` };
    const parts = /^(\S+)\s+(.+)$/.exec(rest);
    if (parts) return { kind: 'header', value: `${scheme} ${Buffer.from(`${parts[1]}:${parts[2]}`, 'utf8').toString('base64')}` };
    return { kind: 'header', value };
  }
  if (lower === 'digest') {
    const parts = /^(\S+)\s+(.+)$/.exec(rest);
    // `Digest username="..", ...` written out in full is sent as it is.
    if (parts && !rest.includes('=')) return { kind: 'digest', credentials: { user: parts[1]!, password: parts[2]! } };
    return { kind: 'header', value };
  }
  if (lower === 'aws') return { kind: 'unsupported', message: 'the `AWS id key` shorthand (SigV4 signing) is not supported by AuthLint yet; sign the request yourself' };
  if (lower === 'cognito') return { kind: 'unsupported', message: 'the `COGNITO` shorthand (AWS Cognito login) is not supported by AuthLint' };
  return { kind: 'header', value };
}

const ALGORITHMS: Record<string, 'md5' | 'sha256'> = { 'md5': 'md5', 'md5-sess': 'md5', 'sha-256': 'sha256', 'sha-256-sess': 'sha256' };

/** The Digest challenge to answer among the header values: SHA-256 preferred, then MD5. */
export function pickDigestChallenge(values: string[]): Challenge | undefined {
  const digests: Challenge[] = [];
  for (const v of values) for (const c of parseChallenges(v).challenges) if (c.scheme.toLowerCase() === 'digest') digests.push(c);
  const usable = digests.filter((c) => getParam(c, 'nonce') !== undefined && (getParam(c, 'algorithm') ?? 'MD5').toLowerCase() in ALGORITHMS);
  const rank = (c: Challenge): number => (ALGORITHMS[(getParam(c, 'algorithm') ?? 'MD5').toLowerCase()] === 'sha256' ? 0 : 1);
  return usable.sort((a, b) => rank(a) - rank(b))[0];
}

const quote = (s: string): string => `"${s.replace(/["\\]/g, '\\$&')}"`;

/**
 * The Authorization value answering `challenge` (RFC 7616 §3.4). `uri` is the request-target
 * (path and query). `nc` counts uses of this nonce. `cnonce` is random unless given.
 */
export function digestAuthorization(
  challenge: Challenge,
  creds: DigestCredentials,
  method: string,
  uri: string,
  nc = 1,
  cnonce = randomBytes(16).toString('hex'),
): string {
  const algorithm = getParam(challenge, 'algorithm') ?? 'MD5';
  const hashName = ALGORITHMS[algorithm.toLowerCase()] ?? 'md5';
  const H = (s: string): string => createHash(hashName).update(s, 'utf8').digest('hex');
  const realm = getParam(challenge, 'realm') ?? '';
  const nonce = getParam(challenge, 'nonce') ?? '';
  const opaque = getParam(challenge, 'opaque');
  const qops = (getParam(challenge, 'qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  const qop = qops.includes('auth') ? 'auth' : undefined;
  let ha1 = H(`${creds.user}:${realm}:${creds.password}`);
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = H(`${method}:${uri}`);
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = qop ? H(`${ha1}:${nonce}:${ncHex}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username=${quote(creds.user)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(uri)}`,
    `algorithm=${algorithm}`,
    `response=${quote(response)}`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${ncHex}`, `cnonce=${quote(cnonce)}`);
  if (opaque !== undefined) parts.push(`opaque=${quote(opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
