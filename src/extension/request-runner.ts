// Sends a request of a .http file (or an ad-hoc one), explains the answer and returns the
// report. The runner core (src/http) loads on first use. Secrets never reach the log.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Exchange, Report } from '../http/types';
import type { NamedExchange, VariableSources } from '../http/variables';
import type { RequestSpec } from '../http/request-build';
import type { Log } from './output';
import { runnerSettings } from './settings';

/* eslint-disable @typescript-eslint/no-require-imports */
const http = {
  file: () => require('../http/http-file') as typeof import('../http/http-file'),
  build: () => require('../http/request-build') as typeof import('../http/request-build'),
  send: () => require('../http/send') as typeof import('../http/send'),
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
  /** Values substituted from secret sources: redacted in the view like credentials. */
  secretValues: string[];
}

export class UserError extends Error {}

const MASKED = /^(password|passwd|pass)$/i;

export class RequestRunner {
  private cookieJar?: InstanceType<ReturnType<typeof http.send>['CookieJar']>;
  private readonly named = new Map<string, NamedExchange>();

  constructor(private readonly log: Log) {}

  /** Sends the request around `line` (0-based) of a .http document. Undefined: cancelled. */
  sendFromDocument(doc: vscode.TextDocument, line: number, token: vscode.CancellationToken): Promise<RunResult | undefined> {
    const dir = doc.isUntitled ? workspaceDir() : path.dirname(doc.fileName);
    return this.sendFromText(doc.getText(), line, { dir, uri: doc.uri, markdown: doc.languageId === 'markdown' }, token);
  }

  /** An ad-hoc request, written as a one-request .http text so the same rules apply. */
  sendAdHoc(method: string, url: string, headers: string[], token: vscode.CancellationToken): Promise<RunResult | undefined> {
    const text = [`${method} ${url}`, ...headers].join('\n') + '\n';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return this.sendFromText(text, 0, { dir: workspaceDir(), uri: folder }, token);
  }

  private async sendFromText(text: string, line: number, where: { dir: string; uri?: vscode.Uri; markdown?: boolean }, token: vscode.CancellationToken): Promise<RunResult | undefined> {
    const { parseHttpFile, blockAtLine } = http.file();
    const parsed = parseHttpFile(text, { markdown: where.markdown ?? false });
    const block = blockAtLine(parsed, line + 1);
    if (!block || block.requestLine === undefined) throw new UserError('No request here: put the cursor inside a request block (METHOD URL …).');
    const prompts: Record<string, string> = {};
    for (const p of block.prompts) {
      const value = await vscode.window.showInputBox({ title: `AuthLint: ${p.name}`, prompt: p.description ?? p.name, password: MASKED.test(p.name), ignoreFocusOut: true });
      if (value === undefined) return undefined;
      prompts[p.name] = value;
    }
    if (block.note) {
      const ok = await vscode.window.showWarningMessage(block.note, { modal: true }, 'Send');
      if (ok !== 'Send') return undefined;
    }
    const sources = this.sources(where.dir, where.uri, parsed.fileVariables, prompts);
    const root = where.uri && vscode.workspace.getWorkspaceFolder(where.uri)?.uri.fsPath;
    const built = http.build().buildRequest(block, sources, { baseDir: where.dir, ...(root ? { workspaceRoot: root } : {}) });
    const errors = built.diagnoses.filter((d) => d.severity === 'error');
    if (!built.request || errors.length) {
      throw new UserError(errors.map((d) => `line ${d.line}: ${d.message}`).join('\n') || 'This request could not be built.');
    }
    return this.send(built.request, [...built.secretValues], token, where.uri);
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

  private sources(dir: string, uri: vscode.Uri | undefined, fileVariables: VariableSources['fileVariables'], prompts: Record<string, string>): VariableSources {
    const env = http.env();
    const settings = runnerSettings(uri);
    let fromFiles: ReturnType<typeof env.loadEnvironmentSources> = { files: [] };
    try {
      fromFiles = env.loadEnvironmentSources(dir);
    } catch (err) {
      this.log.warn(`environment files: ${(err as Error).message}`);
    }
    // REST Client's environments from the configuration (all scopes), then ours on top.
    const restClient = vscode.workspace.getConfiguration('rest-client', uri).get<Record<string, Record<string, unknown>>>('environmentVariables') ?? {};
    const merged: Record<string, Record<string, unknown>> = { ...restClient };
    for (const [name, vars] of Object.entries(settings.environments)) merged[name] = { ...(merged[name] ?? {}), ...vars };
    const environment = env.selectEnvironment({ ...fromFiles, restClient: merged }, settings.environment || undefined);
    return {
      fileVariables,
      environment,
      requests: this.named,
      prompts,
      processEnv: process.env,
      dotenv: env.loadDotenv(dir, environment.name),
    };
  }

  private async send(spec: RequestSpec, secretValues: string[], token: vscode.CancellationToken, uri: vscode.Uri | undefined): Promise<RunResult | undefined> {
    const send = http.send();
    const { redactUrl } = http.redact();
    this.cookieJar ??= new send.CookieJar();
    const settings = runnerSettings(uri);
    const target = `${spec.method} ${redactUrl(spec.url)}`;
    this.log.info(`sending ${target}`);
    // send.ts takes no abort signal: a cancel stops waiting, and the socket ends at its timeout.
    const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
    const outcome = await Promise.race([send.sendRequest(spec, { timeoutMs: settings.timeoutMs, cookieJar: this.cookieJar }), cancelled]);
    if (!outcome) {
      this.log.info(`cancelled ${target}`);
      return undefined;
    }
    const { buildReport } = http.explain();
    if (!outcome.ok) {
      this.log.warn(`${target} failed: ${outcome.error.code}`);
      return { report: buildReport({ request: outcome.request, error: outcome.error }), secretValues };
    }
    const report = buildReport(outcome.exchange);
    if (spec.name && outcome.exchange.request) {
      this.named.set(spec.name, { request: outcome.exchange.request, response: outcome.exchange.response });
    }
    this.log.info(`${target} → ${report.response?.status} in ${report.response?.elapsedMs} ms; ${codes(report)}`);
    return { report, exchange: outcome.exchange, secretValues };
  }
}

function workspaceDir(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

function codes(report: Report): string {
  return report.diagnosis.length ? report.diagnosis.map((d) => d.code).join(', ') : 'no diagnosis';
}
