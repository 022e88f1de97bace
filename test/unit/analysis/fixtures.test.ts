// The fixture corpus: test/fixtures/rules/<rule-id>/<framework>/{valid,invalid}-<case>.{ts,js}.
// valid-* files must raise nothing; invalid-* files must raise exactly their inline
// annotations (see test/unit/support/annotations.ts). Where invalid-<case>.fixed.<ext> exists,
// applying every finding's first fix must give it byte for byte; UPDATE_GOLDENS=1 (outside CI)
// rewrites it. Adding a case means adding a file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintSource } from '../../../src/analysis/lint';
import { RULE_IDS } from '../../../src/analysis/types';
import { diffFindings, parseAnnotations } from '../support/annotations';
import { repoRoot, walkFiles } from '../support/fixture-files';
import { applyPreferredFixes } from '../support/fixes';

const RULES_DIR = path.join(repoRoot(), 'test', 'fixtures', 'rules');
const SOURCE = /^(valid|invalid)-[a-z0-9-]+\.(ts|js|tsx|jsx|mjs|cjs)$/;
const FIXED = /\.fixed\.(ts|js|tsx|jsx|mjs|cjs)$/;
const updating = process.env.UPDATE_GOLDENS === '1' && process.env.CI !== 'true';

const all = walkFiles(RULES_DIR);
const sources = all.filter((f) => !FIXED.test(f) && SOURCE.test(path.basename(f)));
const missingGoldens: string[] = [];
const written: string[] = [];

/**
 * The name the engine sees: `<framework>/<file>`. Not the real path, which lies under test/ and
 * fixtures/, where mock and test code is excluded from analysis by design.
 */
const engineName = (rel: string): string => rel.split('/').slice(1).join('/');

function goldenPath(rel: string): string {
  return rel.replace(/\.(\w+)$/, '.fixed.$1');
}

describe('rule fixtures', () => {
  it('the corpus exists and every file is named <valid|invalid>-<case>.<ext>', () => {
    assert.ok(sources.length > 0, `no fixtures under ${RULES_DIR}`);
    const stray = all.filter((f) => !SOURCE.test(path.basename(f)) && !FIXED.test(f) && !f.endsWith('.md'));
    assert.deepEqual(stray, [], 'files that the harness would silently ignore');
    const orphans = all.filter((f) => FIXED.test(f) && !all.includes(f.replace('.fixed.', '.')));
    assert.deepEqual(orphans, [], '.fixed files without their invalid-* source');
  });

  for (const rel of sources) {
    const [rule, framework] = rel.split('/');
    const file = path.basename(rel);
    const kind = file.startsWith('valid-') ? 'valid' : 'invalid';

    if (rule === '_parse-error') {
      it(`${rel} reports a parse error and no findings`, () => {
        const text = fs.readFileSync(path.join(RULES_DIR, rel), 'utf8');
        const result = lintSource(text, engineName(rel));
        assert.ok(result.error, 'expected lintSource to return an error for a file that does not parse');
        assert.deepEqual(result.findings, []);
      });
      continue;
    }

    it(`${framework}/${file} (${rule})`, () => {
      assert.ok((RULE_IDS as readonly string[]).includes(rule), `fixture folder "${rule}" is not a rule id`);
      const abs = path.join(RULES_DIR, rel);
      const text = fs.readFileSync(abs, 'utf8');
      const expected = parseAnnotations(text, RULE_IDS);
      if (kind === 'valid') assert.deepEqual(expected, [], 'valid-* files carry no annotations');
      else assert.ok(expected.length > 0, 'invalid-* files need at least one annotation');
      if (kind === 'invalid') {
        assert.ok(
          expected.some((e) => e.ruleId === rule),
          `an invalid fixture under ${rule}/ must expect at least one ${rule} finding`,
        );
      }

      const result = lintSource(text, engineName(rel));
      assert.equal(result.error, undefined, `the fixture must parse: ${result.error}`);
      assert.equal(result.skipped, undefined, `the fixture was skipped: ${result.skipped}`);
      const diff = diffFindings(text, expected, result.findings);
      if (diff) assert.fail(`${rel}: findings differ from the annotations\n${diff}`);
      if (kind === 'valid') return;

      const golden = path.join(RULES_DIR, goldenPath(rel));
      const fixable = result.findings.some((f) => f.fixes.length > 0);
      const fixed = applyPreferredFixes(text, result.findings).text;
      if (updating && fixable) {
        if (!fs.existsSync(golden) || fs.readFileSync(golden, 'utf8') !== fixed) {
          fs.writeFileSync(golden, fixed);
          written.push(goldenPath(rel));
        }
      }
      if (fs.existsSync(golden)) {
        assert.ok(fixable, `${goldenPath(rel)} exists but no finding offers a fix`);
        assert.equal(fixed, fs.readFileSync(golden, 'utf8'), `applying the preferred fixes must give ${goldenPath(rel)}`);
        const again = lintSource(fixed, engineName(rel));
        assert.equal(again.error, undefined, `the fixed text must still parse: ${again.error}`);
      } else if (fixable) {
        missingGoldens.push(goldenPath(rel));
      }
    });
  }

  after(() => {
    if (written.length) console.log(`\n  UPDATE_GOLDENS: wrote ${written.length} golden file(s):\n    ${written.join('\n    ')}`);
    if (missingGoldens.length) {
      console.log(
        `\n  notice: ${missingGoldens.length} fixable invalid fixture(s) have no .fixed golden yet ` +
          `(run with UPDATE_GOLDENS=1, then review):\n    ${missingGoldens.join('\n    ')}`,
      );
    }
  });
});
