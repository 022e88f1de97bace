// The AuthLint language server, started in its own Node process (dist/server.js over IPC). All
// analysis happens there: the extension host only forwards documents, settings and file events,
// and shows what the server publishes.
import * as vscode from 'vscode';
import {
  CloseAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { RULE_IDS, type RuleId } from '../analysis/types';
import { RULE_META } from '../analysis/rule-meta';
import type { Log } from './output';

export const LINTED_LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
export const LINTED_SCHEMES = ['file', 'untitled', 'vscode-remote'];
export const WATCHED_GLOBS = ['**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}', '**/package.json', '**/authlint.config.json'];
export const RESTART_MESSAGE = 'AuthLint: the language server stopped unexpectedly and was restarted.';

/** Time the extension host spent in AuthLint's client hooks (middleware), for the bench and tests. */
export interface HostTiming {
  /** didChange notifications forwarded, and the milliseconds spent in our hook (sync part). */
  changes: number;
  changeMs: number;
  /** publishDiagnostics handled, and the milliseconds spent handing them to VS Code. */
  publishes: number;
  publishMs: number;
}

export interface AuthLintClient extends vscode.Disposable {
  readonly client: LanguageClient;
  readonly timing: HostTiming;
  /** Resolves once the server answered `initialize` (rejects when it could not start). */
  readonly ready: Promise<void>;
  /** How many times the server was restarted after a crash. */
  restarts(): number;
}

export function startLanguageClient(context: vscode.ExtensionContext, log: Log & vscode.OutputChannel): AuthLintClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const timing: HostTiming = { changes: 0, changeMs: 0, publishes: 0, publishMs: 0 };
  let restarts = 0;
  // Created below; the handler only runs once the client exists.
  let client: LanguageClient | undefined;
  let fallback: ErrorHandler | undefined;
  const handler = (): ErrorHandler => (fallback ??= client!.createDefaultErrorHandler());
  const errorHandler: ErrorHandler = {
    error: (error, message, count) => handler().error(error, message, count),
    // The default policy (restart unless it crashed 5 times in 3 minutes), saying so once per crash
    // in the output channel (the client writes `message` there) and without a pop-up.
    closed: async (): Promise<CloseHandlerResult> => {
      const result = await handler().closed();
      if (result.action !== CloseAction.Restart) return result;
      restarts++;
      return { action: CloseAction.Restart, message: RESTART_MESSAGE, handled: true };
    },
  };
  const watchers = WATCHED_GLOBS.map((g) => vscode.workspace.createFileSystemWatcher(g));
  const clientOptions: LanguageClientOptions = {
    documentSelector: LINTED_SCHEMES.flatMap((scheme) => LINTED_LANGUAGES.map((language) => ({ scheme, language }))),
    synchronize: { configurationSection: 'authlint', fileEvents: watchers },
    diagnosticCollectionName: 'authlint',
    // the server keeps V8's compile of the engine here between starts (src/cli/code-cache.ts)
    initializationOptions: { codeCacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'engine-cache').fsPath },
    outputChannel: log,
    errorHandler,
    middleware: {
      didChange: (event, next) => {
        const t0 = performance.now();
        const sent = next(event);
        timing.changes++;
        timing.changeMs += performance.now() - t0;
        return sent;
      },
      handleDiagnostics: (uri, diagnostics, next) => {
        const t0 = performance.now();
        for (const d of diagnostics) linkBundledDocs(d, context.extensionUri);
        next(uri, diagnostics);
        timing.publishes++;
        timing.publishMs += performance.now() - t0;
      },
      // An untitled buffer is gone once closed; files on disk keep their problems (the server
      // publishes closed files' findings, e.g. after Lint Workspace).
      didClose: async (doc, next) => {
        await next(doc);
        if (doc.uri.scheme === 'untitled') client?.diagnostics?.delete(doc.uri);
      },
    },
  };
  client = new LanguageClient('authlint', 'AuthLint Language Server', serverOptions, clientOptions);
  const ready = client.start();
  ready.catch((err: unknown) => log.error(`the AuthLint language server did not start: ${(err as Error)?.message ?? err}`));
  const started = client;
  return {
    client: started,
    timing,
    ready,
    restarts: () => restarts,
    dispose: () => {
      for (const w of watchers) w.dispose();
      void started.stop().catch(() => undefined);
    },
  };
}

const RULE_PAGE = /\/docs\/rules\/([a-z0-9-]+)\.md$/;

/**
 * The server links each diagnostic to its rule's page on the web; the extension ships the same
 * pages, so the Problems link opens the bundled copy (works offline, matches the version).
 */
function linkBundledDocs(d: vscode.Diagnostic, extensionUri: vscode.Uri): void {
  if (d.source !== 'authlint' || typeof d.code !== 'object' || !d.code.target) return;
  const id = RULE_PAGE.exec(d.code.target.path)?.[1];
  if (!id || !(RULE_IDS as readonly string[]).includes(id)) return;
  d.code = { value: d.code.value, target: vscode.Uri.joinPath(extensionUri, RULE_META[id as RuleId].docsPath) };
}
