import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi, serverProcess } from '../support/host';
import { note } from '../support/notes';

/** Modules of the analysis engine this extension host has loaded (none: linting is the server's). */
function engineModulesLoaded(): string[] {
  return Object.keys(require.cache).filter((k) => /[\\/](dist[\\/](engine|server)\.js|src[\\/]analysis[\\/]lint\.[jt]s|typescript-estree[\\/])/.test(k));
}

describe('activation', () => {
  it('runs in VS Code 1.100, activates quickly and starts the language server in its own process', async () => {
    assert.match(vscode.version, /^1\.100\./, `VS Code ${vscode.version}`);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const wasActive = ext.isActive;
    const t0 = performance.now();
    const api = await extensionApi();
    const total = performance.now() - t0;
    if (!wasActive) note(`activation: ${total.toFixed(1)} ms for ext.activate() + server initialize, ${api.activationMs.toFixed(1)} ms inside activate()`);
    else note(`activation: already active; ${api.activationMs.toFixed(1)} ms inside activate(); server ready after ${total.toFixed(0)} ms more`);
    const server = serverProcess();
    assert.ok(server, 'a dist/server.js child process of the extension host');
    assert.notStrictEqual(server.pid, process.pid);
    assert.match(server.cmd, /--node-ipc/);
    assert.deepStrictEqual(engineModulesLoaded(), [], 'the extension host loads no analysis code');
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['authlint.lintWorkspace', 'authlint.showRuleDocumentation', 'authlint.showOutput', 'authlint.openRulePage']) {
      assert.ok(commands.includes(id), id);
    }
  });
});
