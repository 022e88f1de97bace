// What every detector reads: the exchange plus its parsed pieces, computed once.

import type { Challenge, ChallengeProblem } from './challenge';
import { ours, say } from './say';
import { checkChallenges, parseChallenges } from './challenge';
import type { RequestCredentials } from './credentials';
import { requestCredentials } from './credentials';
import type { DecodedJwt } from './jwt';
import { decodeJwt, looksLikeJwt } from './jwt';
import type { Diagnosis, DiagnosisSeverity, Exchange, HeaderList, ReceivedResponse, SentRequest } from './types';

/** One WWW-Authenticate or Proxy-Authenticate field line, parsed on its own. */
export interface ChallengeLine {
  header: string;
  value: string;
  challenges: Challenge[];
  problems: ChallengeProblem[];
}

export interface ExplainContext {
  exchange: Exchange;
  response: ReceivedResponse;
  status: number;
  /** The request as finally sent (after redirects), when known. */
  request?: SentRequest;
  /** The request as written, before redirects removed anything (else the request). */
  original?: SentRequest;
  /** Credentials of the final request; undefined when the request is unknown. */
  creds?: RequestCredentials;
  /** Credentials of the original request. */
  originalCreds?: RequestCredentials;
  www: ChallengeLine[];
  proxy: ChallengeLine[];
  /** The token checked for times and scopes: the Bearer token, else a JWT cookie. */
  jwt?: { token: DecodedJwt; source: string };
  /** Reference time: the response's Date header, else now. */
  now: Date;
  nowSource: 'Date header' | 'local clock';
  headers(name: string): string[];
}

export interface Finding {
  detail: string;
  title?: string;
  severity?: DiagnosisSeverity;
  refs?: string[];
}

export interface Detector {
  code: string;
  severity: DiagnosisSeverity;
  title: string;
  refs: string[];
  /** Codes that make this one redundant when they are also found. */
  unless?: string[];
  detect(ctx: ExplainContext): Finding | undefined;
}

export function defineDetector(d: Detector): Detector {
  return d;
}

export function values(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

function parseLines(headers: HeaderList, name: string): ChallengeLine[] {
  const lower = name.toLowerCase();
  return headers
    .filter(([n]) => n.toLowerCase() === lower)
    .map(([header, value]) => ({ header, value, challenges: parseChallenges(value).challenges, problems: checkChallenges(value) }));
}

export function buildContext(exchange: Exchange, now?: Date): ExplainContext {
  const response = exchange.response;
  const request = exchange.request;
  const original = exchange.originalRequest ?? request;
  const dateHeader = values(response.headers, 'date')[0];
  const parsedDate = dateHeader ? new Date(dateHeader) : undefined;
  const useDate = parsedDate !== undefined && !Number.isNaN(parsedDate.getTime());
  const ctx: ExplainContext = {
    exchange,
    response,
    status: response.status,
    www: parseLines(response.headers, 'www-authenticate'),
    proxy: parseLines(response.headers, 'proxy-authenticate'),
    now: useDate ? (parsedDate as Date) : (now ?? new Date()),
    nowSource: useDate ? 'Date header' : 'local clock',
    headers: (name) => values(response.headers, name),
  };
  if (request) {
    ctx.request = request;
    ctx.creds = requestCredentials(request);
  }
  if (original) {
    ctx.original = original;
    ctx.originalCreds = requestCredentials(original);
  }
  const creds = ctx.creds;
  if (creds) {
    const a = creds.authorization;
    const bearer = a && /^(bearer|dpop)$/i.test(a.scheme) && a.token ? a.token : a && a.scheme === '' ? a.token : undefined;
    const decoded = bearer ? decodeJwt(bearer) : undefined;
    if (decoded) ctx.jwt = { token: decoded, source: say`the ${a?.scheme || say`bare`} token in ${a?.header ?? say`Authorization`}` };
    else if (ctx.request) {
      for (const [k, v] of queryParams(ctx.request.url)) {
        const d = /^(access_token|id_token|token|jwt)$/i.test(k) && looksLikeJwt(v) ? decodeJwt(v) : undefined;
        if (d) {
          ctx.jwt = { token: d, source: say`the JWT in query parameter ${k}` };
          break;
        }
      }
    }
    if (!ctx.jwt) {
      for (const c of creds.cookies) {
        const d = looksLikeJwt(c.value) ? decodeJwt(c.value) : undefined;
        if (d) {
          ctx.jwt = { token: d, source: say`the JWT in cookie "${c.name}"` };
          break;
        }
      }
    }
  }
  return ctx;
}

function queryParams(url: string): Array<[string, string]> {
  try {
    return [...new URL(url).searchParams.entries()];
  } catch {
    return [];
  }
}

/** Every challenge of the given lines, in order. */
export function allChallenges(lines: ChallengeLine[]): Challenge[] {
  return lines.flatMap((l) => l.challenges);
}

/** Scheme names challenged, lower-cased, unique, in order. */
export function challengedSchemes(lines: ChallengeLine[]): string[] {
  return [...new Set(allChallenges(lines).map((c) => c.scheme.toLowerCase()))];
}

/** "Bearer realm="api"; Basic realm="x"": the challenges as a short, readable list. */
export function describeChallenges(lines: ChallengeLine[]): string {
  const text = lines.map((l) => l.value.trim()).filter((v) => v !== '').join('; ');
  return text.length > 400 ? say`${text.slice(0, 400)}…` : text;
}

export function toDiagnosis(d: Detector, f: Finding): Diagnosis {
  return { code: d.code, severity: f.severity ?? d.severity, title: f.title ?? ours(d.title), detail: f.detail, refs: f.refs ?? d.refs };
}
