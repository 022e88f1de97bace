// The ESLint plugin (dist/eslint-plugin.js) in the real ESLint 9, flat config: over every rule
// fixture it reports what `authlint lint` reports for that file alone, same places and messages;
// fixes and suggestions; it reuses the tree ESLint parsed (espree, typescript-eslint) instead of
// parsing again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintPaths } from '../../../src/cli/lint';
import { RULE_IDS } from '../../../src/analysis/types';
import { repoRoot, walkFiles } from '../support/fixture-files';

const root = repoRoot();
const pluginPath = path.join(root, 'dist', 'eslint-plugin.js');

// eslint and the typescript-eslint parser are the project's devDependencies
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ESLint } = require('eslint') as typeof import('eslint');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsParser = require('@typescript-eslint/parser') as { parseForESLint(text: string, options: unknown): { ast: unknown }; meta: { name: string } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const espree = require('espree') as { parse(text: string, options: unknown): unknown; name: string; version: string };

interface Plugin {
  meta: { name: string; version: string };
  rules: Record<string, unknown>;
  configs: { recommended: { plugins: Record<string, unknown>; rules: Record<string, string> } };
}

function loadPlugin(): Plugin {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(pluginPath) as Plugin;
}

const JS_OPTIONS = { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } } as const;

function eslintFor(plugin: Plugin, parserFor: (file: string) => unknown = () => undefined, fix = false) {
  const allOn = Object.fromEntries(RULE_IDS.map((id) => [`authlint/${id}`, 'error']));
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    fix,
    overrideConfig: [
      { files: ['**/*.js', '**/*.ts'], plugins: { authlint: plugin as never }, rules: allOn as never },
      { files: ['**/*.js'], languageOptions: { ...JS_OPTIONS, ...(parserFor('x.js') ? { parser: parserFor('x.js') as never } : {}) } },
      { files: ['**/*.ts'], languageOptions: { parser: (parserFor('x.ts') ?? tsParser) as never } },
    ],
  });
}

describe('ESLint plugin (real ESLint 9)', function () {
  this.timeout(180000);
  before(function () {
    if (!fs.existsSync(pluginPath)) this.skip();
  });

  it('has the flat-config shape: meta, a rule per id, configs.recommended', () => {
    const plugin = loadPlugin();
    assert.equal(plugin.meta.name, 'authlint');
    assert.match(plugin.meta.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(Object.keys(plugin.rules), [...RULE_IDS]);
    assert.equal(plugin.configs.recommended.plugins.authlint, plugin);
    assert.deepEqual(Object.keys(plugin.configs.recommended.rules), RULE_IDS.map((id) => `authlint/${id}`));
  });

  it('reports what `authlint lint` reports for each rule fixture alone', async () => {
    const plugin = loadPlugin();
    const eslint = eslintFor(plugin);
    const dir = path.join(root, 'test', 'fixtures', 'rules');
    const files = walkFiles(dir).filter((f) => /\.(js|ts)$/.test(f) && !f.startsWith('_parse-error/'));
    assert.ok(files.length > 200, `${files.length} fixtures`);
    let compared = 0;
    const mismatches: string[] = [];
    for (const rel of files) {
      const file = path.join(dir, rel);
      const text = fs.readFileSync(file, 'utf8');
      const cli = lintPaths([file]);
      const expected = cli.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} authlint/${f.ruleId} ${f.message}`).sort();
      const [res] = await eslint.lintText(text, { filePath: file });
      const fatal = res!.messages.filter((m) => m.fatal);
      if (fatal.length) {
        // ESLint's parser refused the file: then the CLI must have reported it too, or parsed it leniently
        mismatches.push(`${rel}: ESLint could not parse it: ${fatal[0]!.message}`);
        continue;
      }
      const got = res!.messages.map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId} ${m.message}`).sort();
      compared += expected.length;
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${rel}:\n  cli:    ${expected.join('\n          ')}\n  eslint: ${got.join('\n          ')}`);
    }
    assert.deepEqual(mismatches, []);
    assert.ok(compared > 100, `${compared} findings compared`);
  });

  it('offers the preferred fix as the fix and the others as suggestions; --fix applies it', async () => {
    const plugin = loadPlugin();
    const file = path.join(root, 'test', 'fixtures', 'rules', 'x', 'routes.js');
    const text = `const app = require('express')();\napp.get('/me', (req, res) => {\n  if (!req.user) return res.status(401).json({ error: 'login' });\n  res.json(req.user);\n});\n`;
    const [res] = await eslintFor(plugin).lintText(text, { filePath: file });
    const m = res!.messages.find((x) => x.ruleId === 'authlint/missing-www-authenticate');
    assert.ok(m?.fix, JSON.stringify(res!.messages));
    const cliFixes = cliFixesOf(text);
    assert.deepEqual((m.suggestions ?? []).map((s) => s.desc), cliFixes.slice(1).map((f) => f.title));
    const [fixed] = await eslintFor(plugin, undefined, true).lintText(text, { filePath: file });
    assert.match(fixed!.output ?? '', /WWW-Authenticate/);
    assert.equal(fixed!.messages.filter((x) => x.ruleId === 'authlint/missing-www-authenticate').length, 0);
  });

  for (const kind of ['espree', 'typescript-eslint'] as const) {
    it(`reuses the tree ${kind} parsed instead of parsing again`, async () => {
      // A parser that reports itself as ${kind} but parses the text with 402 read as 401: a
      // finding on the 402 can only come from ESLint's tree, never from a second parse of the text.
      const swap = (text: string) => text.replace(/402/g, '401');
      const parser =
        kind === 'espree'
          ? { name: 'espree', version: espree.version, parse: (text: string, options: Record<string, unknown>) => espree.parse(swap(text), options) }
          : { meta: tsParser.meta, parseForESLint: (text: string, options: unknown) => tsParser.parseForESLint(swap(text), options) };
      const plugin = loadPlugin();
      const ext = kind === 'espree' ? 'js' : 'ts';
      const text = `// Unauthorized\nconst app = require('express')();\napp.get('/me', (req: any, res: any) => {\n  if (!req.user) return res.status(402).json({ error: 'login' });\n});\n`.replace(/: any/g, ext === 'ts' ? ': any' : '');
      const [res] = await eslintFor(plugin, (f) => (f.endsWith(ext) ? parser : undefined)).lintText(text, { filePath: path.join(root, 'test', 'fixtures', 'rules', 'x', `reuse.${ext}`) });
      assert.deepEqual(res!.messages.map((x) => `${x.ruleId} ${x.line}:${x.column}`), ['authlint/missing-www-authenticate 4:36']);
      // and a parser it does not know is not trusted: the engine parses the text itself
      const other = { ...parser, name: 'some-parser', meta: { name: 'some-parser' } };
      const [own] = await eslintFor(loadPlugin(), (f) => (f.endsWith(ext) ? other : undefined)).lintText(text, { filePath: path.join(root, 'test', 'fixtures', 'rules', 'x', `own.${ext}`) });
      assert.deepEqual(own!.messages, []);
    });
  }
});

function cliFixesOf(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-eslint-'));
  try {
    const f = path.join(dir, 'routes.js');
    fs.writeFileSync(f, text);
    return lintPaths([f]).findings[0]!.fixes!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
