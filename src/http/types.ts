// Plain data of the request runner: what was sent, what came back, and the diagnosis.
// The JSON report of `authlint send` / `authlint explain` is exactly `Report` (contract.md).

import type { TokenFailure } from './oauth/token';

export type HeaderList = Array<[string, string]>;

export interface SentRequest {
  method: string;
  url: string;
  /** Every header field line sent, in order (values unredacted here; redact when printing). */
  headers: HeaderList;
  body?: string;
}

export interface RedirectHop {
  status: number;
  location: string;
  /** Headers of the redirect response, every field line in order. */
  headers?: HeaderList;
  /** Names of credential-carrying headers removed before following this hop (origin change). */
  dropped?: string[];
  /** Names of credential-carrying headers that went on to the new origin (a client that
   *  drops only Authorization and Cookie, as curl does: `authlint explain`). */
  kept?: string[];
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  /** Every field line, in order, repeats kept (from rawHeaders). */
  headers: HeaderList;
  bodyBytes: number;
  elapsedMs: number;
  redirects: RedirectHop[];
  /** Body text (possibly truncated); absent for binary bodies. */
  body?: string;
  bodyTruncated?: boolean;
  bodyBinary?: boolean;
}

export type DiagnosisSeverity = 'error' | 'warning' | 'info';

export interface Diagnosis {
  code: string;
  severity: DiagnosisSeverity;
  title: string;
  detail: string;
  refs: string[];
}

/** One exchange to explain: the request as finally sent, and the final response. */
/** A token that `{{$auth.token("id")}}` put into the request (src/http/oauth). */
export interface AuthUse {
  id: string;
  environment?: string;
  /** The Scope setting, and what the server granted (its `scope`), when known. */
  scope?: string;
  grantedScope?: string;
  /** Where the configuration is (env file, 1-based line). */
  file: string;
  line: number;
  /** The resource refused the cached token (invalid_token): it was refreshed and the request resent. */
  retried?: boolean;
}

export interface Exchange {
  request?: SentRequest;
  /** The request as the user wrote it, before redirects stripped anything. */
  originalRequest?: SentRequest;
  response: ReceivedResponse;
  /** Notes about how the request was built (a reference sent as typed, ...): shown in the report. */
  warnings?: Diagnosis[];
  /** Tokens from `{{$auth.token(...)}}` in this request. */
  auth?: AuthUse[];
  /** Getting a token failed: this exchange is the token endpoint's answer, not the resource's. */
  tokenFailure?: TokenFailure;
}

export interface Report {
  version: 1;
  request: { method: string; url: string; headers: HeaderList };
  response: {
    status: number;
    statusText: string;
    headers: HeaderList;
    bodyBytes: number;
    elapsedMs: number;
    /** `dropped` / `kept`: present when a hop changed origin with credential headers. */
    redirects: Array<{ status: number; location: string; dropped?: string[]; kept?: string[] }>;
  } | null;
  /** Set when the request failed before a response (DNS, refused, TLS, timeout). */
  error?: { code: string; message: string };
  diagnosis: Diagnosis[];
}
