// Helpers of the labelled-corpus evaluation (test/corpus/*.json over real npm packages).
// Pure functions plus file access; the mocha suite lives in corpus.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSourceFile, isTestPath } from '../../../src/analysis/paths';
import { RULE_IDS, type RuleId } from '../../../src/analysis/types';

export interface CorpusPackage {
  name: string;
  version: string;
  /** Path prefixes (relative to the package root) to lint; everything when absent. */
  include?: string[];
  /** Regular expressions of relative paths to leave out. */
  exclude?: string[];
}

export interface PositiveLabel {
  line: number;
  ruleId: RuleId;
  why: string;
  /** Other acceptable anchors, "relpath:line" (e.g. the throw sites of an error class). */
  alt?: string[];
}

export interface NegativeLabel {
  line: number;
  why: string;
}

export interface FileLabels {
  findings: PositiveLabel[];
  negatives: NegativeLabel[];
}

export type Labels = Record<string, { files: Record<string, FileLabels> }>;

/** The folder holding the project's package.json, found by walking up from here. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'authlint') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json of authlint not found above ' + __dirname);
    dir = up;
  }
}

export function loadPackages(root: string): CorpusPackage[] {
  return JSON.parse(fs.readFileSync(path.join(root, 'test/corpus/packages.json'), 'utf8')).packages;
}

export function loadLabels(root: string): Labels {
  return JSON.parse(fs.readFileSync(path.join(root, 'test/corpus/labels.json'), 'utf8'));
}

export function packageKey(p: CorpusPackage): string {
  return `${p.name}@${p.version}`;
}

export function packageDir(root: string, p: CorpusPackage): string {
  return path.join(root, '.cache', 'corpus', packageKey(p));
}

// Type-level test files (tstyche `.tst.ts`, tsd `.test-d.ts`) are never run as server code.
const TYPE_TEST_FILE = /\.(?:tst|test-d)\.[cm]?ts$/;

/**
 * The skip list of the CLI's folder walk (src/analysis/paths.ts: test, mock and fixture folders,
 * `*.test.*` / `*.spec.*`, declarations) plus node_modules and type-level test files.
 * `examples/` is NOT skipped: example servers are real code that users copy.
 */
export function isSkippedPath(rel: string): boolean {
  if (rel.split('/').includes('node_modules')) return true;
  return !isSourceFile(rel) || isTestPath(rel) || TYPE_TEST_FILE.test(rel);
}

export function inScope(p: CorpusPackage, rel: string): boolean {
  if (isSkippedPath(rel)) return false;
  if (p.include && !p.include.some((pre) => rel === pre || rel.startsWith(pre))) return false;
  if (p.exclude && p.exclude.some((re) => new RegExp(re).test(rel))) return false;
  return true;
}

/** Relative paths (with `/`) of every file of the package that the corpus lints. */
export function listFiles(p: CorpusPackage, dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        if (ent.name !== 'node_modules') walk(path.join(abs, ent.name), r);
      } else if (ent.isFile() && inScope(p, r)) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

export interface Reported {
  pkg: string;
  file: string;
  line: number;
  ruleId: RuleId;
  message: string;
}

export interface ExpectedLabel extends PositiveLabel {
  pkg: string;
  file: string;
}

export function expectedLabels(labels: Labels): ExpectedLabel[] {
  const out: ExpectedLabel[] = [];
  for (const [pkg, { files }] of Object.entries(labels)) {
    for (const [file, f] of Object.entries(files)) for (const l of f.findings) out.push({ ...l, pkg, file });
  }
  return out;
}

/** Anchors of a label: its own line and its alternatives, each as [file, line]. */
function anchors(l: ExpectedLabel): Array<[string, number]> {
  const list: Array<[string, number]> = [[l.file, l.line]];
  for (const a of l.alt ?? []) {
    const i = a.lastIndexOf(':');
    list.push([a.slice(0, i), Number(a.slice(i + 1))]);
  }
  return list;
}

/** Distance of a finding to a label (smallest over its anchors), or Infinity if outside tolerance. */
function distance(l: ExpectedLabel, r: Reported): number {
  if (l.pkg !== r.pkg || l.ruleId !== r.ruleId) return Infinity;
  let best = Infinity;
  for (const [file, line] of anchors(l)) {
    if (file === r.file && Math.abs(line - r.line) <= 1) best = Math.min(best, Math.abs(line - r.line));
  }
  return best;
}

export interface RuleCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Score {
  tp: number;
  fp: Reported[];
  fn: ExpectedLabel[];
  duplicates: Reported[];
  perRule: Record<RuleId, RuleCounts>;
  precision: number;
  recall: number;
}

/**
 * Matching rule: a finding matches a positive label when package, file and rule id agree and its
 * line is within ±1 of the label's line or of one of the label's `alt` anchors. Each label is
 * matched by at most one finding (closest first); further findings that also fall on that label's
 * anchors are duplicates (one defect reported twice) and count neither as hits nor as false
 * positives. Every other finding is a false positive.
 */
export function score(expected: ExpectedLabel[], reported: Reported[]): Score {
  const perRule = Object.fromEntries(RULE_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }])) as Record<RuleId, RuleCounts>;
  const pairs: Array<{ li: number; ri: number; d: number }> = [];
  expected.forEach((l, li) => reported.forEach((r, ri) => {
    const d = distance(l, r);
    if (d !== Infinity) pairs.push({ li, ri, d });
  }));
  pairs.sort((a, b) => a.d - b.d || a.li - b.li || a.ri - b.ri);
  const labelHit = new Set<number>();
  const findingUsed = new Set<number>();
  for (const { li, ri } of pairs) {
    if (labelHit.has(li) || findingUsed.has(ri)) continue;
    labelHit.add(li);
    findingUsed.add(ri);
    perRule[expected[li].ruleId].tp++;
  }
  const duplicates: Reported[] = [];
  const fp: Reported[] = [];
  reported.forEach((r, ri) => {
    if (findingUsed.has(ri)) return;
    if (pairs.some((p) => p.ri === ri)) duplicates.push(r);
    else {
      fp.push(r);
      perRule[r.ruleId].fp++;
    }
  });
  const fn = expected.filter((_, li) => !labelHit.has(li));
  for (const l of fn) perRule[l.ruleId].fn++;
  const tp = labelHit.size;
  return {
    tp, fp, fn, duplicates, perRule,
    precision: tp + fp.length === 0 ? 0 : tp / (tp + fp.length),
    recall: expected.length === 0 ? 0 : tp / expected.length,
  };
}

/** Negative labels keyed "pkg|file|line", to say when a false positive hits a reviewed site. */
export function negativeIndex(labels: Labels): Map<string, string> {
  const m = new Map<string, string>();
  for (const [pkg, { files }] of Object.entries(labels)) {
    for (const [file, f] of Object.entries(files)) for (const n of f.negatives) m.set(`${pkg}|${file}|${n.line}`, n.why);
  }
  return m;
}

export function formatReport(s: Score, negatives: Map<string, string>, stats: { packages: number; files: number; errors: string[] }): string {
  const pct = (x: number) => (x * 100).toFixed(1) + '%';
  const lines: string[] = [];
  lines.push(`corpus: ${stats.packages} packages, ${stats.files} files linted, ${stats.errors.length} parse errors`);
  lines.push(`hits ${s.tp}, false positives ${s.fp.length}, misses ${s.fn.length}, duplicates ${s.duplicates.length}`);
  lines.push(`precision ${s.tp + s.fp.length ? pct(s.precision) : 'n/a (no findings)'}, recall ${pct(s.recall)}`);
  lines.push('per rule (hit / false positive / miss):');
  for (const id of RULE_IDS) {
    const c = s.perRule[id];
    lines.push(`  ${id.padEnd(34)} ${c.tp} / ${c.fp} / ${c.fn}`);
  }
  if (s.fp.length) lines.push('false positives:');
  for (const r of s.fp) {
    const neg = negatives.get(`${r.pkg}|${r.file}|${r.line}`);
    lines.push(`  ${r.pkg} ${r.file}:${r.line} ${r.ruleId}: ${r.message}${neg ? `  [labelled negative: ${neg}]` : ''}`);
  }
  if (s.fn.length) lines.push('misses:');
  for (const l of s.fn) lines.push(`  ${l.pkg} ${l.file}:${l.line} ${l.ruleId}: ${l.why}`);
  for (const e of stats.errors) lines.push(`  parse error: ${e}`);
  return lines.join('\n');
}
