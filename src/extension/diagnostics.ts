// Live diagnostics: lints JS/TS documents on open, on save and (debounced) while typing,
// and clears them on close. The analysis core is loaded on first use, not at activation.
import * as vscode from 'vscode';
import type { Finding, LintResult, LintSettings } from '../analysis/types';
import { RULE_META } from '../analysis/rule-meta';
import { toRange } from './positions';
import { editorSettings, lintSettings } from './settings';
import type { Log } from './output';

export const LINTED_LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
const SCHEMES = ['file', 'untitled', 'vscode-remote'];
const UNTITLED_EXT: Record<string, string> = {
  javascript: '.js', typescript: '.ts', javascriptreact: '.jsx', typescriptreact: '.tsx',
};
const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

type Engine = typeof import('../analysis/lint');
let engine: Engine | undefined;
let engineMs: number | undefined;

/** Loads the parser and rules on first use (keeps activation cheap). */
function loadEngine(log: Log): Engine {
  if (!engine) {
    const t0 = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    engine = require('../analysis/lint') as Engine;
    engineMs = Date.now() - t0;
    log.info(`analysis engine loaded in ${engineMs} ms`);
  }
  return engine;
}

/** How long loading the analysis engine took; undefined until the first lint. */
export function engineLoadMs(): number | undefined {
  return engineMs;
}

export function isLintable(doc: vscode.TextDocument): boolean {
  return LINTED_LANGUAGES.includes(doc.languageId) && SCHEMES.includes(doc.uri.scheme);
}

/** The name the parser sees: the real path, or a made-up one carrying the language's extension. */
function lintFileName(doc: vscode.TextDocument): string {
  return doc.isUntitled ? `untitled${UNTITLED_EXT[doc.languageId] ?? '.ts'}` : doc.fileName;
}

export class Diagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('authlint');
  private readonly state = new Map<string, { version: number; findings: Finding[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {}

  /** Lints `text` as `fileName` with the settings of `scope`. */
  lintText(text: string, fileName: string, settings: LintSettings): LintResult {
    return loadEngine(this.log).lintSource(text, fileName, settings);
  }

  schedule(doc: vscode.TextDocument, delayMs = editorSettings(doc.uri).debounceMs): void {
    if (!isLintable(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!doc.isClosed) this.refresh(doc);
    }, delayMs));
  }

  /** Lints the document now and publishes its diagnostics; returns the findings. */
  refresh(doc: vscode.TextDocument): Finding[] {
    const key = doc.uri.toString();
    let result: LintResult;
    try {
      result = this.lintText(doc.getText(), lintFileName(doc), lintSettings(doc.uri));
    } catch (err) {
      this.log.error(`lint failed for ${vscode.workspace.asRelativePath(doc.uri)}: ${String(err)}`);
      result = { findings: [] };
    }
    if (result.error) this.log.warn(`${vscode.workspace.asRelativePath(doc.uri)}: ${result.error}`);
    if (result.skipped) this.log.info(`${vscode.workspace.asRelativePath(doc.uri)}: ${result.skipped}`);
    this.state.set(key, { version: doc.version, findings: result.findings });
    this.publish(doc.uri, result.findings, (r) => toRange(doc, r));
    return result.findings;
  }

  /** Publishes findings for a file that is not open (Lint Workspace). */
  publish(uri: vscode.Uri, findings: Finding[], range: (r: [number, number]) => vscode.Range): void {
    this.collection.set(uri, findings.map((f) => this.toDiagnostic(uri, f, range)));
  }

  /** The findings of the document's current version (lints again when stale). */
  findings(doc: vscode.TextDocument): Finding[] {
    const s = this.state.get(doc.uri.toString());
    return s && s.version === doc.version ? s.findings : this.refresh(doc);
  }

  /** Forgets stored findings (settings changed): the next use lints again. */
  invalidate(): void {
    this.state.clear();
  }

  /** Clears `uri` and every file below it. */
  clearUnder(uri: vscode.Uri): void {
    const prefix = `${uri.toString()}/`;
    const hit: vscode.Uri[] = [];
    this.collection.forEach((u) => {
      if (u.toString() === uri.toString() || u.toString().startsWith(prefix)) hit.push(u);
    });
    for (const u of hit) this.clear(u);
  }

  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.state.delete(key);
    this.collection.delete(uri);
  }

  docsUri(ruleId: keyof typeof RULE_META): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, RULE_META[ruleId].docsPath);
  }

  private toDiagnostic(uri: vscode.Uri, f: Finding, range: (r: [number, number]) => vscode.Range): vscode.Diagnostic {
    const d = new vscode.Diagnostic(range(f.range), f.message, SEVERITY[f.severity]);
    d.source = 'authlint';
    d.code = { value: f.ruleId, target: this.docsUri(f.ruleId) };
    if (f.related?.length) {
      d.relatedInformation = f.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range(r.range)), r.message),
      );
    }
    return d;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.state.clear();
    this.collection.dispose();
  }
}

/** Wires document events to the diagnostics and lints what is already open. */
export function watchDocuments(diags: Diagnostics): vscode.Disposable {
  for (const doc of vscode.workspace.textDocuments) diags.schedule(doc, 0);
  // Files deleted on disk (e.g. after Lint Workspace) drop their problems; deleting a folder
  // is reported once, for the folder.
  const deleted = vscode.workspace.createFileSystemWatcher('**', true, true, false);
  // authlint.config.json changes the findings of every file below it
  const configs = vscode.workspace.createFileSystemWatcher('**/authlint.config.json');
  const relint = () => {
    diags.invalidate();
    for (const doc of vscode.workspace.textDocuments) diags.schedule(doc, 0);
  };
  return vscode.Disposable.from(
    deleted,
    configs,
    configs.onDidCreate(relint),
    configs.onDidChange(relint),
    configs.onDidDelete(relint),
    deleted.onDidDelete((gone) => diags.clearUnder(gone)),
    vscode.workspace.onDidOpenTextDocument((doc) => diags.schedule(doc, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) diags.schedule(e.document);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => diags.schedule(doc, 0)),
    vscode.workspace.onDidCloseTextDocument((doc) => diags.clear(doc.uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('authlint')) return;
      diags.invalidate();
      for (const doc of vscode.workspace.textDocuments) diags.schedule(doc, 0);
    }),
  );
}
