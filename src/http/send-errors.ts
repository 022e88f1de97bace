// Plain-words classification of why a request got no response (contract: exit 3, the report
// says which). Codes: dns refused reset timeout unreachable tls-self-signed tls-expired
// tls-hostname tls too-many-redirects proxy protocol other.

export type FailureCode =
  | 'cancelled'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'timeout'
  | 'unreachable'
  | 'tls-self-signed'
  | 'tls-expired'
  | 'tls-hostname'
  | 'tls'
  | 'too-many-redirects'
  | 'proxy'
  | 'protocol'
  | 'other';

import { say } from './say';
import { maxHeaderSize } from 'node:http';

export interface SendFailureInfo {
  code: FailureCode;
  message: string;
}

export class SendFailure extends Error {
  constructor(readonly code: FailureCode, message: string) {
    super(message);
  }
  get info(): SendFailureInfo {
    return { code: this.code, message: this.message };
  }
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED']);

/** Turns a Node socket/TLS/parser error into a failure with a plain explanation. */
export function classifyError(err: unknown, target: URL, via?: URL): SendFailure {
  if (err instanceof SendFailure) return err;
  const e = err as NodeJS.ErrnoException & { reason?: string; hostname?: string };
  const code = e?.code ?? '';
  const host = target.hostname;
  const hostPort = say`${host}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
  const where = via ? say` (through the proxy ${via.host})` : '';
  const tlsHint = 'The certificate was verified and rejected; fix the certificate or, for a test server only, send with --insecure.';
  if (code === 'ABORT_ERR' || (e as Error)?.name === 'AbortError') return new SendFailure('cancelled', say`The request to ${hostPort}${where} was cancelled before a response arrived.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new SendFailure('dns', say`The host name ${e.hostname ?? via?.hostname ?? host} could not be resolved (DNS lookup failed: ${code}). Check the spelling of the URL or your network.`);
  }
  if (code === 'ECONNREFUSED') return new SendFailure('refused', say`Nothing accepted the connection on ${via ? via.host : hostPort}${where}: the connection was refused. Is the server running on that port?`);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new SendFailure('reset', say`The connection to ${hostPort}${where} was closed by the other side before a complete response arrived (${code}).`);
  if (code === 'ETIMEDOUT') return new SendFailure('timeout', say`Connecting to ${hostPort}${where} timed out (${code}).`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new SendFailure('unreachable', say`${hostPort} is unreachable from this machine (${code}).`);
  if (SELF_SIGNED.has(code)) return new SendFailure('tls-self-signed', say`The TLS certificate of ${host} is self-signed (or signed by a CA this machine does not trust): ${e.message}. ${tlsHint}`);
  if (code === 'CERT_HAS_EXPIRED') return new SendFailure('tls-expired', say`The TLS certificate of ${host} has expired. ${tlsHint}`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new SendFailure('tls-hostname', say`The TLS certificate does not name ${host}: ${e.reason ?? e.message}. ${tlsHint}`);
  if (UNTRUSTED.has(code) || code === 'CERT_NOT_YET_VALID' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /ssl|tls/i.test(e?.message ?? '')) {
    return new SendFailure('tls', say`The TLS handshake with ${host} failed: ${e.message} (${code || 'no code'}).`);
  }
  if (code === 'HPE_HEADER_OVERFLOW') return new SendFailure('protocol', say`The response headers from ${hostPort} are larger than the ${Math.round(maxHeaderSize / 1024)} KB Node.js accepts (${code}).`);
  if (code.startsWith('HPE_')) return new SendFailure('protocol', say`The answer from ${hostPort} is not valid HTTP/1.1 (${code}: ${e.message}).`);
  return new SendFailure('other', say`The request to ${hostPort} failed: ${e?.message ?? String(err)}${code ? ` (${code})` : ''}.`);
}
