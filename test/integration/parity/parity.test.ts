// The editor and the CLI agree: every source file of the fixture workspace, opened in VS Code,
// gets exactly the findings `authlint lint <folder> --format json` reports for it.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { authlintDiagnostics, codeOf, extensionApi, sleep, waitForDiagnostics, workspaceRoot } from '../support/host';
import { repoRoot } from '../support/paths';
import { note } from '../support/notes';

interface CliFinding { file: string; line: number; column: number; endLine: number; endColumn: number; ruleId: string; severity: string; message: string }

const SOURCE = /\.(js|jsx|ts|tsx|mjs|cjs|mts|cts)$/;
const SEVERITY: Record<number, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (SOURCE.test(e.name)) out.push(p);
  }
  return out.sort();
}

const keyOfCli = (f: CliFinding): string => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId} ${f.severity} ${f.message}`;
const keyOfDiag = (d: vscode.Diagnostic): string =>
  `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${codeOf(d)} ${SEVERITY[d.severity]} ${d.message}`;
const keys = (list: string[]): string => [...list].sort().join('\n');

describe('parity: the editor shows what `authlint lint --format json` reports', () => {
  const ws = workspaceRoot().fsPath;
  const files = sourceFiles(ws);
  let expected: Map<string, string>;

  before(async function () {
    this.timeout(120000);
    await extensionApi();
    const cli = path.join(repoRoot(__dirname), 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'lint', ws, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(r.status === 0 || r.status === 1, `authlint lint exited ${r.status}: ${r.stderr}`);
    const json = JSON.parse(r.stdout) as { findings: CliFinding[]; files: number };
    const byFile = new Map<string, string[]>();
    for (const f of json.findings) {
      const abs = path.resolve(ws, f.file);
      byFile.set(abs, [...(byFile.get(abs) ?? []), keyOfCli(f)]);
    }
    expected = new Map(files.map((f) => [f, keys(byFile.get(f) ?? [])]));
    const packages = fs.readdirSync(ws, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('package.json') && !p.includes('node_modules')).length;
    note(`parity fixture: ${files.length} source files, ${packages} package.json, ${json.findings.length} CLI findings in ${byFile.size} files`);
    assert.ok(files.length >= 5 && json.findings.length > 0, 'a fixture with files and findings');
    for (const f of byFile.keys()) assert.ok(files.includes(f), `the CLI reported ${f}, which the test walk did not find`);
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('every file, opened in the editor, has exactly the CLI findings', async function () {
    this.timeout(180000);
    for (const f of files) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(f), { preview: false });
    const mismatches: string[] = [];
    for (const f of files) {
      const uri = vscode.Uri.file(f);
      const want = expected.get(f)!;
      try {
        await waitForDiagnostics(uri, (d) => keys(d.map(keyOfDiag)) === want, `the CLI's findings for ${path.relative(ws, f)}`, 30000);
      } catch {
        mismatches.push(`${path.relative(ws, f)}\n  editor: ${keys(authlintDiagnostics(uri).map(keyOfDiag)).split('\n').join('\n          ')}\n  cli:    ${want.split('\n').join('\n          ')}`);
      }
    }
    assert.deepStrictEqual(mismatches, [], mismatches.join('\n'));
    // Still equal once the server has settled: its index complete, no provisional diagnostics
    // left (a file opened before its package was indexed is published again with its facts).
    const api = await extensionApi();
    for (let i = 0; !(await api.lsp.client.sendRequest<{ ready: boolean }>('authlint/status', {})).ready; i++) {
      assert.ok(i < 600, 'the language server never said ready');
      await sleep(50);
    }
    await sleep(1500);
    for (const f of files) assert.strictEqual(keys(authlintDiagnostics(vscode.Uri.file(f)).map(keyOfDiag)), expected.get(f), path.relative(ws, f));
  });
});
