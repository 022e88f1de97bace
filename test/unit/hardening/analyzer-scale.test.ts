// The analyzer over real code at scale: every JS/TS file of a few large npm packages (fetched by
// scripts/fetch-stress-corpus.mjs, cached, not committed), seeded mutants of them, 5,000-deep
// nestings, a minified bundle and a 10 MB file. Zero exceptions, an unparsable file gives
// `error`, an oversized one `skipped` with a message, and results are identical run to run.
// Counts and the slowest files are printed; the per-file bound is a hang detector only.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { analyze, findingsOf, lintSource, projectFactsOf } from '../../../src/analysis/lint';
import type { LintResult } from '../../../src/analysis/types';
import { rng } from './support';
import { corpusFiles, deepNestings, ensureStressCorpus, minifiedBundle, mutants, tenMegabytes, type Input } from './stress-inputs';

/** A comment that lets every file past the linter's cheap prefilter, into the parser and rules. */
const FORCE = '\n// 401\n';
const HANG_MS = 20_000;
const SLOW_MS = 1000;

type Timed = { id: string; ms: number; result: LintResult };

function lintTimed(input: Input, slow: Array<[string, number]>): Timed {
  const t = process.hrtime.bigint();
  let result: LintResult;
  try {
    result = lintSource(input.text, input.fileName);
  } catch (err) {
    throw new Error(`lintSource threw on ${input.id}: ${(err as Error).stack ?? String(err)}`);
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (ms > SLOW_MS) slow.push([input.id, Math.round(ms)]);
  assert.ok(ms < HANG_MS, `${input.id} took ${ms.toFixed(0)} ms`);
  return { id: input.id, ms, result };
}

function shape(r: LintResult): string {
  return JSON.stringify(r);
}

describe('hardening: the analyzer over real packages and mutants of them', function () {
  this.timeout(300_000);
  let dir: string;
  let files: string[];
  const counts = { files: 0, parsedClean: 0, findings: 0, errors: 0, skipped: 0, mutants: 0, mutantErrors: 0, mutantSkipped: 0 };
  const kinds: Record<string, { inputs: number; errors: number }> = {};
  const slow: Array<[string, number]> = [];
  const tally = (id: string, r: LintResult): void => {
    const kind = id.startsWith('mutant:') ? id.split(':')[2]! : id.split(':')[0]!;
    const k = (kinds[kind] ??= { inputs: 0, errors: 0 });
    k.inputs++;
    if (r.error) k.errors++;
  };
  const first = new Map<string, string>();

  before(function () {
    dir = ensureStressCorpus();
    files = corpusFiles(dir);
    assert.ok(files.length > 1000, `only ${files.length} files in the stress corpus`);
  });

  after(() => {
    slow.sort((a, b) => b[1] - a[1]);
    console.log(`      stress corpus: ${JSON.stringify(counts)}`);
    console.log(`      inputs (errors) by kind: ${Object.entries(kinds).map(([k, v]) => `${k} ${v.inputs} (${v.errors})`).join(', ')}`);
    if (slow.length) console.log(`      slower than ${SLOW_MS} ms: ${slow.slice(0, 8).map(([id, ms]) => `${id} ${ms} ms`).join('; ')}`);
  });

  it('lints every JS/TS file of the packages through the parser and rules, project by project: no exception', () => {
    const byPackage = new Map<string, string[]>();
    for (const f of files) {
      const pkg = relative(dir, f).split('/').slice(0, relative(dir, f).startsWith('@') ? 2 : 1).join('/');
      byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), f]);
    }
    assert.equal(byPackage.size, 5);
    for (const [, list] of byPackage) {
      const analyses = list.map((f) => {
        const text = readFileSync(f, 'utf8') + FORCE;
        const t = Date.now();
        const a = analyze(text, f);
        if (Date.now() - t > SLOW_MS) slow.push([relative(dir, f), Date.now() - t]);
        return { f, a };
      });
      const project = projectFactsOf(analyses.map((x) => x.a));
      for (const { f, a } of analyses) {
        const r = findingsOf(a, {}, project);
        counts.files++;
        counts.findings += r.findings.length;
        if (r.error) counts.errors++;
        else if (r.skipped) {
          counts.skipped++;
          assert.match(r.skipped, /over the \d+ limit \(authlint\.lint\.maxFileSize\)/);
        } else counts.parsedClean++;
        for (const x of r.findings) assert.ok(x.range[0] >= 0 && x.range[0] <= x.range[1], `${f}: ${x.ruleId} ${x.range.join('-')}`);
      }
    }
    // Real, published code parses: only the files over the size limit (typescript.js, _tsc.js) are left out.
    assert.equal(counts.errors, 0);
    assert.ok(counts.skipped >= 2);
  });

  it('lints seeded mutants (truncated, bytes flipped, not UTF-8, spliced): an error or a result, never an exception', () => {
    const list = mutants(dir, files, 20261124, 80);
    for (const m of list) {
      const r = lintTimed({ ...m, text: m.text + FORCE }, slow).result;
      counts.mutants++;
      if (r.error) {
        counts.mutantErrors++;
        assert.match(r.error, /^\d+:\d+: \S/, `${m.id}: the error says where: ${r.error}`);
      }
      if (r.skipped) counts.mutantSkipped++;
      tally(m.id, r);
      first.set(m.id, shape(r));
    }
    assert.ok(counts.mutantErrors > 0, 'truncated files do not parse');
  });

  it('survives 5,000-deep nestings of every kind: a result or an error, never an exception', () => {
    for (const input of deepNestings(5000)) {
      const r = lintTimed(input, slow).result;
      counts.mutants++;
      if (r.error) counts.mutantErrors++;
      tally(input.id, r);
      first.set(input.id, shape(r));
    }
  });

  it('lints a real minified bundle (hono + its auth middleware, by esbuild) without error', () => {
    const bundle = minifiedBundle(dir);
    assert.ok(bundle.text.length > 100_000 && bundle.text.split('\n').length < 200, 'a minified bundle');
    const r = lintTimed(bundle, slow).result;
    assert.equal(r.error, undefined);
    counts.mutants++;
    first.set(bundle.id, shape(r));
  });

  it('skips a 10 MB file with a message naming the limit, without parsing it', () => {
    const big = tenMegabytes(files);
    assert.ok(big.text.length > 10 * 1024 * 1024);
    const r = lintTimed(big, slow);
    assert.match(r.result.skipped ?? '', /^skipped: \d+ characters is over the 2000000 limit \(authlint\.lint\.maxFileSize\)$/);
    assert.deepEqual(r.result.findings, []);
    counts.mutants++;
    counts.mutantSkipped++;
  });

  it('gives identical results on a second run (a seeded sample of the corpus, every mutant)', () => {
    const rand = rng(7);
    const sample = files.filter(() => rand() < 0.08);
    for (const f of sample) {
      const text = readFileSync(f, 'utf8') + FORCE;
      assert.equal(shape(lintSource(text, f)), shape(lintSource(text, f)), f);
    }
    const again = [...mutants(dir, files, 20261124, 80).map((m) => ({ ...m, text: m.text + FORCE })), ...deepNestings(5000), minifiedBundle(dir)];
    for (const m of again) assert.equal(shape(lintSource(m.text, m.fileName)), first.get(m.id), m.id);
  });
});
