// Rule docs and fixture folders stay in step with the rule list, and the docs' examples are
// linted: every ❌ block must raise its rule, every ✅ block must raise nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintSource } from '../../../src/analysis/lint';
import { RULE_META } from '../../../src/analysis/rule-meta';
import { RULE_IDS, type RuleId } from '../../../src/analysis/types';
import { repoRoot, subdirs } from '../support/fixture-files';

const ROOT = repoRoot();
const DOCS = path.join(ROOT, 'docs', 'rules');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'rules');
const HEADINGS = ['## Why', '## Examples', '## Fix', '## Options', '## References'];

/** The frameworks whose fixture folders every rule must have (all of them can make each mistake). */
const FRAMEWORKS = ['node-http', 'express', 'koa', 'fastify', 'nestjs', 'hapi', 'hono', 'web-response', 'http-errors'];

export interface DocExample {
  verdict: 'wrong' | 'right';
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/**
 * Fenced js/ts blocks whose closest non-blank line above contains ❌ (wrong) or ✅ (right).
 * Other blocks are returned with no verdict only through `unmarked`.
 */
export function docExamples(markdown: string): { examples: DocExample[]; unmarked: number[] } {
  const lines = markdown.split(/\r?\n/);
  const examples: DocExample[] = [];
  const unmarked: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```\s*(js|javascript|ts|typescript)\s*$/.exec(lines[i]);
    if (!open) {
      if (/^```/.test(lines[i])) {
        // some other fence: skip its body
        for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++);
      }
      continue;
    }
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    const marker = j >= 0 ? lines[j] : '';
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const lang = open[1].startsWith('t') ? 'ts' : 'js';
    if (marker.includes('❌')) examples.push({ verdict: 'wrong', lang, code: body.join('\n') + '\n', line: start + 1 });
    else if (marker.includes('✅')) examples.push({ verdict: 'right', lang, code: body.join('\n') + '\n', line: start + 1 });
    else unmarked.push(start + 1);
  }
  return { examples, unmarked };
}

function readDoc(id: string): string {
  return fs.readFileSync(path.join(DOCS, `${id}.md`), 'utf8');
}

describe('rule docs and fixture coverage', () => {
  it('docs/rules/*.md are exactly the rule ids', () => {
    const names = fs.existsSync(DOCS)
      ? fs.readdirSync(DOCS).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)).sort()
      : [];
    assert.deepEqual(names, [...RULE_IDS].sort());
  });

  it('the fixture folders are exactly the rule ids (plus _parse-error)', () => {
    assert.deepEqual(subdirs(FIXTURES).filter((d) => d !== '_parse-error'), [...RULE_IDS].sort());
  });

  for (const id of RULE_IDS) {
    describe(id, () => {
      it('the doc starts with its id, states the summary and has every section', () => {
        const doc = readDoc(id);
        assert.equal(doc.split(/\r?\n/)[0], `# ${id}`);
        assert.ok(doc.includes(RULE_META[id].summary), `the doc must contain the summary: ${RULE_META[id].summary}`);
        const headings = doc.split(/\r?\n/).filter((l) => l.startsWith('## '));
        for (const h of HEADINGS) assert.ok(headings.includes(h), `missing heading "${h}"`);
        assert.deepEqual(
          headings.filter((h) => HEADINGS.includes(h)),
          HEADINGS,
          'sections in the order Why, Examples, Fix, Options, References',
        );
        for (const ref of RULE_META[id].refs) assert.ok(doc.includes(ref), `the doc must cite ${ref}`);
      });

      it('every js block in Examples is marked ❌ or ✅, with at least one of each', () => {
        const doc = readDoc(id);
        const examples = doc.slice(doc.indexOf('## Examples'), doc.indexOf('## Fix'));
        const { examples: ex, unmarked } = docExamples(examples);
        assert.deepEqual(unmarked, [], 'code blocks in ## Examples need a ❌ or ✅ line above them');
        assert.ok(ex.some((e) => e.verdict === 'wrong'), 'no ❌ example');
        assert.ok(ex.some((e) => e.verdict === 'right'), 'no ✅ example');
      });

      it('its ❌ examples raise the rule and its ✅ examples raise nothing', () => {
        const { examples } = docExamples(readDoc(id));
        const problems: string[] = [];
        for (const e of examples) {
          const result = lintSource(e.code, `docs-example.${e.lang}`);
          if (result.error) {
            problems.push(`line ${e.line}: the example does not parse: ${result.error}`);
            continue;
          }
          const ids = result.findings.map((f) => f.ruleId);
          if (e.verdict === 'wrong' && !ids.includes(id as RuleId)) {
            problems.push(`line ${e.line}: ❌ example raises [${ids.join(', ')}], not ${id}`);
          }
          if (e.verdict === 'right' && ids.length > 0) problems.push(`line ${e.line}: ✅ example raises [${ids.join(', ')}]`);
        }
        assert.deepEqual(problems, []);
      });

      for (const fw of FRAMEWORKS) {
        it(`has valid and invalid fixtures for ${fw}`, () => {
          const dir = path.join(FIXTURES, id, fw);
          const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
          assert.ok(files.some((f) => f.startsWith('valid-')), `no valid-* fixture in ${id}/${fw}`);
          assert.ok(files.some((f) => f.startsWith('invalid-') && !f.includes('.fixed.')), `no invalid-* fixture in ${id}/${fw}`);
        });
      }
    });
  }
});
