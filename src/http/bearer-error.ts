// Shared helpers for the RFC 6750 §3.1 error-code detectors.
import { say } from './say';
import { findParam, getParam } from './challenge';
import type { Challenge } from './challenge';
import type { ExplainContext } from './explain-context';

export interface BearerError {
  challenge: Challenge;
  error: string;
  description?: string;
  uri?: string;
  scope?: string;
}

/** The first challenge (WWW-Authenticate first, then Proxy-Authenticate) with error=code. */
export function findBearerError(ctx: ExplainContext, code: string): BearerError | undefined {
  for (const line of [...ctx.www, ...ctx.proxy]) {
    for (const c of line.challenges) {
      const e = findParam(c, 'error');
      if (!e || e.value.toLowerCase() !== code) continue;
      const out: BearerError = { challenge: c, error: e.value };
      const d = getParam(c, 'error_description');
      const u = getParam(c, 'error_uri');
      const s = getParam(c, 'scope');
      if (d !== undefined) out.description = d;
      if (u !== undefined) out.uri = u;
      if (s !== undefined) out.scope = s;
      return out;
    }
  }
  return undefined;
}

/** ' The server says: "…".' plus the error_uri, or ''. */
export function said(e: BearerError): string {
  let s = e.description ? say` The server says: "${e.description}".` : '';
  if (e.uri) s += say` More at ${e.uri}.`;
  return s;
}

/** A note when the status contradicts the code's status (RFC 6750 §3.1). */
export function statusNote(status: number, expected: number, code: string): string {
  return status === expected ? '' : say` Note: RFC 6750 §3.1 pairs ${code} with ${expected}, yet the status is ${status}.`;
}
