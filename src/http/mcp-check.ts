// `authlint mcp-check URL`: walks the discovery an MCP client performs from an unauthenticated
// request (MCP authorization; RFC 9728, RFC 8414, OpenID Connect Discovery, RFC 7636) and says
// which step breaks, what it saw, and what to fix. Pure apart from the HTTP requests it sends.

import { parseChallenges, getParam, type Challenge } from './challenge';
import { sendRequest, type SendFailureInfo, type SendOptions } from './send';
import type { HeaderList, ReceivedResponse } from './types';

export type StepId = 'challenge' | 'resource-metadata' | 'resource-match' | 'authorization-server-metadata' | 'issuer-match' | 'pkce' | 'registration';

export interface McpStep {
  id: StepId;
  /** true passed, false failed, null not applicable. */
  ok: boolean | null;
  title: string;
  detail: string;
  refs: string[];
}

export interface McpReport {
  version: 1;
  url: string;
  steps: McpStep[];
}

export interface McpCheckOptions extends Pick<SendOptions, 'timeoutMs' | 'insecure' | 'env' | 'signal'> {}

export interface McpCheckResult {
  report: McpReport;
  /** The server could not be reached at all (exit 3). */
  unreachable?: SendFailureInfo;
}

const MCP_PROTOCOL = '2025-06-18';
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: MCP_PROTOCOL, capabilities: {}, clientInfo: { name: 'authlint-mcp-check', version: '1' } },
});

interface Got {
  url: string;
  response?: ReceivedResponse;
  error?: SendFailureInfo;
  json?: Record<string, unknown>;
}

const header = (h: HeaderList, name: string): string | undefined => h.find(([k]) => k.toLowerCase() === name)?.[1];
const short = (s: string, n = 200): string => (s.length > n ? `${s.slice(0, n)}…` : s);
const q = (s: unknown): string => JSON.stringify(typeof s === 'string' ? short(s) : s);

async function get(url: string, opts: McpCheckOptions, init: { method?: string; body?: string; headers?: HeaderList } = {}): Promise<Got> {
  const headers: HeaderList = init.headers ?? [['Accept', 'application/json']];
  const out = await sendRequest({ method: init.method ?? 'GET', url, headers, ...(init.body !== undefined ? { body: Buffer.from(init.body) } : {}), line: 0, noRedirect: false, noCookieJar: true }, { ...opts, maxBodyBytes: 1024 * 1024 });
  if (!out.ok) return { url, error: out.error };
  const g: Got = { url, response: out.exchange.response };
  const body = out.exchange.response.body;
  if (body !== undefined) {
    try {
      const v: unknown = JSON.parse(body);
      if (v && typeof v === 'object' && !Array.isArray(v)) g.json = v as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
  }
  return g;
}

function describe(g: Got): string {
  if (g.error) return `${g.url}: no answer (${g.error.message})`;
  const r = g.response!;
  const ct = header(r.headers, 'content-type');
  return `${g.url}: ${r.status}${ct ? ` (${short(ct, 60)})` : ''}${r.status < 300 && !g.json ? ', not a JSON object' : ''}`;
}

/** RFC 9728 §3.1: the well-known URLs for a resource, path-aware first, then the root. */
export function protectedResourceUrls(resource: string): string[] {
  const u = new URL(resource);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  const out = [`${u.origin}/.well-known/oauth-protected-resource${path}`];
  if (path) out.push(`${u.origin}/.well-known/oauth-protected-resource`);
  return out;
}

/** RFC 8414 §3.1 then OpenID Connect Discovery (path-inserted, then path-appended). */
export function authorizationServerUrls(issuer: string): Array<{ url: string; kind: 'RFC 8414' | 'OpenID Connect Discovery' }> {
  const u = new URL(issuer);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  const out: Array<{ url: string; kind: 'RFC 8414' | 'OpenID Connect Discovery' }> = [{ url: `${u.origin}/.well-known/oauth-authorization-server${path}`, kind: 'RFC 8414' }];
  out.push({ url: `${u.origin}/.well-known/openid-configuration${path}`, kind: 'OpenID Connect Discovery' });
  if (path) out.push({ url: `${u.origin}${path}/.well-known/openid-configuration`, kind: 'OpenID Connect Discovery' });
  return out;
}

/** Equal as RFC 9728 §3.3 wants them; a trailing slash alone is reported but tolerated. */
function sameResource(a: string, b: string): 'same' | 'slash' | 'different' {
  if (a === b) return 'same';
  const strip = (s: string): string => s.replace(/#.*$/, '').replace(/\/$/, '');
  return strip(a) === strip(b) ? 'slash' : 'different';
}

function bearerChallenge(r: ReceivedResponse): { challenge?: Challenge; raw: string[] } {
  const raw = r.headers.filter(([k]) => k.toLowerCase() === 'www-authenticate').map(([, v]) => v);
  for (const v of raw) for (const c of parseChallenges(v).challenges) if (c.scheme.toLowerCase() === 'bearer') return { challenge: c, raw };
  return { raw };
}

function looksLikeMcp(g: Got): boolean {
  const r = g.response!;
  const ct = header(r.headers, 'content-type') ?? '';
  if (/text\/event-stream/i.test(ct)) return true;
  return g.json?.['jsonrpc'] === '2.0';
}

export async function mcpCheck(url: string, opts: McpCheckOptions = {}): Promise<McpCheckResult> {
  const steps: McpStep[] = [];
  const report: McpReport = { version: 1, url, steps };
  const step = (s: McpStep): McpStep => (steps.push(s), s);
  const skipRest = (ids: StepId[], why: string): void => {
    for (const id of ids) step({ id, ok: null, title: `Not checked: ${why}`, detail: '', refs: [] });
  };

  // 1. The unauthenticated request an MCP client sends first.
  const first = await get(url, opts, {
    method: 'POST',
    body: INITIALIZE,
    headers: [['Content-Type', 'application/json'], ['Accept', 'application/json, text/event-stream'], ['MCP-Protocol-Version', MCP_PROTOCOL]],
  });
  const after: StepId[] = ['resource-metadata', 'resource-match', 'authorization-server-metadata', 'issuer-match', 'pkce', 'registration'];
  if (first.error) {
    const notHttp = first.error.code === 'protocol';
    step({
      id: 'challenge',
      ok: false,
      title: notHttp ? 'The server does not speak HTTP' : 'The server could not be reached',
      detail: notHttp ? `${first.error.message} Something listens at ${new URL(url).host}, but it is not an HTTP server; an MCP server over HTTP answers HTTP/1.1 (Streamable HTTP transport).` : first.error.message,
      refs: ['RFC 9110 §15.5.2'],
    });
    return notHttp ? { report } : { report, unreachable: first.error };
  }
  const r = first.response!;
  const saw = `POST ${url} (an MCP initialize request without credentials) answered ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`;
  if (r.status !== 401) {
    if (r.status >= 200 && r.status < 300 && looksLikeMcp(first)) {
      step({ id: 'challenge', ok: null, title: 'The server does not ask for authorization', detail: `${saw} with an MCP answer: this server is public, so there is no discovery to check. If it should be protected, answer 401 with WWW-Authenticate: Bearer resource_metadata="…" to requests without a token.`, refs: ['RFC 9728 §5.1'] });
      return { report };
    }
    const notMcp = r.status >= 200 && r.status < 300 ? ' The answer is not JSON-RPC or an event stream, so this URL is not an MCP endpoint: check the path (often /mcp).' : r.status === 404 || r.status === 405 ? ' Nothing at this URL accepts an MCP POST: it is not an MCP endpoint (check the path, often /mcp).' : '';
    step({
      id: 'challenge',
      ok: false,
      title: r.status === 403 ? 'The server answers 403 where 401 belongs' : `The server answers ${r.status}, not 401`,
      detail: `${saw}.${r.status === 403 ? ' A request without credentials must get 401 with a WWW-Authenticate challenge (RFC 9110 §15.5.2); a 403 tells the client that authenticating will not help, so it never starts the OAuth flow.' : notMcp || ' An MCP server that requires authorization answers a request without a token with 401 and WWW-Authenticate: Bearer resource_metadata="…".'}`,
      refs: ['RFC 9728 §5.1', 'RFC 9110 §15.5.2'],
    });
    skipRest(after, 'the server did not answer 401');
    return { report };
  }
  const { challenge, raw } = bearerChallenge(r);
  const rmUrl = challenge ? getParam(challenge, 'resource_metadata') : undefined;
  if (!challenge) {
    step({ id: 'challenge', ok: false, title: raw.length ? 'The 401 has no Bearer challenge' : 'The 401 has no WWW-Authenticate', detail: `${saw}${raw.length ? ` with WWW-Authenticate: ${short(raw.join(', '))}` : ' and no WWW-Authenticate header'}. Answer with WWW-Authenticate: Bearer resource_metadata="${protectedResourceUrls(url)[0]}" so clients find the protected resource metadata.`, refs: ['RFC 9728 §5.1', 'RFC 6750 §3'] });
  } else if (!rmUrl) {
    step({ id: 'challenge', ok: false, title: 'The Bearer challenge has no resource_metadata', detail: `${saw} with WWW-Authenticate: ${short(raw.join(', '))}. Add resource_metadata="${protectedResourceUrls(url)[0]}" to the challenge (RFC 9728 §5.1); clients then fall back to the well-known URLs, checked below.`, refs: ['RFC 9728 §5.1'] });
  } else {
    const scope = getParam(challenge, 'scope');
    step({ id: 'challenge', ok: true, title: 'The server answers 401 with a resource_metadata challenge', detail: `${saw} with WWW-Authenticate: ${short(raw.join(', '))}. resource_metadata = ${rmUrl}${scope ? `; scope = "${scope}"` : ''}.`, refs: ['RFC 9728 §5.1'] });
  }

  // 2. The protected resource metadata: the challenge's URL, then the well-known URLs.
  const tried: Got[] = [];
  const problems: string[] = [];
  let prm: Got | undefined;
  const candidates: Array<{ url: string; from: string }> = [];
  if (rmUrl) {
    try {
      candidates.push({ url: new URL(rmUrl, url).toString(), from: 'resource_metadata' });
    } catch {
      problems.push(`resource_metadata ${q(rmUrl)} is not a URL.`);
    }
  }
  for (const u of protectedResourceUrls(url)) if (!candidates.some((c) => c.url === u)) candidates.push({ url: u, from: 'well-known' });
  for (const c of candidates) {
    const g = await get(c.url, opts);
    tried.push(g);
    const st = g.response?.status;
    if (g.response && st! >= 200 && st! < 300 && g.json) {
      prm = g;
      break;
    }
    if (c.from === 'resource_metadata') problems.push(`The challenge's resource_metadata URL ${describe(g)}; it must serve the metadata document.`);
    else if (st === 401 || st === 403) problems.push(`${describe(g)}: a well-known URL without a document must answer 404, and the metadata must be public; a ${st} there stops clients (they read it as "authorization needed" rather than "look elsewhere").`);
    else if (g.response && st! >= 200 && st! < 300) problems.push(`${describe(g)}: the metadata must be a JSON object (application/json).`);
  }
  const seen = `Tried: ${tried.map(describe).join('; ')}.`;
  if (!prm) {
    step({ id: 'resource-metadata', ok: false, title: 'No protected resource metadata found', detail: `${seen} ${problems.join(' ')} Serve the RFC 9728 document (resource, authorization_servers) at ${protectedResourceUrls(url)[0]} and name it in the challenge's resource_metadata.`.replace(/\s+$/, ''), refs: ['RFC 9728 §3.1', 'RFC 9728 §5.1'] });
    skipRest(['resource-match', 'authorization-server-metadata', 'issuer-match', 'pkce', 'registration'], 'no protected resource metadata');
    return { report };
  }
  const doc = prm.json!;
  const resource = doc['resource'];
  const ases = Array.isArray(doc['authorization_servers']) ? (doc['authorization_servers'] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  if (typeof resource !== 'string') problems.push('The document has no "resource" string (required, RFC 9728 §2).');
  if (ases.length === 0) problems.push('The document lists no "authorization_servers": an MCP client cannot learn where to get a token (MCP authorization requires at least one).');
  step({
    id: 'resource-metadata',
    ok: problems.length === 0,
    title: problems.length === 0 ? 'Protected resource metadata found' : 'Protected resource metadata has problems',
    detail: `${seen} Found at ${prm.url}: resource = ${q(resource)}, authorization_servers = ${q(ases)}${Array.isArray(doc['scopes_supported']) ? `, scopes_supported = ${q(doc['scopes_supported'])}` : ''}.${problems.length ? ` ${problems.join(' ')}` : ''}`,
    refs: ['RFC 9728 §3', 'RFC 9728 §2'],
  });

  // 3. `resource` must be the URL the client is using.
  if (typeof resource === 'string') {
    const m = sameResource(resource, url);
    step({
      id: 'resource-match',
      ok: m !== 'different',
      title: m === 'different' ? 'The metadata describes another resource' : 'The metadata describes this URL',
      detail: m === 'same' ? `resource = ${resource}, the URL checked.` : m === 'slash' ? `resource = ${resource} differs from ${url} only by a trailing slash; clients comparing strictly will reject it: make them identical.` : `resource = ${q(resource)}, but the URL checked is ${url}. Clients must reject metadata whose resource differs from the URL they used (RFC 9728 §3.3), and tokens would carry the wrong audience (RFC 8707). Set resource to ${url} (the canonical URL of the MCP server).`,
      refs: ['RFC 9728 §3.3', 'RFC 8707 §2'],
    });
  } else step({ id: 'resource-match', ok: null, title: 'Not checked: the metadata has no resource', detail: '', refs: [] });

  // 4. Each authorization server's metadata: RFC 8414, then OpenID Connect Discovery.
  if (ases.length === 0) {
    skipRest(['authorization-server-metadata', 'issuer-match', 'pkce', 'registration'], 'no authorization server listed');
    return { report };
  }
  const found: Array<{ issuer: string; url: string; kind: string; doc: Record<string, unknown> }> = [];
  const asLines: string[] = [];
  for (const as of ases) {
    let list: ReturnType<typeof authorizationServerUrls>;
    try {
      list = authorizationServerUrls(as);
    } catch {
      asLines.push(`${q(as)} is not a URL.`);
      continue;
    }
    const attempts: Got[] = [];
    let hit: { url: string; kind: string; doc: Record<string, unknown> } | undefined;
    for (const c of list) {
      const g = await get(c.url, opts);
      attempts.push(g);
      if (g.response && g.response.status < 300 && g.json) {
        hit = { url: c.url, kind: c.kind, doc: g.json };
        break;
      }
    }
    if (hit) {
      found.push({ issuer: as, ...hit });
      asLines.push(`${as}: ${hit.kind} metadata at ${hit.url}${attempts.length > 1 ? ` (after ${attempts.slice(0, -1).map(describe).join('; ')})` : ''}.`);
    } else asLines.push(`${as}: no metadata (${attempts.map(describe).join('; ')}). Serve RFC 8414 metadata at ${list[0]!.url} (or OpenID Connect Discovery at ${list[1]!.url}).`);
  }
  step({
    id: 'authorization-server-metadata',
    ok: found.length === ases.length,
    title: found.length === ases.length ? 'Authorization server metadata found' : found.length ? 'Some authorization servers have no metadata' : 'No authorization server metadata found',
    detail: asLines.join(' '),
    refs: ['RFC 8414 §3.1', 'OpenID Connect Discovery 1.0 §4'],
  });
  if (found.length === 0) {
    skipRest(['issuer-match', 'pkce', 'registration'], 'no authorization server metadata');
    return { report };
  }

  // 5. issuer must equal the identifier the metadata was fetched for.
  const mism = found.filter((f) => f.doc['issuer'] !== f.issuer);
  step({
    id: 'issuer-match',
    ok: mism.length === 0,
    title: mism.length === 0 ? 'Each issuer matches its authorization server' : 'An issuer does not match its authorization server',
    detail: found.map((f) => (f.doc['issuer'] === f.issuer ? `${f.url}: issuer = ${f.issuer}.` : `${f.url}: issuer = ${q(f.doc['issuer'])}, but the resource metadata names ${f.issuer}. Clients must reject metadata whose issuer differs (RFC 8414 §3.3; a mix-up attack defence): make authorization_servers list exactly the issuer, or fix the server's issuer.`)).join(' '),
    refs: ['RFC 8414 §3.3'],
  });

  // 6. PKCE with S256.
  const pkceLines = found.map((f) => {
    const m = f.doc['code_challenge_methods_supported'];
    const list = Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : undefined;
    return { f, ok: !!list?.includes('S256'), text: list === undefined ? `${f.issuer}: no code_challenge_methods_supported; MCP clients must refuse an authorization server that does not advertise PKCE. Add "code_challenge_methods_supported": ["S256"].` : list.includes('S256') ? `${f.issuer}: code_challenge_methods_supported = ${q(list)}.` : `${f.issuer}: code_challenge_methods_supported = ${q(list)}, without S256; MCP clients must use S256. Enable S256 at the authorization server.` };
  });
  step({ id: 'pkce', ok: pkceLines.every((l) => l.ok), title: pkceLines.every((l) => l.ok) ? 'PKCE with S256 is offered' : 'PKCE with S256 is not offered', detail: pkceLines.map((l) => l.text).join(' '), refs: ['RFC 7636 §4.2', 'RFC 8414 §2'] });

  // 7. A way for a client to register.
  const regLines = found.map((f) => {
    const cimd = f.doc['client_id_metadata_document_supported'] === true;
    const dcr = typeof f.doc['registration_endpoint'] === 'string' ? (f.doc['registration_endpoint'] as string) : undefined;
    const ways = [cimd ? 'client ID metadata documents' : '', dcr ? `dynamic client registration at ${dcr} (RFC 7591)` : ''].filter(Boolean);
    return { f, open: ways.length > 0, text: ways.length ? `${f.issuer}: ${ways.join(' and ')}.` : `${f.issuer}: neither client_id_metadata_document_supported nor registration_endpoint, so only clients pre-registered out of band can connect; offer client ID metadata documents or dynamic registration for MCP clients you do not know in advance.` };
  });
  step({ id: 'registration', ok: true, title: regLines.some((l) => l.open) ? 'Clients can register' : 'Only pre-registered clients can connect', detail: regLines.map((l) => l.text).join(' '), refs: ['RFC 7591 §3', 'RFC 8414 §2'] });
  return { report };
}
