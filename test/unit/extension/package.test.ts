// The extension package, checked in plain Node (no VS Code): what `vsce ls` would ship, that
// manifest commands and code agree, and that the settings cover every rule.
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS } from '../../../src/analysis/types';
import { RULE_META } from '../../../src/analysis/rule-meta';
import { repoRoot } from '../support/fixture-files';

const root = repoRoot(__dirname);
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const extSources = fs.readdirSync(path.join(root, 'src/extension'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => fs.readFileSync(path.join(root, 'src/extension', f), 'utf8'));

/** Command ids passed to registerCommand in src/extension, resolved through their constants. */
function registeredCommands(): Set<string> {
  const text = extSources.join('\n');
  const names = new Map<string, string>();
  for (const m of text.matchAll(/(?:const\s+)?(\w+)\s*[:=]\s*'(authlint\.\w+)'/g)) names.set(m[1]!, m[2]!);
  for (const m of text.matchAll(/(\w+):\s*([A-Z_]+),/g)) if (names.has(m[2]!)) names.set(m[1]!, names.get(m[2]!)!);
  const ids = new Set<string>();
  for (const m of text.matchAll(/registerCommand\(\s*([\w.]+|'[^']+')/g)) {
    const arg = m[1]!;
    const id = arg.startsWith("'") ? arg.slice(1, -1) : names.get(arg.split('.').pop()!);
    assert.ok(id, `cannot resolve the command id of registerCommand(${arg})`);
    ids.add(id);
  }
  return ids;
}

describe('extension package (manifest and .vsix contents)', () => {
  it('ships only the allow-listed files (vsce ls)', function () {
    this.timeout(60000);
    const out = execFileSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    const files = out.split('\n').map((l) => l.trim()).filter(Boolean);
    const allowed = [/^dist\/extension\.js$/, /^dist\/engine\.js$/, /^dist\/server\.js$/, /^syntaxes\//, /^docs\//, /^schemas\//, /^media\//, /^language-configuration\.json$/, /^package\.json$/, /^README\.md$/, /^CHANGELOG\.md$/, /^LICENSE$/];
    const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepStrictEqual(stray, [], 'files outside the allow-list');
    for (const must of ['package.json', 'dist/extension.js', 'dist/engine.js', 'dist/server.js', 'syntaxes/http.tmLanguage.json', 'language-configuration.json', 'media/icon.png', 'LICENSE', 'CHANGELOG.md', 'schemas/authlint.config.schema.json']) {
      assert.ok(files.includes(must), `${must} ships`);
    }
    for (const id of RULE_IDS) assert.ok(files.includes(RULE_META[id].docsPath), `${RULE_META[id].docsPath} ships (diagnostics link to it)`);
  });

  it('.vscodeignore is an allow-list', () => {
    const lines = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.strictEqual(lines[0], '**');
    assert.ok(lines.slice(1).every((l) => l.startsWith('!')), lines.join(', '));
  });

  it('registers every contributed command in src/extension, and contributes every registered one', () => {
    const contributed = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
    assert.deepStrictEqual([...registeredCommands()].sort(), [...contributed].sort());
    for (const c of pkg.contributes.commands) assert.strictEqual(c.category, 'AuthLint', c.command);
    for (const id of contributed) assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), `onCommand:${id}`);
  });

  it('has one authlint.rules setting per rule id, with the levels and the rule default', () => {
    const rules = pkg.contributes.configuration.properties['authlint.rules'];
    assert.deepStrictEqual(Object.keys(rules.properties).sort(), [...RULE_IDS].sort());
    for (const id of RULE_IDS) {
      assert.deepStrictEqual(rules.properties[id].enum, ['off', 'info', 'warning', 'error'], id);
      assert.strictEqual(rules.properties[id].default, RULE_META[id].severity, id);
      assert.strictEqual(rules.default[id], RULE_META[id].severity, id);
    }
  });

  it('has the Marketplace fields, the language, the grammar and a 128x128 PNG icon', () => {
    for (const key of ['displayName', 'description', 'publisher', 'license', 'repository', 'icon', 'categories', 'keywords', 'galleryBanner']) {
      assert.ok(pkg[key], key);
    }
    assert.match(pkg.engines.vscode, /^\^1\.\d+\./);
    assert.ok(Number(/^\^1\.(\d+)\./.exec(pkg.engines.vscode)![1]) <= 100, 'VS Code 1.100 satisfies engines.vscode');
    const png = fs.readFileSync(path.join(root, pkg.icon));
    assert.strictEqual(png.subarray(1, 4).toString(), 'PNG');
    assert.deepStrictEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const [lang] = pkg.contributes.languages;
    assert.deepStrictEqual([lang.id, lang.extensions], ['http', ['.http', '.rest']]);
    assert.ok(fs.existsSync(path.join(root, lang.configuration)), lang.configuration);
    const [grammar] = pkg.contributes.grammars;
    const tm = JSON.parse(fs.readFileSync(path.join(root, grammar.path), 'utf8'));
    assert.strictEqual(tm.scopeName, grammar.scopeName);
    assert.strictEqual(grammar.scopeName, 'source.http.authlint');
    for (const lang of ['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'http']) {
      assert.ok(pkg.activationEvents.includes(`onLanguage:${lang}`), lang);
    }
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('package.json version is the newest release in CHANGELOG.md', () => {
    const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
    const headings = [...changelog.matchAll(/^## (\S+)/gm)].map((m) => m[1]);
    assert.strictEqual(headings[0], '[Unreleased]');
    assert.strictEqual(headings[1], pkg.version);
  });
});
