import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { RULE_IDS } from '../../../src/analysis/types';
import { walkFiles } from '../../unit/support/fixture-files';
import { codeActions, codeOf, setSetting, waitForDiagnostics, wsUri } from '../support/host';
import { expectedFindings, diffWithAnnotations } from '../support/expect';
import { repoRoot, scratchCopy } from '../support/paths';
import { note } from '../support/notes';

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('authlint');
const root = repoRoot(__dirname);
// The rule fixtures are opened from a scratch copy: nothing here can write into the repository.
const fixtures = scratchCopy(root, 'test/fixtures/rules');
const goldens = path.join(root, 'test/fixtures/rules');
const expected = path.join(root, 'test/integration/expected');

/** invalid-*.{js,ts,...} fixtures that have a `.fixed` golden, per rule. */
function fixableCases(ruleId: string): Array<{ file: string; fixed: string }> {
  return walkFiles(path.join(fixtures, ruleId))
    .filter((f) => /(^|\/)invalid-[^/]*\.(js|jsx|ts|tsx|mjs|cjs|mts|cts)$/.test(f) && !f.includes('.fixed.'))
    .map((f) => ({ file: path.join(fixtures, ruleId, f), fixed: path.join(goldens, ruleId, f.replace(/\.(\w+)$/, '.fixed.$1')) }))
    .filter((c) => fs.existsSync(c.fixed));
}

/** Resolves at the next diagnostics change of `uri` (or after `ms`, when nothing changes). */
function nextChange(uri: vscode.Uri, ms = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { sub.dispose(); resolve(); }, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

async function openAndLint(uri: vscode.Uri): Promise<{ doc: vscode.TextDocument; diags: vscode.Diagnostic[] }> {
  // A file closed earlier still lists its problems: wait for the server's answer to this open.
  const answered = nextChange(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await answered;
  await vscode.window.showTextDocument(doc);
  const n = expectedFindings(doc).length;
  const diags = await waitForDiagnostics(uri, (d) => d.length >= n && n > 0, 'the annotated findings');
  return { doc, diags };
}

/** Applies a code action's edit; a fix edits the buffer and never saves the file. */
async function apply(action: vscode.CodeAction | undefined): Promise<void> {
  assert.ok(action?.edit, `an action with an edit: ${action?.title}`);
  const [uri] = action.edit.entries()[0] ?? [];
  const onDisk = uri && fs.readFileSync(uri.fsPath, 'utf8');
  assert.ok(await vscode.workspace.applyEdit(action.edit), 'edit applied');
  if (!uri) return;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  assert.ok(doc?.isDirty, 'the buffer is modified and not saved');
  assert.strictEqual(fs.readFileSync(uri.fsPath, 'utf8'), onDisk, 'the file on disk is unchanged');
}

/** The text an action inserts (all its edits, in order). */
function inserted(a: vscode.CodeAction): string {
  return (a.edit?.entries() ?? []).flatMap(([, edits]) => edits.map((e) => e.newText)).join('');
}

/** Resolves with the label of the first tab that opens with `name` in its label. */
function waitForTab(name: string, timeoutMs = 20000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no tab for ${name}`)); }, timeoutMs);
    const sub = vscode.window.tabGroups.onDidChangeTabs((e) => {
      const tab = [...e.opened, ...e.changed].find((t) => t.label.includes(name));
      if (!tab) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(tab.label);
    });
  });
}

async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** What `authlint lint --fix` makes of a copy of `file` (the CLI's fixes, pass after pass). */
function cliFix(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-clifix-'));
  try {
    const copy = path.join(dir, path.basename(file));
    fs.copyFileSync(file, copy);
    spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'lint', '--fix', copy], { encoding: 'utf8' });
    return fs.readFileSync(copy, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Opens a fixture and checks its findings. One finding: its preferred quick fix gives `want`.
 * Several: source.fixAll.authlint, asked again while it offers edits (each pass skips fixes that
 * touch one already taken, as `authlint lint --fix` does), gives what the CLI's --fix gives.
 */
async function checkFixes(uri: vscode.Uri, want: string): Promise<void> {
  const { doc, diags } = await openAndLint(uri);
  try {
    assert.strictEqual(diffWithAnnotations(doc, diags), '');
    if (diags.length === 1) {
      const actions = await codeActions(doc.uri, diags[0]!.range, vscode.CodeActionKind.QuickFix);
      // (executeCodeActionProvider does not hand back each action's `diagnostics`.)
      const preferred = actions.filter((a) => a.isPreferred);
      assert.strictEqual(preferred.length, 1, `one preferred quick fix, got: ${actions.map((a) => a.title).join(' | ')}`);
      await apply(preferred[0]);
      assert.strictEqual(doc.getText(), want);
    } else {
      const cli = cliFix(uri.fsPath);
      for (let pass = 0; pass < 10; pass++) {
        const actions = await codeActions(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), FIX_ALL);
        if (pass === 0) assert.strictEqual(actions.length, 1, 'one source.fixAll.authlint action');
        if (actions.length === 0) break;
        await apply(actions[0]);
      }
      assert.strictEqual(doc.getText(), cli, 'fix-all in the editor gives what `authlint lint --fix` gives');
    }
  } finally {
    await revertAndClose();
  }
}

describe('quick fixes through vscode.executeCodeActionProvider', () => {
  after(() => fs.rmSync(fixtures, { recursive: true, force: true }));

  for (const ruleId of RULE_IDS) {
    const cases = fixableCases(ruleId);
    if (cases.length === 0) {
      it(`${ruleId}: has no fixture with a fix yet`, function () {
        note(`${ruleId}: no invalid-*.fixed fixture, so its preferred fix is not exercised in VS Code`);
        this.skip();
      });
    }
    for (const c of cases) {
      it(`${path.relative(fixtures, c.file)}: the preferred fix(es) give the .fixed text`, () =>
        checkFixes(vscode.Uri.file(c.file), fs.readFileSync(c.fixed, 'utf8')));
    }
  }

  it('workspace src/express-app.js: the preferred quick fix adds the challenge', () =>
    checkFixes(wsUri('src/express-app.js'), fs.readFileSync(path.join(expected, 'express-app.fixed.js'), 'utf8')));

  it('workspace src/multi.js: source.fixAll.authlint fixes three rules at once (as authlint lint --fix)', () =>
    checkFixes(wsUri('src/multi.js'), fs.readFileSync(path.join(expected, 'multi.fixed.js'), 'utf8')));

  it('fixes insert the challenge of authlint.defaultChallenge', async () => {
    await setSetting('authlint.defaultChallenge', 'Basic realm="admin"');
    try {
      const want = fs.readFileSync(path.join(expected, 'express-app.fixed.js'), 'utf8').replace('Bearer realm="api"', 'Basic realm="admin"');
      await checkFixes(wsUri('src/express-app.js'), want);
    } finally {
      await setSetting('authlint.defaultChallenge', undefined);
    }
  });

  it('offers disable for this line, disable for this file and the rule page', async () => {
    const uri = wsUri('src/express-app.js');
    const { doc, diags } = await openAndLint(uri);
    try {
      const d = diags[0]!;
      const id = codeOf(d);
      const actions = await codeActions(uri, d.range, vscode.CodeActionKind.QuickFix);
      const titles = actions.map((a) => a.title).join(' | ');
      const preferred = actions.filter((a) => a.isPreferred);
      assert.strictEqual(preferred.length, 1, `one preferred fix: ${titles}`);
      assert.match(inserted(preferred[0]!), /WWW-Authenticate/, 'the preferred fix adds the challenge');
      const line = actions.find((a) => inserted(a).includes(`authlint-disable-next-line ${id}`));
      const file = actions.find((a) => inserted(a).includes(`/* authlint-disable ${id} */`));
      const page = actions.find((a) => a.command?.command === 'authlint.openRulePage');
      assert.ok(line && file && page, titles);
      assert.match(String(page.command?.arguments?.[0]), new RegExp(`^https://.*/docs/rules/${id}\\.md$`));
      await apply(line);
      assert.match(doc.lineAt(d.range.start.line).text, new RegExp(`^\\s*// authlint-disable-next-line ${id}$`));
      await waitForDiagnostics(uri, (x) => x.length === diags.length - 1, 'the line suppressed');
      await vscode.commands.executeCommand('undo');
      await waitForDiagnostics(uri, (x) => x.length === diags.length, 'the finding back after undo');
      await apply(file);
      assert.strictEqual(doc.lineAt(0).text, `/* authlint-disable ${id} */`);
      await waitForDiagnostics(uri, (x) => x.every((y) => codeOf(y) !== id), 'the file suppressed');
    } finally {
      await revertAndClose();
    }
    const preview = waitForTab(`${codeOf(diags[0]!)}.md`);
    await vscode.commands.executeCommand('authlint.showRuleDocumentation', codeOf(diags[0]!));
    assert.match(await preview, /^Preview /, 'the rule page opens rendered');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('source.fixAll.authlint runs on save when editor.codeActionsOnSave asks for it', async () => {
    const uri = wsUri('fix-on-save/multi.js');
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    fs.copyFileSync(wsUri('src/multi.js').fsPath, uri.fsPath);
    await setSetting('editor.codeActionsOnSave', { 'source.fixAll.authlint': 'explicit' });
    try {
      const { doc } = await openAndLint(uri);
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), ' '));
      await editor.edit((e) => e.delete(new vscode.Range(0, 0, 0, 1)));
      assert.ok(doc.isDirty);
      await vscode.commands.executeCommand('workbench.action.files.save');
      assert.strictEqual(fs.readFileSync(uri.fsPath, 'utf8'), fs.readFileSync(path.join(expected, 'multi.fixed.js'), 'utf8'));
      assert.ok(!doc.isDirty, 'saved');
    } finally {
      await setSetting('editor.codeActionsOnSave', undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // the file first: the server hears of a deleted source file, not of a deleted folder
      fs.rmSync(uri.fsPath, { force: true });
      await new Promise((r) => setTimeout(r, 500));
      fs.rmSync(path.dirname(uri.fsPath), { recursive: true, force: true });
    }
  });
});
