// A real Language Server Protocol client for the tests: spawns `node dist/cli.js lsp --stdio`
// and talks JSON-RPC over its standard streams (vscode-jsonrpc's Content-Length framing), as an
// editor does. It answers the server's requests (workspace/configuration, progress creation,
// capability registration) and records every publishDiagnostics notification.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repoRoot } from '../support/fixture-files';

export const cliPath = path.join(repoRoot(), 'dist', 'cli.js');

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** A copy of a fixture folder in a fresh temporary folder (tests never touch the repository's files). */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-lsp-'));
  fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

export interface Status {
  packages: number;
  indexedFiles: number;
  ready: boolean;
  provisional: number;
  /** How the server loaded the engine: from V8's code cache ('used'), making one ('made', 'rejected'), or plainly ('off'). */
  engineCodeCache?: 'used' | 'made' | 'rejected' | 'off';
}

export interface ClientOptions {
  /** The `authlint` section answered to workspace/configuration. */
  settings?: unknown;
  /** Where the server keeps V8's compile of the engine; tests leave the user's cache folder alone (false) unless they say. */
  codeCacheDir?: string | false;
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly progress: unknown[] = [];
  private readonly listeners = new Set<() => void>();
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  /** Publications before the last open or change of a document (older ones are not its current diagnostics). */
  private marks = new Map<string, number>();
  stderr = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    private readonly options: ClientOptions,
  ) {}

  static async start(folder: string | undefined, options: ClientOptions = {}): Promise<LspClient> {
    const proc = spawn(process.execPath, [cliPath, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new LspClient(proc, conn, options);
    proc.stderr!.on('data', (d: Buffer) => (c.stderr += d.toString()));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      c.published.push(p);
      for (const l of [...c.listeners]) l();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => c.logs.push(p.message));
    conn.onNotification('$/progress', (p: unknown) => c.progress.push(p));
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => c.options.settings ?? null));
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/showMessageRequest', () => null);
    conn.onNotification('window/showMessage', (p: { message: string }) => c.logs.push(p.message));
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder ? uriOf(folder) : null,
      workspaceFolders: folder ? [{ uri: uriOf(folder), name: path.basename(folder) }] : null,
      initializationOptions: { codeCacheDir: options.codeCacheDir ?? false },
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
      },
    });
    await conn.sendNotification('initialized', {});
    return c;
  }

  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const languageId = /\.[cm]?tsx?$/.test(file) ? 'typescript' : 'javascript';
    return this.openUri(uriOf(file), languageId, text);
  }

  /** Opens a document by URI (an `untitled:` buffer, say) with version 1. */
  openUri(uri: string, languageId: string, text: string): string {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.marks.set(uri, this.published.length);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Replaces the whole text of an open document; returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    this.marks.set(uri, this.published.length);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.texts.get(uri)!;
  }

  version(uri: string): number {
    return this.versions.get(uri)!;
  }

  latest(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i]!.uri === uri) return this.published[i];
    return undefined;
  }

  /** The first publication for `uri` (after `from` publications) that satisfies `ok`. */
  waitFor(uri: string, ok: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 60000, from = 0): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = from; i < this.published.length; i++) {
          const p = this.published[i]!;
          if (p.uri === uri && ok(p)) {
            this.listeners.delete(check);
            clearTimeout(timer);
            resolve(p);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        const tail = this.published.slice(-8).map((p) => `${p.uri.slice(-24)} v${p.version ?? '-'} [${p.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`).join(',')}]`);
        reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms (from publication ${from} of ${this.published.length}: ${tail.join('; ')}); server stderr: ${this.stderr.slice(-2000)}; log: ${this.logs.slice(-5).join(' | ')}`));
      }, timeoutMs);
      if (!check()) this.listeners.add(check);
    });
  }

  /**
   * The final diagnostics for the current version of an open document: a document opened before
   * its package is indexed first gets provisional ones, then these once `authlint/status` says
   * ready (the server publishes them before it answers so).
   */
  async current(uri: string): Promise<Diagnostic[]> {
    const v = this.version(uri);
    const from = this.marks.get(uri) ?? 0;
    await this.waitFor(uri, (p) => p.version === v, 60000, from);
    await this.ready();
    for (let i = this.published.length - 1; i >= from; i--) {
      const p = this.published[i]!;
      if (p.uri === uri && p.version === v) return p.diagnostics;
    }
    throw new Error(`no diagnostics for ${uri} version ${v}`);
  }

  /** Resolves once the index is complete and no open document shows provisional diagnostics. */
  async ready(timeoutMs = 60000): Promise<Status> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.request<Status>('authlint/status', {});
      if (s.ready) return s;
      if (Date.now() > until) throw new Error(`the server is not ready after ${timeoutMs} ms: ${JSON.stringify(s)}; log: ${this.logs.slice(-5).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 3000))]);
      void this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 3000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

/** The text after a WorkspaceEdit's edits for one document. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit): string {
  const edits: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const dc of edit.documentChanges ?? []) if ('textDocument' in dc && dc.textDocument.uri === uri) edits.push(...(dc.edits as TextEdit[]));
  return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 0, text), edits);
}

// ---- the CLI side of the parity comparison ----

export interface CliFinding {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  message: string;
}

export function cliFindings(dir: string): CliFinding[] {
  const r = spawnSync(process.execPath, [cliPath, 'lint', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `authlint lint failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { findings: CliFinding[] }).findings;
}

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) visit(p);
      else if (/\.(ts|js)$/.test(name)) out.push(p);
    }
  };
  visit(dir);
  return out;
}

/** Rule id, 1-based line and column, message: what both sides must agree on. */
export function fromCli(findings: CliFinding[], dir: string, file: string): string[] {
  return findings.filter((f) => path.resolve(dir, f.file) === file).map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`);
}

export function fromLsp(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.source === 'authlint').map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

interface SarifReplacement {
  deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number };
  insertedContent?: { text: string };
}

/** The CLI's preferred fix (SARIF) of the finding of `rule` at `line` of `file`, applied to `text`. */
export function cliPreferredFix(dir: string, rel: string, rule: string, line: number, text: string): string {
  const r = spawnSync(process.execPath, [cliPath, 'lint', rel, '--format', 'sarif'], { cwd: dir, encoding: 'utf8' });
  const sarif = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }>; fixes?: Array<{ artifactChanges: Array<{ replacements: SarifReplacement[] }> }> }> }> };
  const res = sarif.runs[0]!.results.find((x) => x.ruleId === rule && x.locations[0]!.physicalLocation.region.startLine === line);
  assert.ok(res?.fixes?.length, `the CLI has a fix for ${rule} at ${rel}:${line}`);
  const doc = TextDocument.create('file:///x', 'typescript', 0, text);
  const edits = res.fixes[0]!.artifactChanges[0]!.replacements.map((rep) => ({
    range: { start: { line: rep.deletedRegion.startLine - 1, character: rep.deletedRegion.startColumn - 1 }, end: { line: rep.deletedRegion.endLine - 1, character: rep.deletedRegion.endColumn - 1 } },
    newText: rep.insertedContent?.text ?? '',
  }));
  return TextDocument.applyEdits(doc, edits);
}
