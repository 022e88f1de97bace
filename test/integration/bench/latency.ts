// Editor latency in a real VS Code, measured, never asserted (the bench reads the `BENCH {json}`
// note): first diagnostics after opening the 2,000-line sample with a cold server (the extension
// activates on this open and starts the server), then keystroke -> diagnostics for single
// characters typed into it, and the extension host's time in AuthLint's client hooks per
// keystroke (middleware timing: forwarding the change, handing the answer to VS Code).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, type TestApi, sleep, workspaceRoot } from '../support/host';
import { note } from '../support/notes';

const KEYSTROKES = Number(process.env.AUTHLINT_BENCH_KEYSTROKES || 30);

async function until(ok: () => boolean, what: string, timeoutMs = 120000): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
  return performance.now();
}

describe('editor latency (bench)', () => {
  it('first diagnostics, keystroke to diagnostics, extension host time per keystroke', async function () {
    this.timeout(600000);
    const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID)!;
    const wasActive = ext.isActive;
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'sample.js');
    const t0 = performance.now();
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const api = await ext.activate();
    const { timing } = api.lsp;
    const first = await until(() => timing.publishes > 0, 'the first diagnostics');
    const result: Record<string, unknown> = { wasActive, lines: doc.lineCount, openToFirstDiagnosticsMs: first - t0, findings: vscode.languages.getDiagnostics(uri).length };
    await sleep(1000); // let the background index settle
    const mid = Math.floor(doc.lineCount / 2);
    const base = { ...timing };
    const keystrokeMs: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) {
      const before = timing.publishes;
      const tk = performance.now();
      await editor.edit((e) => (i % 2 === 0 ? e.insert(new vscode.Position(mid, 0), ' ') : e.delete(new vscode.Range(mid, 0, mid, 1))));
      keystrokeMs.push((await until(() => timing.publishes > before, `diagnostics after keystroke ${i + 1}`)) - tk);
    }
    const changes = timing.changes - base.changes;
    const publishes = timing.publishes - base.publishes;
    Object.assign(result, {
      keystrokes: KEYSTROKES, keystrokeMs,
      changes, publishes,
      hostMsInChangeHook: timing.changeMs - base.changeMs,
      hostMsInPublishHook: timing.publishMs - base.publishMs,
      hostMsPerKeystroke: (timing.changeMs - base.changeMs + timing.publishMs - base.publishMs) / KEYSTROKES,
    });
    note(`BENCH ${JSON.stringify(result)}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.ok(changes >= KEYSTROKES);
  });
});
