// "AuthLint: Lint Workspace": lints every server source file of the open folders, respecting
// `files.exclude` and `.gitignore`, with a cancellable progress notification.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Diagnostics } from './diagnostics';
import { rangeMapper } from './positions';
import { expandBraces } from './text-edits';
import { isPathIgnored, parseGitignore, type IgnoreLayer } from '../analysis/gitignore';
import { lintSettings } from './settings';
import type { Log } from './output';

const SOURCE_GLOB = '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}';

export interface WorkspaceLintSummary {
  files: number;
  findings: number;
  filesWithFindings: number;
  cancelled: boolean;
}

export function lintWorkspace(diags: Diagnostics, log: Log): Thenable<WorkspaceLintSummary> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'AuthLint: linting workspace', cancellable: true },
    async (progress, token) => {
      const summary: WorkspaceLintSummary = { files: 0, findings: 0, filesWithFindings: 0, cancelled: false };
      const files: vscode.Uri[] = [];
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        files.push(...(await listSourceFiles(folder, token)));
      }
      log.info(`Lint Workspace: ${files.length} file(s) to lint`);
      const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
      const decoder = new TextDecoder();
      for (const uri of files) {
        if (token.isCancellationRequested) break;
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / files.length });
        const doc = open.get(uri.toString());
        let n = 0;
        try {
          if (doc) {
            n = diags.refresh(doc).length;
          } else {
            const text = decoder.decode(await vscode.workspace.fs.readFile(uri));
            const result = diags.lintText(text, uri.fsPath, lintSettings(uri));
            if (result.error) log.warn(`${vscode.workspace.asRelativePath(uri)}: ${result.error}`);
            diags.publish(uri, result.findings, rangeMapper(text));
            n = result.findings.length;
          }
        } catch (err) {
          log.warn(`Lint Workspace: ${vscode.workspace.asRelativePath(uri)}: ${(err as Error).message}`);
        }
        summary.files++;
        summary.findings += n;
        if (n) summary.filesWithFindings++;
        await new Promise((r) => setImmediate(r)); // let a cancel click through
      }
      summary.cancelled = token.isCancellationRequested;
      log.info(`Lint Workspace: ${summary.findings} finding(s) in ${summary.filesWithFindings} of ${summary.files} file(s)`
        + (summary.cancelled ? ' (cancelled)' : ''));
      return summary;
    },
  );
}

/** Source files of a folder minus files.exclude, node_modules and what .gitignore files ignore. */
export async function listSourceFiles(folder: vscode.WorkspaceFolder, token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const excluded = Object.entries(vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {})
    .filter(([, on]) => on === true)
    .flatMap(([glob]) => expandBraces(glob));
  const exclude = `{${['**/node_modules/**', ...excluded].join(',')}}`;
  const [sources, gitignores] = await Promise.all([
    vscode.workspace.findFiles(new vscode.RelativePattern(folder, SOURCE_GLOB), exclude, undefined, token),
    vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), exclude, undefined, token),
  ]);
  // git's rules, by our linear matcher (the `ignore` package backtracks catastrophically on some patterns)
  const toRel = (p: string) => path.relative(folder.uri.fsPath, p).split(path.sep).join('/');
  const layers: IgnoreLayer[] = [];
  for (const g of gitignores) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(g));
    layers.push({ base: toRel(path.dirname(g.fsPath)), patterns: parseGitignore(text) });
  }
  const kept = sources.filter((uri) => {
    const rel = toRel(uri.fsPath);
    return rel.startsWith('..') || path.isAbsolute(rel) || !isPathIgnored(layers, rel);
  });
  return kept.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
