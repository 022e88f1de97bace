// The registry of diagnosis detectors (the only list of them anywhere) and the two entry
// points the CLI and the extension use: explain() and buildReport().

import { say } from '../say';
import type { Detector } from '../explain-context';
import { buildContext, toDiagnosis } from '../explain-context';
import type { Diagnosis, DiagnosisSeverity, Exchange, Report, SentRequest } from '../types';
import challengeMalformed from './challenge-malformed';
import challengeMissing from './challenge-missing';
import credentialsDroppedOnRedirect from './credentials-dropped-on-redirect';
import credentialsMalformed from './credentials-malformed';
import credentialsRejected from './credentials-rejected';
import digestStale from './digest-stale';
import forbidden from './forbidden';
import forbiddenWithoutCredentials from './forbidden-without-credentials';
import insufficientScope from './insufficient-scope';
import invalidRequest from './invalid-request';
import invalidToken from './invalid-token';
import loginRedirect from './login-redirect';
import noCredentials from './no-credentials';
import proxyAuthRequired from './proxy-auth-required';
import resourceMetadata from './resource-metadata';
import schemeMismatch from './scheme-mismatch';
import sessionExpired from './session-expired';
import tokenExpired from './token-expired';
import tokenNotYetValid from './token-not-yet-valid';
import tokenRequestFailed, { explainTokenFailure } from './token-request-failed';
import type { TokenFailure } from '../oauth/token';

export type { Detector, ExplainContext, Finding } from '../explain-context';

/** In the order a reader needs them: the cause first, then context. */
export const detectors: readonly Detector[] = [
  tokenRequestFailed,
  proxyAuthRequired,
  loginRedirect,
  credentialsDroppedOnRedirect,
  noCredentials,
  credentialsMalformed,
  schemeMismatch,
  tokenExpired,
  tokenNotYetValid,
  sessionExpired,
  invalidToken,
  invalidRequest,
  insufficientScope,
  digestStale,
  credentialsRejected,
  forbiddenWithoutCredentials,
  forbidden,
  challengeMissing,
  challengeMalformed,
  resourceMetadata,
];

const RANK: Record<DiagnosisSeverity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Every diagnosis for one exchange, errors first (registry order within a severity).
 * `now` is used for JWT times only when the response has no valid Date header.
 */
export function explain(exchange: Exchange, now?: Date): Diagnosis[] {
  const ctx = buildContext(exchange, now);
  const found: Array<{ d: Detector; diag: Diagnosis }> = [];
  // A failed token request of the runner is explained as such only.
  const active = exchange.tokenFailure ? [tokenRequestFailed] : detectors;
  for (const d of active) {
    let f;
    try {
      f = d.detect(ctx);
    } catch (e) {
      // A detector bug must not hide the others; say so instead of crashing.
      f = { severity: 'info' as const, title: say`Internal error in the ${d.code} check`, detail: String(e instanceof Error ? e.message : e) };
    }
    if (f) found.push({ d, diag: toDiagnosis(d, f) });
  }
  const codes = new Set(found.map((x) => x.diag.code));
  return found
    .filter((x) => !(x.d.unless ?? []).some((c) => codes.has(c)))
    .map((x, i) => ({ diag: x.diag, i }))
    .sort((a, b) => RANK[a.diag.severity] - RANK[b.diag.severity] || a.i - b.i)
    .map((x) => x.diag);
}

/** A request that got no response (DNS, refused, TLS, timeout). */
export interface RequestFailure {
  request?: SentRequest;
  /** code: e.g. 'ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'CERT_HAS_EXPIRED'; message: plain words. */
  error: { code: string; message: string };
  /** Notes about how the request was built, as in Exchange. */
  warnings?: Diagnosis[];
}

function isFailure(x: Exchange | RequestFailure): x is RequestFailure {
  return (x as RequestFailure).error !== undefined && (x as Exchange).response === undefined;
}

/**
 * The contract's JSON report for an exchange or a failure. Values are NOT redacted here:
 * printers apply redactReport() unless secrets are to be shown.
 */
export function buildReport(input: Exchange | RequestFailure, now?: Date): Report {
  const req = input.request;
  const request = req ? { method: req.method, url: req.url, headers: req.headers.map(([n, v]): [string, string] => [n, v]) } : { method: '', url: '', headers: [] };
  if (isFailure(input)) {
    return { version: 1, request, response: null, error: { code: input.error.code, message: input.error.message }, diagnosis: [...(input.warnings ?? [])] };
  }
  const r = input.response;
  return {
    version: 1,
    request,
    response: {
      status: r.status,
      statusText: r.statusText,
      headers: r.headers.map(([n, v]): [string, string] => [n, v]),
      bodyBytes: r.bodyBytes,
      elapsedMs: r.elapsedMs,
      redirects: r.redirects.map((h) => ({ status: h.status, location: h.location, ...(h.dropped?.length ? { dropped: [...h.dropped] } : {}), ...(h.kept?.length ? { kept: [...h.kept] } : {}) })),
    },
    diagnosis: withWarnings([...explain(input, now), ...retryNotes(input)], input.warnings),
  };
}

/** Build-time warnings join the diagnoses after the errors, before the infos. */
function withWarnings(found: Diagnosis[], warnings: Diagnosis[] | undefined): Diagnosis[] {
  if (!warnings?.length) return found;
  const at = found.findIndex((d) => RANK[d.severity] > RANK.warning);
  return at < 0 ? [...found, ...warnings] : [...found.slice(0, at), ...warnings, ...found.slice(at)];
}

/** Says that a cached token was refused and the request resent with a fresh one. */
function retryNotes(input: Exchange): Diagnosis[] {
  return (input.auth ?? []).filter((a) => a.retried).map((a) => ({
    code: 'invalid-token',
    severity: 'info' as const,
    title: `The cached token for "${a.id}" was refused; AuthLint got a new one and resent the request`,
    detail: `The first answer was 401 with error="invalid_token" for the token cached for Security.Auth."${a.id}" (revoked or expired early at the server). AuthLint discarded it, got a new token, and sent the request once more; the answer above is the second one.`,
    refs: ['RFC 6750 §3.1'],
  }));
}

/** The report when getting a token for {{$auth.token(...)}} failed: nothing reached the resource. */
export function tokenFailureReport(f: TokenFailure, now?: Date): Report {
  if (f.response) {
    const req = f.request ?? { method: 'POST', url: f.endpoint, headers: [] };
    return buildReport({ request: req, response: f.response, tokenFailure: f }, now);
  }
  const request = f.request ? { method: f.request.method, url: f.request.url, headers: f.request.headers.map(([n, v]): [string, string] => [n, v]) } : { method: f.step === 'authorization' ? 'GET' : 'POST', url: f.endpoint, headers: [] };
  const d = explainTokenFailure(f);
  const report: Report = { version: 1, request, response: null, diagnosis: [toDiagnosis(tokenRequestFailed, d)] };
  if (f.network) report.error = { code: f.network.code, message: f.network.message };
  else report.error = { code: f.kind, message: d.title ?? f.kind };
  return report;
}
