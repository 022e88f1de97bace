// Sends a request of a .http file (or an ad-hoc one) through the runner core's run.ts (the
// same path as `authlint send`), explains the answer and returns the report. The runner core
// loads on first use. Secrets never reach the log.
import * as path from 'path';
import * as vscode from 'vscode';
import type { EnvironmentSources } from '../http/environments';
import type { RequestBlock } from '../http/http-file';
import type { RunState } from '../http/run';
import type { Exchange, Report } from '../http/types';
import type { NamedExchange } from '../http/variables';
import type { AuthRunOptions } from '../http/oauth/run-auth';
import type { Log } from './output';
import { runnerSettings } from './settings';

/* eslint-disable @typescript-eslint/no-require-imports */
const http = {
  file: () => require('../http/http-file') as typeof import('../http/http-file'),
  run: () => require('../http/run') as typeof import('../http/run'),
  env: () => require('../http/environments') as typeof import('../http/environments'),
  explain: () => require('../http/explain/index') as typeof import('../http/explain/index'),
  raw: () => require('../http/raw-response') as typeof import('../http/raw-response'),
  redact: () => require('../http/redact') as typeof import('../http/redact'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface RunResult {
  report: Report;
  /** The final exchange (absent when the request failed before any response). */
  exchange?: Exchange;
  /** Values substituted from secret sources: hidden in the view like credentials. */
  secretValues: string[];
}

export class UserError extends Error {}

const MASKED = /^(password|passwd|pass)$/i;
/** `label`: how the request is named in the log and the progress notification. */
type Where = { dir: string; label: string; uri?: vscode.Uri; markdown?: boolean };

/** A request picked and ready: its run state (variables, jar) and block. */
export interface Prepared {
  state: RunState;
  block: RequestBlock;
  label: string;
}

export class RequestRunner {
  /** Kept across sends, as in REST Client: cookies and `# @name`d exchanges. */
  private jar?: RunState['jar'];
  private readonly named = new Map<string, NamedExchange>();

  constructor(private readonly log: Log, private readonly auth: AuthRunOptions = {}) {}

  /** Picks the request around `line` (0-based) of a .http document and asks for its prompts.
   *  Undefined: the user backed out. */
  prepareFromDocument(doc: vscode.TextDocument, line: number): Promise<Prepared | undefined> {
    const dir = doc.isUntitled ? workspaceDir() : path.dirname(doc.fileName);
    const label = `${vscode.workspace.asRelativePath(doc.uri)}:${line + 1}`;
    return this.prepare(doc.getText(), line, { dir, label, uri: doc.uri, markdown: doc.languageId === 'markdown' });
  }

  /** An ad-hoc request, written as a one-request .http text so the same rules apply. */
  prepareAdHoc(method: string, url: string, headers: string[]): Promise<Prepared | undefined> {
    const text = [`${method} ${url}`, ...headers].join('\n') + '\n';
    const label = `${method} ${http.redact().redactUrl(url)}`;
    return this.prepare(text, 0, { dir: workspaceDir(), label, uri: vscode.workspace.workspaceFolders?.[0]?.uri });
  }

  /** Explains a pasted `curl -si` capture, optionally with the raw request that caused it. */
  explainRaw(capture: string, rawRequest?: string): RunResult {
    const raw = http.raw();
    const parsed = raw.parseCapture(Buffer.from(capture, 'utf8'));
    if ('error' in parsed) throw new UserError(parsed.error);
    let request;
    if (rawRequest?.trim()) {
      const r = raw.parseRawRequest(rawRequest);
      if ('error' in r) throw new UserError(r.error);
      request = r;
    }
    const exchange = raw.captureToExchange(parsed, request);
    const report = http.explain().buildReport(exchange);
    this.log.info(`explained a pasted response: ${report.response?.status} → ${codes(report)}`);
    return { report, exchange, secretValues: [] };
  }

  private async prepare(text: string, line: number, where: Where): Promise<Prepared | undefined> {
    const run = http.run();
    const file = http.file().parseHttpFile(text, { markdown: where.markdown ?? false });
    const block = run.pickBlock(file, { line: line + 1 });
    if (typeof block === 'string') throw new UserError(`No request to send: ${block}.`);
    const prompts: Record<string, string> = {};
    for (const p of block.prompts) {
      const value = await vscode.window.showInputBox({ title: `AuthLint: ${p.name}`, prompt: p.description ?? p.name, password: MASKED.test(p.name), ignoreFocusOut: true });
      if (value === undefined) return undefined;
      prompts[p.name] = value;
    }
    if (block.note && (await vscode.window.showWarningMessage(block.note, { modal: true }, 'Send')) !== 'Send') return undefined;

    const settings = runnerSettings(where.uri);
    // Env files are looked for up to the workspace folder, never above it.
    const root = where.uri && vscode.workspace.getWorkspaceFolder(where.uri)?.uri.fsPath;
    const sources = this.environmentSources(where.dir, where.uri, root);
    const envName = settings.environment || undefined;
    const state = run.prepareRun(file, sources, envName, http.env().loadDotenv(where.dir, envName, root), {
      baseDir: where.dir,
      timeoutMs: settings.timeoutMs,
      prompts,
      ...this.auth,
      ...(root ? { workspaceRoot: root } : {}),
      ...(sources.defaultHeaders ? { defaultHeaders: sources.defaultHeaders } : {}),
    });
    state.jar = this.jar ??= state.jar;
    state.requests = this.named;
    return { state, block, label: `${where.label}${envName ? ` (environment ${envName})` : ''}` };
  }

  /** Sends a prepared request (and the named ones it depends on). Undefined: cancelled. */
  async send({ state, block, label }: Prepared, token: vscode.CancellationToken): Promise<RunResult | undefined> {
    this.log.info(`sending ${label}`);
    // Cancel aborts the request in flight and closes its socket; the race answers at once.
    const abort = new AbortController();
    state.options.signal = abort.signal;
    const cancelled = new Promise<undefined>((resolve) =>
      token.onCancellationRequested(() => {
        abort.abort();
        resolve(undefined);
      }),
    );
    const result = await Promise.race([http.run().sendBlock(state, block, (t) => this.log.info(t)), cancelled]);
    const secretValues = [...state.secretValues];
    if (!result) {
      this.log.info('cancelled');
      return undefined;
    }
    if (result.kind === 'invalid') {
      throw new UserError(result.diagnoses.map((d) => `${'file' in d ? `${d.file}:` : 'line '}${d.line}: ${d.message}`).join('\n') || 'This request could not be built.');
    }
    const { buildReport } = http.explain();
    const { redactUrl } = http.redact();
    if (result.kind === 'failed') {
      this.log.warn(`${result.request.method} ${redactUrl(result.request.url)} failed: ${result.error.code}`);
      return { report: buildReport({ request: result.request, error: result.error, ...(result.warnings ? { warnings: result.warnings } : {}) }), secretValues };
    }
    if (result.kind === 'token-failed') {
      this.log.warn(`getting the token for "${result.failure.id}" failed: ${result.failure.oauth?.error ?? result.failure.kind}`);
      return { report: http.explain().tokenFailureReport(result.failure), secretValues };
    }
    const report = buildReport(result.exchange);
    this.log.info(`${report.request.method} ${redactUrl(report.request.url)} → ${report.response?.status} in ${report.response?.elapsedMs} ms; ${codes(report)}`);
    return { report, exchange: result.exchange, secretValues };
  }

  /** Environment files near the .http file, then REST Client's and AuthLint's settings on top. */
  private environmentSources(dir: string, uri: vscode.Uri | undefined, root: string | undefined): EnvironmentSources {
    let sources: EnvironmentSources = {};
    try {
      sources = http.env().loadEnvironmentSources(dir, root);
    } catch (err) {
      this.log.warn(`environment files: ${(err as Error).message}`);
    }
    const rc = vscode.workspace.getConfiguration('rest-client', uri);
    const merged: Record<string, Record<string, unknown>> = { ...(sources.restClient ?? {}), ...(rc.get<Record<string, Record<string, unknown>>>('environmentVariables') ?? {}) };
    for (const [name, vars] of Object.entries(runnerSettings(uri).environments)) merged[name] = { ...(merged[name] ?? {}), ...vars };
    // Only headers the user set (REST Client's own default would send its User-Agent).
    const set = rc.inspect<Record<string, string>>('defaultHeaders');
    const headers = { ...sources.defaultHeaders, ...set?.globalValue, ...set?.workspaceValue, ...set?.workspaceFolderValue };
    return { ...sources, restClient: merged, ...(Object.keys(headers).length ? { defaultHeaders: headers } : {}) };
  }
}

function workspaceDir(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

function codes(report: Report): string {
  return report.diagnosis.length ? report.diagnosis.map((d) => d.code).join(', ') : 'no diagnosis';
}
