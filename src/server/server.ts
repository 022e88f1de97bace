// The AuthLint language server: diagnostics for JavaScript and TypeScript documents with the
// facts of each file's whole package (the same findings as `authlint lint` on the folder), code
// actions, and the custom requests `authlint/lintWorkspace` and `authlint/status`. It never
// writes files; it reads the workspace folders (and the package.json / authlint.config.json of
// the package a file belongs to, as the CLI does).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DiagnosticSeverity,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  WatchKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isSourceFile } from '../analysis/paths';
import type { Finding, LintResult, LintSettings } from '../analysis/types';
import { ConfigError, findConfigFile, loadConfigFile, toLintSettings, type LoadedConfig } from '../config/config';
import { analysed, collectWhileIdle, enableIdleCollection } from './idle-gc';
import { analyzeFile, findingsWith, forgetPackages, packageFacts, packageOf, engineCodeCacheState, saveEngineCodeCache, sharedFactsOf, useEngineCodeCache, warmEngine, type Analysis } from '../cli/engine';
import { defaultCodeCacheDir } from '../cli/code-cache';
import { readSource } from '../cli/read-source';
import { walkFiles } from '../cli/walk';
import { FIX_ALL_KIND, fixAll, quickFixes, ruleOf, rulePage, wants } from './actions';
import { ProjectIndex } from './project-index';
import { DEFAULT_MAX_FILE_SIZE, parseClientSettings, type ClientSettings } from './settings';

export const LINT_WORKSPACE_REQUEST = 'authlint/lintWorkspace';
export const STATUS_REQUEST = 'authlint/status';

const LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);
/** How long the background index works before it lets other messages through. */
const SLICE_MS = 15;
/**
 * The index (the walk of the folders included) starts this long after the engine is loaded: the
 * documents an editor opens at start-up, sent right after `initialized` and waiting while the
 * engine loads, are linted first (provisionally), not after the walk and the first files of the
 * index.
 */
const START_GRACE_MS = 100;
/** A debounce at least this long leaves time for a young-generation collection (idle-gc.ts, about 10 ms). */
const MIN_IDLE_FOR_GC_MS = 50;

interface Published {
  /** The document version the findings are for (undefined: the file on disk). */
  version: number | undefined;
  /** The text the findings are for (open documents only): a document closed and opened again with the same version is linted again. */
  text?: string;
  /** The findings of an open document (for its code actions); none kept for closed files. */
  findings: Finding[];
  /** The last diagnostics of a text that parsed. */
  good: Diagnostic[];
}

type ReadText = { text: string; version: number | undefined; open: boolean } | { problem: string } | undefined;

/** What `authlint/lintWorkspace` answers. */
export interface LintWorkspaceResult {
  /** Files linted (and published). */
  files: number;
  /** Files of the workspace (what a run that is not cancelled lints). */
  total: number;
  findings: number;
  /** True when the request was cancelled ($/cancelRequest): it stopped between two files. */
  cancelled: boolean;
}

const EXTENSION_OF_LANGUAGE: Record<string, string> = { javascript: '.js', typescript: '.ts', javascriptreact: '.jsx', typescriptreact: '.tsx' };

/**
 * The name the engine gets for a document that is not a file (an `untitled:` buffer, a virtual
 * file system): its last path segment when that names a source file, else the segment (or
 * "untitled") with the extension of its language. Undefined when it is not JavaScript/TypeScript.
 */
export function virtualNameOf(uri: string, languageId: string): string | undefined {
  let path = '';
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    path = '';
  }
  const base = (path.split(/[\\/]/).pop() ?? '').replace(/[^\w.@+-]/g, '_').slice(-100);
  if (isSourceFile(base)) return base;
  const ext = EXTENSION_OF_LANGUAGE[languageId];
  if (!ext) return undefined;
  return (base.replace(/^[.]+/, '') || 'untitled') + ext;
}

function fileOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function isInside(file: string, folder: string): boolean {
  const rel = relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function startServer(connection: Connection): void {
  enableIdleCollection();
  const documents = new TextDocuments(TextDocument);
  const uriOfFile = new Map<string, string>();
  const results = new Map<string, Published>();
  /** Closed files whose diagnostics are shown (lintWorkspace): kept up to date, cleared on delete. */
  const closedShown = new Set<string>();
  /**
   * Open documents whose last diagnostics are provisional: linted before the index of their
   * package was complete (the file's own facts and those indexed so far). They are linted
   * again, and published again, as soon as their package is indexed.
   */
  const provisional = new Set<string>();
  /** Open documents that had diagnostics with their whole package's facts since they were opened. */
  const hadFull = new Set<string>();
  const settingsCache = new Map<string, Promise<ClientSettings>>();
  const debounce = new Map<string, NodeJS.Timeout>();
  const configProblems = new Set<string>();
  let folders: string[] = [];
  let pulledConfiguration = false;
  let watchDynamically = false;
  let configDynamically = false;
  let progressSupported = false;
  let workspaceFolderEvents = false;
  let pushedSettings: unknown = undefined;
  let configs = new Map<string, LoadedConfig>();

  const textOfFile = (file: string): string | undefined => {
    const r = readText(file);
    return r && 'text' in r ? r.text : undefined;
  };
  const index = new ProjectIndex(textOfFile);

  // ---- the background index: files to read, by package ----
  let generation = 0;
  let walked = false;
  /** Files of the workspace (walk order, config ignores applied). */
  let workspaceFiles: string[] = [];
  const remaining = new Map<string, string[]>();
  const urgent = new Set<string>();
  let progress: WorkDoneProgressServerReporter | undefined;
  let total = 0;
  let done = 0;
  let readyWaiters: Array<() => void> = [];
  /** The first index, started once the engine is loaded (see START_GRACE_MS). */
  let firstIndex: NodeJS.Timeout | undefined;

  const log = (m: string) => connection.console.log(m);
  const logError = (m: string) => connection.console.error(m);

  function uriOf(file: string): string {
    return uriOfFile.get(file) ?? pathToFileURL(file).href;
  }

  function folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const f of folders) if (isInside(file, f) && (!best || f.length > best.length)) best = f;
    return best;
  }

  /** The authlint.config.json of a file: the nearest up to its package root (as the CLI finds it), read once. */
  function configOf(file: string): LoadedConfig | undefined {
    const folder = folderOf(file);
    if (!folder) return undefined;
    try {
      const found = findConfigFile(file, folder);
      if (!found) return undefined;
      let c = configs.get(found);
      if (!c) configs.set(found, (c = loadConfigFile(found)));
      return c;
    } catch (err) {
      const message = err instanceof ConfigError ? `invalid configuration ${err.message}` : (err as Error).message;
      if (!configProblems.has(message)) {
        configProblems.add(message);
        logError(`AuthLint: ${message}; the file is ignored until it is fixed`);
        void connection.window.showWarningMessage(`AuthLint: ${message}. The file is ignored until it is fixed.`);
      }
      return undefined;
    }
  }

  function ignored(file: string): boolean {
    return configOf(file)?.ignores(file) ?? false;
  }

  /** The text of a file: an open document's buffer, else the file on disk (inside the workspace folders only). */
  function readText(file: string): ReadText {
    const doc = documents.get(uriOf(file));
    if (doc) return { text: doc.getText(), version: doc.version, open: true };
    if (!folderOf(file)) return undefined;
    const r = readSource(file);
    if ('text' in r) return { text: r.text.charCodeAt(0) === 0xfeff ? r.text.slice(1) : r.text, version: undefined, open: false };
    return { problem: 'skipped' in r ? r.skipped : r.unreadable };
  }

  async function clientSettings(uri: string): Promise<ClientSettings> {
    if (!pulledConfiguration) return parseClientSettings(pushedSettings);
    let p = settingsCache.get(uri);
    if (!p) {
      p = connection.workspace.getConfiguration({ scopeUri: uri, section: 'authlint' }).then(parseClientSettings, () => parseClientSettings(undefined));
      settingsCache.set(uri, p);
    }
    return p;
  }

  async function lintSettingsOf(file: string, uri: string): Promise<{ settings: LintSettings; client: ClientSettings }> {
    const client = await clientSettings(uri);
    const settings = toLintSettings(configOf(file)?.config, client.overrides);
    settings.maxFileSize ??= DEFAULT_MAX_FILE_SIZE;
    return { settings, client };
  }

  /** Every analysis the server makes: its garbage is collected at the next idle moment (idle-gc.ts). */
  function analyse(text: string, file: string, settings: LintSettings): Analysis {
    const a = analyzeFile(text, file, settings);
    analysed();
    return a;
  }

  // ---- indexing ----
  function startIndexing(): void {
    if (firstIndex) clearTimeout(firstIndex);
    firstIndex = undefined;
    generation++;
    const gen = generation;
    walked = false;
    remaining.clear();
    forgetPackages();
    index.clear();
    configs = new Map();
    const seen = new Set<string>();
    const files: string[] = [];
    for (const folder of folders) {
      try {
        const w = walkFiles(folder, true, seen);
        for (const p of w.errors) log(`AuthLint: ${p.file}: ${p.message}`);
        for (const f of w.files) if (!ignored(resolve(f))) files.push(resolve(f));
      } catch (err) {
        logError(`AuthLint: cannot walk ${folder}: ${(err as Error).message}`);
      }
    }
    workspaceFiles = files;
    for (const f of files) {
      index.reserve(f);
      const root = packageOf(f).root;
      const list = remaining.get(root);
      if (list) list.push(f);
      else remaining.set(root, [f]);
    }
    walked = true;
    total = files.length;
    done = 0;
    void (async () => {
      progress?.done();
      progress = undefined;
      if (progressSupported && files.length > 0) {
        try {
          const p = await connection.window.createWorkDoneProgress();
          p.begin('AuthLint: indexing', 0, `${files.length} files`, false);
          if (gen !== generation || indexReady()) return p.done();
          progress = p;
        } catch {
          progress = undefined;
        }
      }
    })();
    for (const uri of [...documents.keys(), ...closedShown]) queueLint(uri);
    pump();
  }

  function packageReady(file: string | undefined): boolean {
    if (!file || !folderOf(file)) return true;
    if (!walked) return false;
    const root = packageOf(file).root;
    return (remaining.get(root)?.length ?? 0) === 0;
  }

  function indexReady(): boolean {
    return walked && remaining.size === 0;
  }

  function indexOne(): void {
    let root: string | undefined;
    for (const r of urgent) if (remaining.has(r)) root = r;
    root ??= remaining.keys().next().value;
    if (root === undefined) return;
    const list = remaining.get(root)!;
    const file = list.shift()!;
    if (list.length === 0) packageIndexed(root);
    done++;
    const r = readText(file);
    try {
      if (r && 'text' in r) {
        const settings = toLintSettings(configOf(file)?.config);
        index.update(file, analyse(r.text, file, settings), r.open);
      } else if (r) log(`AuthLint: ${file}: ${r.problem}`);
    } catch (err) {
      logError(`AuthLint: internal error while indexing ${file}: ${(err as Error)?.stack ?? err}`);
    }
    finishedOne();
  }

  /** The last file of a package is being indexed: its provisionally linted documents go again (first). */
  function packageIndexed(root: string): void {
    remaining.delete(root);
    urgent.delete(root);
    for (const uri of provisional) {
      const f = fileOf(uri);
      if (f && packageOf(f).root === root) lintQueue.add(uri);
    }
  }

  /** A file linted (provisionally) from an open buffer is in the index already: not read again. */
  function indexedFromBuffer(file: string): void {
    const root = packageOf(file).root;
    const list = remaining.get(root);
    const i = list?.indexOf(file) ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    done++;
    if (list.length === 0) packageIndexed(root);
    finishedOne();
  }

  function finishedOne(): void {
    if (remaining.size === 0) {
      progress?.done();
      progress = undefined;
      log(`AuthLint: indexed ${index.fileCount()} files in ${index.packageCount()} packages`);
      const waiters = readyWaiters;
      readyWaiters = [];
      waiters.forEach((w) => w());
    } else if (progress && done % 25 === 0) progress.report(Math.floor((done / Math.max(1, total)) * 100), `${done}/${total} files`);
  }

  function whenIndexed(): Promise<void> {
    if (indexReady()) return Promise.resolve();
    return new Promise((ok) => readyWaiters.push(ok));
  }

  // ---- the work queue: lint jobs first (when their package is indexed), then the index ----
  const lintQueue = new Set<string>();
  let pumping = false;

  function queueLint(uri: string): void {
    lintQueue.add(uri);
    const file = fileOf(uri);
    if (file && folderOf(file)) urgent.add(packageOf(file).root);
    pump();
  }

  /** An open document not linted with its whole package since it was opened: provisional diagnostics now, not silence. */
  function wantsProvisional(uri: string): boolean {
    return documents.get(uri) !== undefined && !hadFull.has(uri);
  }

  function pump(): void {
    if (pumping) return;
    pumping = true;
    setImmediate(() => void step());
  }

  async function step(): Promise<void> {
    try {
      const t0 = Date.now();
      const order = [...lintQueue].sort((a, b) => Number(!documents.get(a)) - Number(!documents.get(b)));
      for (const uri of order) {
        const file = fileOf(uri);
        const early = file !== undefined && !packageReady(file);
        if (early && !wantsProvisional(uri)) continue;
        lintQueue.delete(uri);
        await lintUri(uri, early);
        pumping = false;
        return pump();
      }
      while (remaining.size > 0 && Date.now() - t0 < SLICE_MS) {
        indexOne();
        // a document waiting for a package that is now complete goes first
        if ([...lintQueue].some((u) => packageReady(fileOf(u)))) break;
      }
    } catch (err) {
      logError(`AuthLint: internal error: ${(err as Error)?.stack ?? err}`);
    }
    pumping = false;
    if (lintQueue.size > 0 || remaining.size > 0) {
      if (remaining.size > 0 || [...lintQueue].some((u) => packageReady(fileOf(u)))) pump();
    }
  }

  // ---- linting one file ----
  function toDiagnostics(doc: TextDocument, findings: readonly Finding[]): Diagnostic[] {
    return findings.map((f) => {
      const d: Diagnostic = {
        range: { start: doc.positionAt(f.range[0]), end: doc.positionAt(f.range[1]) },
        severity: SEVERITY[f.severity],
        source: 'authlint',
        code: f.ruleId,
        codeDescription: { href: rulePage(f.ruleId) },
        message: f.message,
        data: { ruleId: f.ruleId },
      };
      if (f.related?.length) d.relatedInformation = f.related.map((r) => ({ location: { uri: doc.uri, range: { start: doc.positionAt(r.range[0]), end: doc.positionAt(r.range[1]) } }, message: r.message }));
      return d;
    });
  }

  function problemDiagnostic(doc: TextDocument, code: string, message: string, severity: DiagnosticSeverity): Diagnostic {
    // "12:5: message": put it where the parser says
    const m = /^(\d+):(\d+): /.exec(message);
    const line = m ? Math.max(0, Number(m[1]) - 1) : 0;
    const character = m ? Math.max(0, Number(m[2]) - 1) : 0;
    const start = doc.positionAt(doc.offsetAt({ line, character }));
    return { range: { start, end: start }, severity, source: 'authlint', code, message: `AuthLint: ${message}` };
  }

  function publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    void connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }

  /**
   * Lints the document or file of `uri` now (buffer or disk) and publishes; the number of
   * findings. `early`: its package is not indexed yet, so the diagnostics are provisional (the
   * file's own facts and those of the package indexed so far); it is linted again once the
   * package is indexed.
   */
  async function lintUri(uri: string, early = false): Promise<number> {
    try {
      return fileOf(uri) ? await lintFile(uri, early) : await lintVirtual(uri);
    } finally {
      if (!early) provisional.delete(uri);
    }
  }

  /** A document that is not a file (`untitled:`, a virtual file system): linted alone, no package, no configuration file. */
  async function lintVirtual(uri: string): Promise<number> {
    const open = documents.get(uri);
    const name = open && virtualNameOf(uri, open.languageId);
    if (!open || !name) return 0;
    const client = await clientSettings(uri);
    const doc = documents.get(uri);
    if (!doc) return 0; // closed meanwhile
    const settings = toLintSettings(undefined, client.overrides);
    settings.maxFileSize ??= DEFAULT_MAX_FILE_SIZE;
    const text = doc.getText();
    let result: LintResult;
    try {
      const a = analyse(text, name, settings);
      result = findingsWith(a, settings, packageFacts([sharedFactsOf(a)], { root: '' }));
    } catch (err) {
      logError(`AuthLint: internal error while linting ${uri}: ${(err as Error)?.stack ?? err}`);
      return 0;
    }
    return record(uri, doc, { version: doc.version, text, open: true }, result, name);
  }

  async function lintFile(uri: string, early: boolean): Promise<number> {
    const file = fileOf(uri)!;
    const open = documents.get(uri);
    if (open && !LANGUAGES.has(open.languageId) && !isSourceFile(file)) return 0;
    if (!open && !isSourceFile(file)) return 0;
    const inWorkspace = folderOf(file) !== undefined;
    const { settings } = await lintSettingsOf(file, uri);
    if (inWorkspace && ignored(file)) {
      results.delete(uri);
      publish(uri, open?.version, []);
      return 0;
    }
    const r = readText(file);
    if (!r) return 0;
    if ('problem' in r) {
      const doc = TextDocument.create(uri, 'javascript', 0, '');
      publish(uri, undefined, [problemDiagnostic(doc, 'skipped', r.problem, DiagnosticSeverity.Information)]);
      return 0;
    }
    const doc = documents.get(uri) ?? TextDocument.create(uri, 'javascript', 0, r.text);
    if (documents.get(uri) && documents.get(uri)!.version !== r.version) return 0; // superseded
    let a: Analysis;
    let result: LintResult;
    let changed = false;
    let provisionalRun = early && r.open;
    try {
      a = analyse(r.text, file, settings);
      if (inWorkspace) {
        const inIndex = index.has(file);
        if (inIndex) changed = index.update(file, a, r.open);
        if (provisionalRun && inIndex) {
          // its facts are in the index now: the background index does not read it again; when
          // it was the last file of its package, these findings are the package's (final)
          indexedFromBuffer(file);
          provisionalRun = !packageReady(file);
        }
        result = findingsWith(a, settings, index.projectFor(file, a));
      } else result = findingsWith(a, settings, packageFacts([sharedFactsOf(a)], { root: '' }));
    } catch (err) {
      logError(`AuthLint: internal error while linting ${file}: ${(err as Error)?.stack ?? err}`);
      return 0;
    }
    const n = record(uri, doc, r, result, file);
    // the engine's compile is complete enough to keep once it has analysed an open file
    if (r.open) setTimeout(saveEngineCodeCache, 0);
    if (provisionalRun) provisional.add(uri);
    else {
      if (early) {
        // final after all: the re-lint its package's completion queued is not needed
        provisional.delete(uri);
        lintQueue.delete(uri);
      }
      if (r.open) hadFull.add(uri);
      if (changed) relintPackageOf(file, uri);
    }
    return n;
  }

  /** Publishes the diagnostics of a lint result and keeps what code actions need. */
  function record(uri: string, doc: TextDocument, r: { version: number | undefined; text: string; open: boolean }, result: LintResult, name: string): number {
    const prev = results.get(uri);
    let diagnostics: Diagnostic[];
    if (result.error !== undefined && !result.findings.length) {
      // a file that does not parse keeps its last good diagnostics, plus one saying why
      const good = prev?.good ?? [];
      diagnostics = [...good, problemDiagnostic(doc, 'parse-error', result.error, DiagnosticSeverity.Warning)];
      results.set(uri, { version: r.version, text: r.open ? r.text : undefined, findings: [], good: r.open ? good : [] });
      if (result.error.startsWith('internal error')) logError(`AuthLint: ${name}: ${result.error}`);
    } else if (result.skipped !== undefined) {
      diagnostics = [problemDiagnostic(doc, 'skipped', result.skipped, DiagnosticSeverity.Information)];
      results.set(uri, { version: r.version, text: r.open ? r.text : undefined, findings: [], good: [] });
      log(`AuthLint: ${name}: ${result.skipped}`);
    } else {
      diagnostics = toDiagnostics(doc, result.findings);
      if (result.error) logError(`AuthLint: ${name}: ${result.error}`);
      // closed files keep nothing but the fact that they are shown (memory stays bounded)
      results.set(uri, r.open ? { version: r.version, text: r.text, findings: result.findings, good: diagnostics } : { version: undefined, findings: [], good: [] });
    }
    publish(uri, r.version, diagnostics);
    return result.findings.length;
  }

  /** A file's shared facts changed: the open (and shown) files of its package are linted again. */
  function relintPackageOf(file: string, except?: string): void {
    relintPackage(packageOf(file).root, except);
  }

  function relintPackage(root: string, except?: string): void {
    for (const uri of [...documents.keys(), ...closedShown]) {
      const f = fileOf(uri);
      if (uri !== except && f && folderOf(f) && packageOf(f).root === root) queueLint(uri);
    }
  }

  function scheduleLint(uri: string, delay: number): void {
    const t = debounce.get(uri);
    if (t) clearTimeout(t);
    if (delay <= 0) {
      debounce.delete(uri);
      queueLint(uri);
      return;
    }
    debounce.set(
      uri,
      setTimeout(() => {
        debounce.delete(uri);
        queueLint(uri);
      }, delay),
    );
  }

  /** Findings of an open document for its current text (linted now when the last run is older). */
  async function currentFindings(doc: TextDocument, token: CancellationToken): Promise<Finding[] | undefined> {
    // the findings of this very text: a document closed and opened again may have the same version
    const fresh = (r: Published | undefined) => r !== undefined && r.version === doc.version && r.text === doc.getText();
    const r = results.get(doc.uri);
    if (fresh(r)) return r!.findings;
    const file = fileOf(doc.uri);
    let early = false;
    if (file && folderOf(file)) {
      urgent.add(packageOf(file).root);
      // a document without diagnostics for its package yet gets provisional ones (as published)
      early = !packageReady(file) && wantsProvisional(doc.uri);
      while (!early && !packageReady(file)) {
        if (token.isCancellationRequested) return undefined;
        pump();
        await new Promise((ok) => setTimeout(ok, 10));
      }
    }
    const t = debounce.get(doc.uri);
    if (t) clearTimeout(t);
    debounce.delete(doc.uri);
    lintQueue.delete(doc.uri);
    await lintUri(doc.uri, early);
    const now = results.get(doc.uri);
    return fresh(now) ? now!.findings : undefined;
  }

  // ---- protocol ----
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pulledConfiguration = !!caps.workspace?.configuration;
    watchDynamically = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    configDynamically = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    progressSupported = !!caps.window?.workDoneProgress;
    workspaceFolderEvents = !!caps.workspace?.workspaceFolders;
    const list = params.workspaceFolders?.length ? params.workspaceFolders.map((f) => f.uri) : params.rootUri ? [params.rootUri] : [];
    folders = list.map(fileOf).filter((f): f is string => f !== undefined);
    // V8's compile of the engine kept between starts (code-cache.ts): the editor's storage when
    // the client names one, else the user's cache folder; `false` turns it off
    const opts = (params.initializationOptions ?? {}) as { codeCacheDir?: string | false };
    if (opts.codeCacheDir !== false) useEngineCodeCache(typeof opts.codeCacheDir === 'string' && opts.codeCacheDir ? opts.codeCacheDir : defaultCodeCacheDir());
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'authlint' },
    };
  });

  connection.onInitialized(() => {
    // load the engine while the editor opens its files, not when the first one arrives; then
    // give the files it opened meanwhile (queued while the engine loaded) their turn, and index
    setImmediate(() => {
      try {
        warmEngine();
      } catch (err) {
        logError(`AuthLint: could not load the analysis engine: ${(err as Error)?.message ?? err}`);
      }
      if (!walked && generation === 0) firstIndex = setTimeout(() => startIndexing(), START_GRACE_MS);
    });
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}' },
          { globPattern: '**/package.json' },
          { globPattern: '**/authlint.config.json' },
          { globPattern: '**/.gitignore' },
          // a deleted folder is reported as itself, not as the files it held
          { globPattern: '**/*', kind: WatchKind.Delete },
        ],
      });
    }
    if (configDynamically) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'authlint' });
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => fileOf(f.uri)));
        folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => fileOf(f.uri)).filter((f): f is string => f !== undefined)];
        startIndexing();
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const s = (change.settings as { authlint?: unknown } | undefined)?.authlint;
    if (s !== undefined) pushedSettings = s;
    settingsCache.clear();
    for (const uri of [...documents.keys(), ...closedShown]) queueLint(uri);
  });

  connection.onDidChangeWatchedFiles((params) => {
    let rebuild = false;
    let rewalk = false;
    const touched = new Set<string>();
    const deleted = new Set<string>();
    for (const c of params.changes) {
      const file = fileOf(c.uri);
      if (!file || !folderOf(file)) continue;
      // any deleted path may be a folder (the event names the folder, not the files it held)
      if (c.type === FileChangeType.Deleted) deleted.add(file);
      const base = file.slice(file.lastIndexOf('/') + 1).slice(file.lastIndexOf('\\') + 1);
      if (base === 'package.json') rebuild = true;
      else if (base === 'authlint.config.json' || base === '.gitignore') {
        configProblems.clear();
        rebuild = true;
      } else if (isSourceFile(file)) {
        if (c.type === FileChangeType.Changed) touched.add(file);
        else rewalk = true;
        if (c.type === FileChangeType.Deleted) {
          const uri = uriOf(file);
          if (closedShown.delete(uri) || results.has(uri)) {
            results.delete(uri);
            if (!documents.get(uri)) publish(uri, undefined, []);
          }
        }
      }
    }
    if (rebuild) return startIndexing();
    if (deleted.size > 0) dropDeleted(deleted);
    if (rewalk) rewalkFolders();
    for (const file of touched) {
      const uri = uriOf(file);
      if (documents.get(uri)) continue; // the buffer is what counts
      if (closedShown.has(uri)) queueLint(uri);
      else if (index.has(file)) reindex(file);
    }
    pump();
  });

  /**
   * Deleted paths (files or folders): every indexed or shown file at or under one leaves the
   * index, a closed one's diagnostics are cleared, and the open files of the packages they were
   * in are linted again. An open document stays (its buffer is what counts).
   */
  function dropDeleted(deleted: Set<string>): void {
    const under = (file: string): boolean => {
      for (let d = file; ; ) {
        if (deleted.has(d)) return true;
        const up = dirname(d);
        if (up === d) return false;
        d = up;
      }
    };
    const gone = new Set<string>();
    for (const f of workspaceFiles) if (under(f)) gone.add(f);
    for (const uri of [...closedShown, ...results.keys()]) {
      const f = fileOf(uri);
      if (f && under(f)) gone.add(f);
    }
    if (gone.size === 0) return;
    workspaceFiles = workspaceFiles.filter((f) => !gone.has(f));
    const wasReady = indexReady();
    const roots = new Set<string>();
    for (const f of gone) {
      const root = packageOf(f).root;
      roots.add(root);
      index.remove(f);
      const list = remaining.get(root);
      const i = list?.indexOf(f) ?? -1;
      if (list && i >= 0) {
        list.splice(i, 1);
        total--;
        if (list.length === 0) packageIndexed(root);
      }
      const uri = uriOf(f);
      if (documents.get(uri)) continue;
      lintQueue.delete(uri);
      const shown = closedShown.delete(uri);
      if (results.delete(uri) || shown) publish(uri, undefined, []);
    }
    if (!wasReady && indexReady()) finishedOne();
    for (const root of roots) relintPackage(root);
  }

  /** Files created, deleted or renamed: the walk again (cheap: no parse), and the difference. */
  function rewalkFolders(): void {
    const seen = new Set<string>();
    const now: string[] = [];
    for (const folder of folders) {
      try {
        for (const f of walkFiles(folder, true, seen).files) if (!ignored(resolve(f))) now.push(resolve(f));
      } catch {
        /* the folder is gone */
      }
    }
    const before = new Set(workspaceFiles);
    const after = new Set(now);
    workspaceFiles = now;
    for (const f of before) {
      if (after.has(f)) continue;
      if (index.remove(f)) relintPackageOf(f);
    }
    for (const f of now) {
      if (before.has(f)) continue;
      index.reserve(f);
      reindex(f);
    }
  }

  function reindex(file: string): void {
    const r = readText(file);
    try {
      const a: Analysis = r && 'text' in r ? analyse(r.text, file, toLintSettings(configOf(file)?.config)) : { skipped: r?.problem ?? 'unreadable' };
      if (index.update(file, a, false)) relintPackageOf(file);
    } catch (err) {
      logError(`AuthLint: internal error while indexing ${file}: ${(err as Error)?.stack ?? err}`);
    }
  }

  const openedAt = new Map<string, number>();
  documents.onDidOpen((e) => {
    openedAt.set(e.document.uri, e.document.version);
    const file = fileOf(e.document.uri);
    if (file) uriOfFile.set(file, e.document.uri);
    closedShown.delete(e.document.uri);
    scheduleLint(e.document.uri, 0);
  });

  documents.onDidChangeContent((e) => {
    if (openedAt.get(e.document.uri) === e.document.version) return; // the open event lints it
    void clientSettings(e.document.uri).then((s) => {
      scheduleLint(e.document.uri, s.debounceMs);
      // the debounce is idle time: the last analysis's garbage is collected now, not during the next
      if (s.debounceMs >= MIN_IDLE_FOR_GC_MS) collectWhileIdle();
    });
  });

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const t = debounce.get(uri);
    if (t) clearTimeout(t);
    debounce.delete(uri);
    settingsCache.delete(uri);
    openedAt.delete(uri);
    provisional.delete(uri);
    hadFull.delete(uri);
    // what was computed for the buffer goes with it (a reopened document may reuse its version)
    results.delete(uri);
    const file = fileOf(uri);
    if (file && index.has(file)) {
      // the file as it is on disk: its findings stay in the Problems panel, its facts in the index
      closedShown.add(uri);
      queueLint(uri);
    } else {
      results.delete(uri);
      lintQueue.delete(uri);
      publish(uri, undefined, []);
    }
  });

  connection.onCodeAction(async (params: CodeActionParams, token: CancellationToken): Promise<CodeAction[] | null> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const only = params.context.only;
    const fixAllWanted = !!only && only.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(k + '.'));
    const quickWanted = wants(only, CodeActionKind.QuickFix);
    const hasOurs = params.context.diagnostics.some((d) => ruleOf(d) !== undefined);
    if (!fixAllWanted && !(quickWanted && hasOurs)) return [];
    const findings = await currentFindings(doc, token);
    if (token.isCancellationRequested || !findings || documents.get(doc.uri)?.version !== doc.version) return null;
    const out: CodeAction[] = [];
    if (quickWanted && hasOurs) out.push(...quickFixes(doc, params.context.diagnostics, findings));
    if (fixAllWanted) {
      const a = fixAll(doc, findings);
      if (a) out.push(a);
    }
    return out;
  });

  connection.onRequest(LINT_WORKSPACE_REQUEST, async (_params: unknown, token: CancellationToken): Promise<LintWorkspaceResult> => {
    let files = 0;
    let findings = 0;
    // the index first (a cancellation while it is built stops the wait, not the index)
    await new Promise<void>((ok) => {
      const sub = token.onCancellationRequested(() => ok());
      void whenIndexed().then(() => {
        sub.dispose();
        ok();
      });
    });
    // open documents first: their buffers' facts count for the closed files
    const isOpen = (f: string) => (documents.get(uriOf(f)) ? 0 : 1);
    const all = [...workspaceFiles].sort((a, b) => isOpen(a) - isOpen(b));
    for (const file of all) {
      // between two files: what is linted is published, the rest is left as it was
      if (token.isCancellationRequested) break;
      const uri = uriOf(file);
      if (!documents.get(uri)) closedShown.add(uri);
      files++;
      findings += await lintUri(uri);
      await new Promise((ok) => setImmediate(ok));
    }
    const cancelled = token.isCancellationRequested && files < all.length;
    if (cancelled) log(`AuthLint: Lint Workspace cancelled after ${files} of ${all.length} files`);
    return { files, total: all.length, findings, cancelled };
  });

  connection.onRequest(STATUS_REQUEST, () => {
    let waiting = 0;
    for (const l of remaining.values()) waiting += l.length;
    // ready: the index is complete and no open document shows provisional diagnostics any more
    return { packages: index.packageCount(), indexedFiles: index.fileCount() - waiting, ready: indexReady() && provisional.size === 0, provisional: provisional.size, engineCodeCache: engineCodeCacheState() };
  });

  documents.listen(connection);
}
