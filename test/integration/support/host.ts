// Helpers for tests running inside the extension host. Waiting is always on an event
// (diagnostics changed, file written), bounded by a timeout that fails the test.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'authlint.authlint';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs the fixture workspace open');
  return folder.uri;
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

export function authlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'authlint');
}

/** Resolves with the AuthLint diagnostics of `uri` once `accept` says yes (checked now and on every change). */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
  what = 'diagnostics',
  timeoutMs = 20000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const d = authlintDiagnostics(uri);
      if (!accept(d)) return false;
      done();
      resolve(d);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      const now = authlintDiagnostics(uri).map((d) => `${d.range.start.line + 1}:${codeOf(d)}`);
      reject(new Error(`timed out waiting for ${what} on ${path.basename(uri.path)}; now: [${now.join(', ')}]`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      sub.dispose();
    };
    check();
  });
}

export function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

/** Waits until `file` exists (fs.watch on its folder), then returns its text. */
export function waitForFile(file: string, timeoutMs = 60000): Promise<string> {
  return new Promise((resolve, reject) => {
    const dir = path.dirname(file);
    const check = (): boolean => {
      if (!fs.existsSync(file)) return false;
      watcher.close();
      clearTimeout(timer);
      resolve(fs.readFileSync(file, 'utf8'));
      return true;
    };
    const watcher = fs.watch(dir, () => check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`timed out waiting for ${path.basename(file)}`));
    }, timeoutMs);
    check();
  });
}

/** Sets a user setting and resolves once this extension host sees the new value. */
export async function setSetting(key: string, value: unknown, timeoutMs = 10000): Promise<void> {
  const dot = key.lastIndexOf('.');
  const section = key.slice(0, dot);
  const name = key.slice(dot + 1);
  const current = (): unknown => vscode.workspace.getConfiguration(section).inspect(name)?.globalValue;
  const applied = new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (JSON.stringify(current()) !== JSON.stringify(value)) return;
      sub.dispose();
      clearTimeout(timer);
      resolve();
    };
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(key)) check();
    });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`setting ${key} did not take effect`)); }, timeoutMs);
    check();
  });
  await vscode.workspace.getConfiguration(section).update(name, value, vscode.ConfigurationTarget.Global);
  await applied;
}

/**
 * vscode.executeCodeActionProvider, asked again when VS Code cancels it because the set of
 * code action providers changed mid-request (the built-in TypeScript extension registering
 * its providers while it activates does that).
 */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind?.value);
    } catch (err) {
      if ((err as Error).name !== 'Canceled' && (err as Error).message !== 'Canceled') throw err;
      if (attempt === 5) throw new Error('code actions were cancelled 5 times in a row');
    }
  }
}

/** The extension's test API (see src/extension/extension.ts). */
export interface TestApi {
  lsp: {
    client: { sendRequest<R>(method: string, param?: unknown): Promise<R> };
    ready: Promise<void>;
    timing: { changes: number; changeMs: number; publishes: number; publishMs: number };
    restarts(): number;
  };
  activationMs: number;
  logUri: vscode.Uri;
}

export async function extensionApi(): Promise<TestApi> {
  const api = await vscode.extensions.getExtension<TestApi>(EXTENSION_ID)!.activate();
  await api.lsp.ready;
  return api;
}

/** The AuthLint output channel's log file as it is now. */
export async function readLog(api: TestApi): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(api.logUri, 'AuthLint.log'))).toString('utf8');
}

/** Processes started by this extension host (Linux /proc) whose command line matches `re`. */
export function childProcesses(re: RegExp): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (re.test(cmd)) out.push({ pid: Number(name), cmd });
    } catch {
      /* ended meanwhile */
    }
  }
  return out;
}

/** The AuthLint language server's process (a child of the extension host running dist/server.js). */
export function serverProcess(): { pid: number; cmd: string } | undefined {
  return childProcesses(/[\\/]dist[\\/]server\.js\b/)[0];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
