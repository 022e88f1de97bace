// The .http TextMate grammar, run in plain Node through vscode-textmate + vscode-oniguruma.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import {
  GRAMMAR_PATH, HTTP_SCOPE, formatFailure, getOnigLib, loadHttpGrammar, parseSyntaxTest, repoRoot, runSyntaxTest,
  type SyntaxTestCase,
} from './tm-harness';

const root = repoRoot();
const EMBEDDED_SCOPES = ['source.json', 'text.xml'];
const testDir = path.join(root, 'test', 'grammar');
const testFiles = fs.readdirSync(testDir).filter((f) => f.endsWith('.http')).sort();

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
function readGrammar(): { [k: string]: Json } {
  return JSON.parse(fs.readFileSync(path.join(root, GRAMMAR_PATH), 'utf8')) as { [k: string]: Json };
}
function walk(node: Json, visit: (obj: { [k: string]: Json }, where: string) => void, where = '$'): void {
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, visit, `${where}[${i}]`));
  else if (node && typeof node === 'object') {
    visit(node, where);
    for (const [k, v] of Object.entries(node)) walk(v, visit, `${where}.${k}`);
  }
}
function loadCase(file: string): SyntaxTestCase {
  return parseSyntaxTest(fs.readFileSync(path.join(testDir, file), 'utf8'));
}

describe('grammar: syntaxes/http.tmLanguage.json', () => {
  it('is valid JSON with scopeName source.http.authlint', () => {
    const g = readGrammar();
    assert.equal(g.scopeName, HTTP_SCOPE);
    assert.ok(Array.isArray(g.patterns) && g.patterns.length > 0);
  });

  it('every include resolves, and every repository rule is used', () => {
    const g = readGrammar();
    const repo = g.repository as { [k: string]: Json };
    const used = new Set<string>();
    const bad: string[] = [];
    walk(g, (obj, where) => {
      if (typeof obj.include !== 'string') return;
      const inc = obj.include;
      if (inc.startsWith('#')) {
        used.add(inc.slice(1));
        if (!(inc.slice(1) in repo)) bad.push(`${where}: ${inc}`);
      } else if (inc !== '$self' && inc !== '$base' && !EMBEDDED_SCOPES.includes(inc)) {
        bad.push(`${where}: ${inc} (not an embedded language we map)`);
      }
    });
    assert.deepEqual(bad, []);
    assert.deepEqual(Object.keys(repo).filter((k) => !used.has(k)), []);
  });

  it('every regex compiles in oniguruma and every begin has an end or a while', async () => {
    await getOnigLib();
    const problems: string[] = [];
    let count = 0;
    walk(readGrammar(), (obj, where) => {
      for (const key of ['match', 'begin', 'end', 'while']) {
        const re = obj[key];
        if (typeof re !== 'string') continue;
        count++;
        try {
          oniguruma.createOnigScanner([re]).dispose();
        } catch (e) {
          problems.push(`${where}.${key}: ${(e as Error).message}`);
        }
      }
      if ('begin' in obj && !('end' in obj) && !('while' in obj)) problems.push(`${where}: begin without end/while`);
    });
    assert.deepEqual(problems, []);
    assert.ok(count > 20, `only ${count} regexes found`);
  });
});

describe('grammar: syntax tests in test/grammar/*.http', () => {
  let grammar: vsctm.IGrammar;
  before(async () => {
    grammar = await loadHttpGrammar(true);
  });

  it('has at least 6 syntax-test files, each for our scope', () => {
    assert.ok(testFiles.length >= 6, `found ${testFiles.join(', ')}`);
    for (const f of testFiles) assert.equal(loadCase(f).scope, HTTP_SCOPE, f);
  });

  for (const file of testFiles) {
    it(`${file}: every assertion holds`, () => {
      const { failures, checked } = runSyntaxTest(grammar, loadCase(file));
      assert.ok(checked >= 10, `${file} has only ${checked} assertions`);
      assert.deepEqual(failures.map((f) => formatFailure(file, f)), []);
    });
  }

  it('the harness reports wrong and forbidden scopes', () => {
    const tc = parseSyntaxTest([
      '# SYNTAX TEST "source.http.authlint"',
      'GET https://example.test',
      '# <--- keyword.control.http',
      '#   ^^^ entity.name.tag.http',
      '#   ^^^ - const.language.http',
      '#                        ^ keyword.control.http',
    ].join('\n'));
    const { failures, checked } = runSyntaxTest(grammar, tc);
    assert.equal(checked, 4);
    assert.deepEqual(failures.map((f) => [f.from, f.missing, f.unexpected]), [
      [4, ['entity.name.tag.http'], []],
      [4, [], ['const.language.http']],
      [25, ['keyword.control.http'], []],
    ]);
  });

  it('without the JSON/XML grammars, our own scopes still hold (bodies still end at ###)', async () => {
    const bare = await loadHttpGrammar(false);
    const foreign = (s: string) => /\.(json|xml)$/.test(s) && !s.startsWith('meta.embedded.block.');
    let checked = 0;
    for (const file of testFiles) {
      const tc = loadCase(file);
      for (const la of tc.lines) {
        la.assertions = la.assertions.filter((a) => !a.scopes.some(foreign) && !a.exclude.some(foreign));
      }
      const r = runSyntaxTest(bare, tc);
      checked += r.checked;
      assert.deepEqual(r.failures.map((f) => formatFailure(file, f)), []);
    }
    assert.ok(checked > 100, `only ${checked} assertions ran`);
  });
});

describe('grammar: language-configuration.json', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string };
    autoClosingPairs: { open: string; close: string }[];
    brackets: [string, string][];
    folding: { markers: { start: string; end: string } };
  };

  it('uses # comments and auto-closes {{ }}, braces and quotes', () => {
    assert.equal(conf.comments.lineComment, '#');
    const pairs = conf.autoClosingPairs.map((p) => p.open + p.close);
    for (const p of ['{{}}', '{}', '[]', '""']) assert.ok(pairs.includes(p), p);
    assert.ok(conf.brackets.some(([o, c]) => o === '{' && c === '}'));
  });

  it('folds from each request line the grammar sees to the ### separator', async () => {
    const grammar = await loadHttpGrammar(true);
    const start = new RegExp(conf.folding.markers.start);
    const end = new RegExp(conf.folding.markers.end);
    let requests = 0;
    let separators = 0;
    for (const file of testFiles) {
      let state = vsctm.INITIAL;
      for (const line of loadCase(file).source) {
        const r = grammar.tokenizeLine(line, state);
        state = r.ruleStack;
        const first = r.tokens.find((t) => line.slice(t.startIndex, t.endIndex).trim() !== '');
        const scopes = first?.scopes ?? [];
        if (scopes.includes('keyword.control.http')) {
          requests++;
          assert.match(line, start, `${file}: request line not a folding start: ${line}`);
        } else if (scopes.includes('meta.separator.http')) {
          separators++;
          assert.match(line, end, `${file}: separator not a folding end: ${line}`);
        } else {
          assert.doesNotMatch(line, end, `${file}: folding end on a non-separator: ${line}`);
        }
      }
    }
    assert.ok(requests >= 15 && separators >= 15, `${requests} requests, ${separators} separators`);
  });
});
