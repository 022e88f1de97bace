// One run over a parsed .http file: picks a block, builds it with the run's variables, sends
// the named requests it references first (`{{login.response.body.$.token}}`), and keeps the
// run's cookie jar and named exchanges. Used by `authlint send` and the extension alike.

import type { Environment, NamedExchange } from './variables';
import { selectEnvironment, type EnvironmentSources } from './environments';
import { blockAtLine, requestBlocks, type FileDiagnosis, type ParsedHttpFile, type RequestBlock } from './http-file';
import { buildRequest } from './request-build';
import { CookieJar, sendRequest, type SendFailureInfo } from './send';
import type { Diagnosis, Exchange, SentRequest } from './types';
import { RunAuth, type AuthRunOptions, type EnvDiagnosis } from './oauth/run-auth';
import type { TokenFailure } from './oauth/token';
import { findBearerError } from './bearer-error';
import { buildContext } from './explain-context';
import { say } from './say';

export interface RunOptions extends AuthRunOptions {
  baseDir: string;
  workspaceRoot?: string;
  /** `rest-client.defaultHeaders` (F7). */
  defaultHeaders?: Record<string, string>;
  timeoutMs?: number;
  insecure?: boolean;
  env?: Record<string, string | undefined>;
  prompts?: Record<string, string>;
  /** Aborts the request in flight (the editor's Cancel). */
  signal?: AbortSignal;
}

export interface RunState {
  file: ParsedHttpFile;
  environment: Environment;
  dotenv?: Record<string, string>;
  requests: Map<string, NamedExchange>;
  jar: CookieJar;
  /** Every value substituted from a secret source in this run. */
  secretValues: Set<string>;
  options: RunOptions;
  /** Tokens for {{$auth.token("id")}}. */
  auth: RunAuth;
}

export type BlockResult =
  | { kind: 'invalid'; diagnoses: Array<FileDiagnosis | EnvDiagnosis> }
  | { kind: 'sent'; exchange: Exchange }
  | { kind: 'token-failed'; failure: TokenFailure }
  | { kind: 'failed'; request: SentRequest; error: SendFailureInfo; warnings?: Diagnosis[] };

const MAX_DEPENDENCY_DEPTH = 5;

export function prepareRun(file: ParsedHttpFile, sources: EnvironmentSources, envName: string | undefined, dotenv: Record<string, string> | undefined, options: RunOptions): RunState {
  const environment = selectEnvironment(sources, envName);
  const secretValues = new Set<string>();
  const auth = new RunAuth(options.baseDir, environment, secretValues, options, dotenv ? { dotenv } : {});
  const state: RunState = { file, environment, requests: new Map(), jar: new CookieJar(), secretValues, options, auth };
  if (dotenv) state.dotenv = dotenv;
  return state;
}

/** The block to send: by `# @name`, else around a 1-based line, else the first request. */
export function pickBlock(file: ParsedHttpFile, by: { name?: string; line?: number }): RequestBlock | string {
  const reqs = requestBlocks(file);
  if (by.name !== undefined) {
    const b = reqs.find((r) => r.name === by.name);
    if (b) return b;
    const names = reqs.map((r) => r.name).filter(Boolean);
    return `no request named "${by.name}" (${names.length ? `named requests: ${names.join(', ')}` : 'the file names no request with # @name'})`;
  }
  if (by.line !== undefined) {
    const b = blockAtLine(file, by.line);
    if (!b) return `line ${by.line} is not inside a request block (a ### line or past the end of the file)`;
    if (b.requestLine === undefined) return `the block around line ${by.line} has no request line${b.skipped === 'saved-response' ? ' (it is a saved response)' : ''}`;
    return b;
  }
  return reqs[0] ?? 'the file contains no request';
}

function userinfoOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? 'user name and password' : u.username ? 'user name' : undefined;
  } catch {
    return undefined;
  }
}

export async function sendBlock(state: RunState, block: RequestBlock, note: (text: string) => unknown = () => undefined, depth = 0): Promise<BlockResult> {
  for (const d of block.diagnoses) if (d.severity !== 'error') await note(`${d.line}: note: ${d.message}`);
  if (block.note) await note(`${block.requestLine}: note: ${block.note}`);
  const sources = () => ({
    fileVariables: state.file.fileVariables,
    environment: state.environment,
    requests: state.requests,
    ...(state.dotenv ? { dotenv: state.dotenv } : {}),
    ...(state.options.prompts ? { prompts: state.options.prompts } : {}),
    auth: state.auth.lookup,
  });
  const { baseDir, workspaceRoot, defaultHeaders } = state.options;
  const buildOpts = { baseDir, ...(workspaceRoot ? { workspaceRoot } : {}), ...(defaultHeaders ? { defaultHeaders } : {}) };
  state.auth.used.clear();
  let built = buildRequest(block, sources(), buildOpts);

  // Send the named requests this one reads from, then build again.
  const needed = [...new Set(built.variableProblems.filter((p) => p.kind === 'request-not-sent').map((p) => p.requestName!))];
  const blocks = requestBlocks(state.file);
  if (needed.length > 0 && depth < MAX_DEPENDENCY_DEPTH && needed.every((n) => blocks.some((b) => b.name === n && b !== block))) {
    for (const name of needed) {
      const dep = blocks.find((b) => b.name === name)!;
      await note(`${dep.requestLine}: sending "${name}" first (line ${block.requestLine} uses its response)`);
      const r = await sendBlock(state, dep, note, depth + 1);
      if (r.kind === 'invalid') return r;
      if (r.kind === 'failed') return { ...r, error: { code: r.error.code, message: say`Sending "${name}" first (its response is used by this request) failed: ${r.error.message}` } };
      if (r.kind === 'token-failed') return r;
    }
    state.auth.used.clear();
    built = buildRequest(block, sources(), buildOpts);
  }
  const sendOpts = {
    ...(state.options.timeoutMs !== undefined ? { timeoutMs: state.options.timeoutMs } : {}),
    ...(state.options.insecure ? { insecure: true } : {}),
    ...(state.options.env ? { env: state.options.env } : {}),
    ...(state.options.signal ? { signal: state.options.signal } : {}),
  };
  // {{$auth.token("id")}}: get the tokens (nothing is sent to the resource if that fails), build again.
  if (state.auth.needed.size > 0 && built.variableProblems.every((p) => p.kind !== 'request-not-sent')) {
    const got = await state.auth.acquire(sendOpts);
    for (const n of got.ok || 'failure' in got ? got.notes : []) await note(`${block.requestLine}: note: ${n}`);
    if (!got.ok) return 'invalid' in got ? { kind: 'invalid', diagnoses: got.invalid } : { kind: 'token-failed', failure: got.failure };
    state.auth.used.clear();
    built = buildRequest(block, sources(), buildOpts);
  }
  const usedAuth = [...state.auth.used];
  for (const s of built.secretValues) state.secretValues.add(s);
  const prompts = new Set(block.prompts.map((p) => p.name));
  if (!built.request) {
    const diagnoses = built.diagnoses.filter((d) => d.severity === 'error').map((d) => {
      const p = built.variableProblems.find((v) => v.line === d.line && v.message === d.message);
      if (p && prompts.has(p.name)) return { ...d, message: `${d.message}; it is a # @prompt variable, which only the editor can ask for` };
      if (p?.kind === 'request-not-sent' && p.requestName) {
        if (p.requestName === block.name) {
          return { ...d, message: `line ${d.line} reads the response of this very request ("${block.name}"): it comes after the request's blank line, so it is part of the body (REST Client sends it as body text); put a ### line before it` };
        }
        if (!blocks.some((b) => b.name === p.requestName)) return { ...d, message: noSuchRequest(p.requestName, blocks) };
        return { ...d, message: `${d.message} (it is sent first only when every request this one reads from can be sent; see the other lines)` };
      }
      return d;
    });
    return { kind: 'invalid', diagnoses };
  }
  const warnings: Diagnosis[] = built.variableWarnings.map((w) => ({
    code: 'unknown-system-variable',
    severity: 'warning',
    title: `{{${w.name}}} was sent as typed`,
    detail: `Line ${w.line}: ${w.message}.`,
    refs: [],
  }));
  for (const w of built.variableWarnings) await note(`${w.line}: warning: ${w.message}`);
  const userinfo = userinfoOf(built.request.url);
  if (userinfo) {
    const own = built.request.headers.some(([k]) => k.toLowerCase() === 'authorization');
    await note(`${block.requestLine}: note: ${own
      ? `the ${userinfo} in the URL ${userinfo === 'user name' ? 'is' : 'are'} not sent: the request has its own Authorization header, which takes precedence`
      : `the ${userinfo} in the URL ${userinfo === 'user name' ? 'is' : 'are'} sent as Authorization: Basic (as curl does), not in the URL`}`);
  }
  let spec = built.request;
  let out = await sendRequest(spec, { cookieJar: state.jar, secretValues: built.secretValues, ...sendOpts });
  // A cached token refused with invalid_token (revoked, expired early): refresh once and resend.
  const retried = new Set<string>();
  const cached = usedAuth.filter((id) => state.auth.cachedIds().includes(id));
  if (out.ok && out.exchange.response.status === 401 && cached.length > 0 && findBearerError(buildContext(out.exchange), 'invalid_token')) {
    const again = await state.auth.acquire(sendOpts, cached, true);
    for (const n of again.ok || 'failure' in again ? again.notes : []) await note(`${block.requestLine}: note: ${n}`);
    if (!again.ok) return 'invalid' in again ? { kind: 'invalid', diagnoses: again.invalid } : { kind: 'token-failed', failure: again.failure };
    await note(`${block.requestLine}: note: the cached token for ${cached.map((id) => `"${id}"`).join(', ')} was refused (invalid_token); sent again with a new one`);
    for (const id of cached) retried.add(id);
    built = buildRequest(block, sources(), buildOpts);
    for (const s of built.secretValues) state.secretValues.add(s);
    if (built.request) out = await sendRequest((spec = built.request), { cookieJar: state.jar, secretValues: built.secretValues, ...sendOpts });
  }
  if (!out.ok) return { kind: 'failed', request: out.request, error: out.error, ...(warnings.length ? { warnings } : {}) };
  if (warnings.length) out.exchange.warnings = warnings;
  if (usedAuth.length > 0) out.exchange.auth = state.auth.uses(usedAuth, retried);
  if (block.name) {
    const ex: NamedExchange = { request: out.exchange.request ?? { method: spec.method, url: spec.url, headers: spec.headers }, response: out.exchange.response };
    state.requests.set(block.name, ex);
  }
  return { kind: 'sent', exchange: out.exchange };
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Why `{{name.response...}}` cannot be read when no request of the file has `# @name name`:
 * REST Client only knows requests by `# @name`, not by the `###` title; point at the block
 * whose title (or a differently cased name) looks like the one asked for.
 */
export function noSuchRequest(name: string, blocks: RequestBlock[]): string {
  const want = squash(name);
  const like = blocks.find((b) => b.name !== undefined && squash(b.name) === want)
    ?? blocks.find((b) => b.title !== undefined && squash(b.title) === want)
    ?? blocks.find((b) => b.title !== undefined && want.length >= 3 && squash(b.title).includes(want));
  const hint = like
    ? like.name !== undefined
      ? `; the request at line ${like.requestLine} is named "${like.name}" (names are case-sensitive)`
      : `; the request under "### ${like.title}" (line ${like.requestLine}) looks like it: add \`# @name ${name}\` above it`
    : `; add \`# @name ${name}\` above the request whose response you want`;
  return `no request in this file is named "${name}" (a request is named by a \`# @name\` line, not by its ### title)${hint}`;
}
