// What each rule is, in one place: default severity, one-line summary, RFC basis.
// The rule implementations live in rules/<id>.ts; docs in docs/rules/<id>.md.
import type { RuleId, Severity } from './types';

export interface RuleMeta {
  id: RuleId;
  severity: Severity;
  summary: string;
  refs: string[];
  /** Relative to the extension / repo root. */
  docsPath: string;
}

function meta(id: RuleId, severity: Severity, summary: string, refs: string[]): RuleMeta {
  return { id, severity, summary, refs, docsPath: `docs/rules/${id}.md` };
}

export const RULE_META: Record<RuleId, RuleMeta> = {
  'missing-www-authenticate': meta(
    'missing-www-authenticate',
    'error',
    'A 401 response must carry a WWW-Authenticate challenge.',
    ['RFC 9110 §15.5.2', 'RFC 9110 §11.6.1'],
  ),
  '403-for-missing-credentials': meta(
    '403-for-missing-credentials',
    'warning',
    'Missing or invalid credentials call for 401 with a challenge, not 403.',
    ['RFC 9110 §11.4', 'RFC 9110 §15.5.2', 'RFC 9110 §15.5.4'],
  ),
  '401-for-insufficient-permission': meta(
    '401-for-insufficient-permission',
    'warning',
    'An identified user who lacks permission gets 403, not 401.',
    ['RFC 9110 §11.4', 'RFC 9110 §15.5.4', 'RFC 6750 §3.1'],
  ),
  'malformed-www-authenticate': meta(
    'malformed-www-authenticate',
    'warning',
    'A challenge must follow RFC 9110 §11.6.1 syntax and its scheme’s rules.',
    ['RFC 9110 §11.6.1', 'RFC 7617 §2', 'RFC 6750 §3', 'RFC 7616 §3.3'],
  ),
  'bearer-error-status-mismatch': meta(
    'bearer-error-status-mismatch',
    'warning',
    'A Bearer error code must match the status: invalid_request 400, invalid_token 401, insufficient_scope 403.',
    ['RFC 6750 §3.1'],
  ),
  'missing-proxy-authenticate': meta(
    'missing-proxy-authenticate',
    'error',
    'A 407 response must carry a Proxy-Authenticate challenge.',
    ['RFC 9110 §15.5.8', 'RFC 9110 §11.7.1'],
  ),
};

export const DOCS_BASE_URL = 'https://github.com/authlint/authlint/blob/main/';
