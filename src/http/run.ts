// One run over a parsed .http file: picks a block, builds it with the run's variables, sends
// the named requests it references first (`{{login.response.body.$.token}}`), and keeps the
// run's cookie jar and named exchanges. Used by `authlint send` and the extension alike.

import type { Environment, NamedExchange } from './variables';
import { selectEnvironment, type EnvironmentSources } from './environments';
import { blockAtLine, requestBlocks, type FileDiagnosis, type ParsedHttpFile, type RequestBlock } from './http-file';
import { buildRequest } from './request-build';
import { CookieJar, sendRequest, type SendFailureInfo } from './send';
import { say } from './say';
import type { Exchange, SentRequest } from './types';

export interface RunOptions {
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
}

export type BlockResult =
  | { kind: 'invalid'; diagnoses: FileDiagnosis[] }
  | { kind: 'sent'; exchange: Exchange }
  | { kind: 'failed'; request: SentRequest; error: SendFailureInfo };

const MAX_DEPENDENCY_DEPTH = 5;

export function prepareRun(file: ParsedHttpFile, sources: EnvironmentSources, envName: string | undefined, dotenv: Record<string, string> | undefined, options: RunOptions): RunState {
  const state: RunState = { file, environment: selectEnvironment(sources, envName), requests: new Map(), jar: new CookieJar(), secretValues: new Set(), options };
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
  });
  const { baseDir, workspaceRoot, defaultHeaders } = state.options;
  const buildOpts = { baseDir, ...(workspaceRoot ? { workspaceRoot } : {}), ...(defaultHeaders ? { defaultHeaders } : {}) };
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
    }
    built = buildRequest(block, sources(), buildOpts);
  }
  for (const s of built.secretValues) state.secretValues.add(s);
  const prompts = new Set(block.prompts.map((p) => p.name));
  if (!built.request) {
    const diagnoses = built.diagnoses.filter((d) => d.severity === 'error').map((d) => {
      const p = built.variableProblems.find((v) => v.line === d.line && v.message === d.message);
      return p && prompts.has(p.name) ? { ...d, message: `${d.message}; it is a # @prompt variable, which only the editor can ask for` } : d;
    });
    return { kind: 'invalid', diagnoses };
  }
  const userinfo = userinfoOf(built.request.url);
  if (userinfo) {
    const own = built.request.headers.some(([k]) => k.toLowerCase() === 'authorization');
    await note(`${block.requestLine}: note: ${own
      ? `the ${userinfo} in the URL ${userinfo === 'user name' ? 'is' : 'are'} not sent: the request has its own Authorization header, which takes precedence`
      : `the ${userinfo} in the URL ${userinfo === 'user name' ? 'is' : 'are'} sent as Authorization: Basic (as curl does), not in the URL`}`);
  }
  const out = await sendRequest(built.request, {
    secretValues: built.secretValues,
    cookieJar: state.jar,
    ...(state.options.timeoutMs !== undefined ? { timeoutMs: state.options.timeoutMs } : {}),
    ...(state.options.insecure ? { insecure: true } : {}),
    ...(state.options.env ? { env: state.options.env } : {}),
    ...(state.options.signal ? { signal: state.options.signal } : {}),
  });
  if (!out.ok) return { kind: 'failed', request: out.request, error: out.error };
  if (block.name) {
    const ex: NamedExchange = { request: out.exchange.request ?? { method: built.request.method, url: built.request.url, headers: built.request.headers }, response: out.exchange.response };
    state.requests.set(block.name, ex);
  }
  return { kind: 'sent', exchange: out.exchange };
}
