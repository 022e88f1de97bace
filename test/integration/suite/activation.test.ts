import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../support/host';
import { note } from '../support/notes';

interface Api {
  activationMs: number;
  engineLoadMs(): number | undefined;
}

describe('activation', () => {
  it('runs in VS Code 1.100 and activates lazily, without loading the parser', async () => {
    assert.match(vscode.version, /^1\.100\./, `VS Code ${vscode.version}`);
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const wasActive = ext.isActive;
    const t0 = performance.now();
    const api = await ext.activate();
    const total = performance.now() - t0;
    if (!wasActive) note(`activation: ${total.toFixed(1)} ms for ext.activate() (module load + activate), ${api.activationMs.toFixed(1)} ms inside activate()`);
    else note(`activation: already active; ${api.activationMs.toFixed(1)} ms inside activate()`);
    assert.strictEqual(api.engineLoadMs(), undefined, 'the analysis engine is loaded on first lint, not at activation');
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['authlint.lintWorkspace', 'authlint.showRuleDocumentation', 'authlint.showOutput']) {
      assert.ok(commands.includes(id), id);
    }
  });
});
