// `authlint lint [PATH...]`: the files are linted as one project (facts shared across them), with
// each file's `authlint.config.json`, optionally through the cache, optionally fixing; one
// output; exit 0/1/2.
import { readFileSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';

import { LineIndex } from '../analysis/positions';
import type { Finding, LintResult, LintSettings, RuleId, Severity } from '../analysis/types';
import { ConfigError, ConfigResolver, toLintSettings, type LoadedConfig } from '../config/config';
import { contentHash, DEFAULT_CACHE_LOCATION, entryKey, LintCache, packageFactsKey, signatureOf } from './cache';
import { factsScope, lintProject } from './engine';
import { applyPreferredFixes, writeFixed } from './fix';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { HeapWatch } from './memory';
import { eachArg } from './io';
import { readSource } from './read-source';
import { walkFiles } from './walk';

declare const AUTHLINT_ENGINE_ID: string | undefined;

/** A fix in line/column terms (1-based), for SARIF. */
export interface CliFix {
  title: string;
  edits: Array<{ line: number; column: number; endLine: number; endColumn: number; text: string }>;
}

export interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: RuleId;
  severity: Severity;
  message: string;
  /** The flagged source text and its line, trimmed (stable across line shifts; fingerprints). */
  snippet?: string;
  fixes?: CliFix[];
}

export interface LintReport {
  findings: CliFinding[];
  files: number;
  errors: Array<{ file: string; message: string }>;
  /** How many folders or files could not be read (a subset of errors); not part of the JSON. */
  unreadable?: number;
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface LintOptions {
  /** `--config FILE`: one configuration for every file (no lookup). */
  config?: string;
  /** `--cache`: the cache folder. */
  cacheLocation?: string;
  fix?: boolean;
  /** Where cache problems are reported (once each). */
  warn?: (message: string) => void;
}

export const LINT_USAGE = `Usage: authlint lint [PATH...] [--format text|json|sarif] [--fix] [--config FILE]
                     [--cache] [--cache-location DIR] [--max-warnings N] [--quiet]
Lints JS/TS server code for HTTP authentication mistakes. Folders are walked for
.js .jsx .mjs .cjs .ts .tsx .mts .cts, skipping node_modules, test code and what .gitignore ignores.
Each file uses the nearest authlint.config.json up to its package root (--config names one).
  --fix               write the preferred fix of every fixable finding, report what remains
  --cache             reuse results of unchanged files (in node_modules/.cache/authlint)
  --max-warnings N    exit 1 when there are more than N warnings
  --quiet             report errors only
Exit 0: no findings; 1: findings (or too many warnings); 2: usage, configuration or internal error.`;

/**
 * A file being linted. Its content is read when needed: with --cache, a file whose stat
 * signature (size, mtime, ctime, inode) matches the one recorded with its content hash is not
 * read at all unless its result has findings or must be computed.
 */
class Source {
  private decoded?: string;
  /** The text after fixes, when --fix changed it. */
  fixed?: string;
  /** Set when the content read differs from the hash the stat signature promised. */
  raced = false;
  constructor(
    readonly file: string,
    readonly abs: string,
    public hash: string,
    readonly settings: LintSettings,
    readonly configDigest: string,
    text?: string,
  ) {
    this.decoded = text;
  }

  /** The text as read from disk. */
  get original(): string {
    if (this.decoded === undefined) {
      const bytes = readFileSync(this.file);
      if (contentHash(bytes) !== this.hash) this.raced = true;
      this.decoded = bytes.toString('utf8');
    }
    return this.decoded;
  }

  get text(): string {
    return this.fixed ?? this.original;
  }
}

function engineId(): string {
  return typeof AUTHLINT_ENGINE_ID === 'string' ? AUTHLINT_ENGINE_ID : 'dev';
}

/** Lints the files under `paths`. Throws ConfigError for an unusable configuration. */
export function lintPaths(paths: string[], options: LintOptions = {}): LintReport {
  const warn = options.warn ?? (() => undefined);
  const configs = new ConfigResolver(options.config);
  const files: string[] = [];
  const stats = new Map<string, Stats>();
  const report: LintReport = { findings: [], files: 0, errors: [], unreadable: 0 };
  const seen = new Set<string>(); // real paths: the same file named twice or reached twice is linted once
  for (const p of paths) {
    const walked = walkFiles(p, true, seen);
    report.errors.push(...walked.errors);
    report.unreadable! += walked.errors.length;
    for (const f of walked.files) {
      // a configuration's `ignores` leave a file out, unless it was named on the command line
      const config = configs.forFile(f);
      if (config?.ignores(f) && resolve(p) !== resolve(f)) continue;
      files.push(f);
      const st = walked.stats.get(f);
      if (st) stats.set(f, st);
    }
  }
  const cache = options.cacheLocation !== undefined ? new LintCache(options.cacheLocation, warn) : undefined;
  const sources: Source[] = [];
  const heap = new HeapWatch(files.length);
  for (const file of files) {
    heap.check(0);
    const abs = resolve(file);
    let text: string | undefined;
    let hash = cache?.knownHash(abs, stats.get(file));
    if (hash === undefined) {
      // regular files only, size checked before reading (never a device, a FIFO or a huge file)
      const r = readSource(file);
      if ('unreadable' in r) {
        report.errors.push({ file, message: r.unreadable });
        report.unreadable!++;
        continue;
      }
      if ('skipped' in r) {
        report.errors.push({ file, message: r.skipped });
        continue;
      }
      text = r.text;
      // the hash keys cache entries (only with a cache): of the bytes read, with the signature
      // of the open file taken before reading them
      hash = cache ? contentHash(r.bytes) : '';
      cache?.rememberHash(abs, hash, signatureOf(r.stat));
    }
    report.files++;
    const config: LoadedConfig | undefined = configs.forFile(file);
    sources.push(new Source(file, abs, hash, toLintSettings(config?.config), config?.digest ?? '', text));
  }

  const watch = (done: number) => heap.check(done);
  let results = lintSources(sources, cache, watch);
  const firstResults = results;
  const unwritten = new Set<Source>();
  if (options.fix) {
    for (let pass = 0; pass < 10; pass++) {
      let changed = false;
      sources.forEach((s, k) => {
        if (!results[k]!.findings.some((f) => f.fixes.length > 0)) return;
        const next = applyPreferredFixes(s.text, results[k]!.findings);
        if (next !== s.text) {
          s.fixed = next;
          s.hash = contentHash(next);
          changed = true;
        }
      });
      if (!changed) break;
      results = lintSources(sources, cache, watch);
    }
    for (const s of sources) {
      if (s.fixed === undefined || s.fixed === s.original) continue;
      const problem = writeFixed(s.file, s.original, s.text);
      if (problem) {
        report.errors.push({ file: s.file, message: problem });
        unwritten.add(s);
      }
    }
  }
  // a file that changed while it was read leaves the cache as it was
  if (cache && unwritten.size === 0 && !sources.some((s) => s.raced)) cache.save();

  sources.forEach((s, k) => {
    // a file whose fixes could not be written is reported as it is on disk
    const r = unwritten.has(s) ? firstResults[k]! : results[k]!;
    if (r.error) report.errors.push({ file: s.file, message: r.error });
    if (r.skipped) report.errors.push({ file: s.file, message: r.skipped });
    if (r.findings.length === 0) return;
    const text = unwritten.has(s) ? s.original : s.text;
    const li = new LineIndex(text);
    for (const f of r.findings) report.findings.push(toCliFinding(s.file, text, li, f));
  });
  return report;
}

/** Results for each source: from the cache when the key matches, else from the engine. */
function lintSources(sources: Source[], cache: LintCache | undefined, watch: (done: number) => void): LintResult[] {
  if (!cache) return lintProject(sources, watch);
  const out: Array<LintResult | undefined> = [];
  const keys: string[] = [];
  const misses = new Set<Source>();
  const factsKeys = new Map<readonly Source[], string>();
  sources.forEach((s, k) => {
    const scope = factsScope(s, sources);
    let fk = factsKeys.get(scope);
    if (fk === undefined) factsKeys.set(scope, (fk = packageFactsKey(scope)));
    keys[k] = entryKey(engineId(), s.configDigest, s.hash, fk);
    out[k] = cache.get(s.abs, keys[k]!);
    if (!out[k]) misses.add(s);
  });
  if (misses.size > 0) {
    // a miss is linted together with every file whose facts it sees
    const batch = new Set<Source>();
    const scopes = new Set<readonly Source[]>();
    for (const s of misses) {
      batch.add(s);
      const scope = factsScope(s, sources);
      if (scopes.has(scope)) continue;
      scopes.add(scope);
      for (const t of scope) batch.add(t);
    }
    const list: Source[] = [];
    const at: number[] = [];
    sources.forEach((s, k) => {
      if (!batch.has(s)) return;
      list.push(s);
      at.push(k);
    });
    const fresh = lintProject(list, watch);
    list.forEach((s, j) => {
      const k = at[j]!;
      if (!misses.has(s)) return;
      out[k] = fresh[j]!;
      cache.set(s.abs, keys[k]!, fresh[j]!);
    });
  }
  return out as LintResult[];
}

function toCliFinding(file: string, text: string, li: LineIndex, f: Finding): CliFinding {
  const s = li.position(f.range[0]);
  const e = li.position(f.range[1]);
  const lineStart = f.range[0] - s.column;
  const nl = text.indexOf('\n', f.range[0]);
  const lineText = text.slice(lineStart, nl < 0 ? text.length : nl).trim();
  const out: CliFinding = {
    file,
    line: s.line + 1,
    column: s.column + 1,
    endLine: e.line + 1,
    endColumn: e.column + 1,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    snippet: `${text.slice(f.range[0], f.range[1])}\n${lineText}`,
  };
  if (f.fixes.length) {
    out.fixes = f.fixes.map((x) => ({
      title: x.title,
      edits: x.edits.map((ed) => {
        const a = li.position(ed.range[0]);
        const b = li.position(ed.range[1]);
        return { line: a.line + 1, column: a.column + 1, endLine: b.line + 1, endColumn: b.column + 1, text: ed.text };
      }),
    }));
  }
  return out;
}

export function runLint(argv: string[], io: CliIo, version: string): number {
  let format = 'text';
  let quiet = false;
  let fix = false;
  let cache = false;
  let cacheLocation: string | undefined;
  let config: string | undefined;
  let maxWarnings: number | undefined;
  let help = false;
  const paths: string[] = [];
  const error = eachArg(argv, (name, value, raw) => {
    switch (name) {
      case '--format':
      case '-f':
        format = value() ?? '';
        return ['text', 'json', 'sarif'].includes(format) ? undefined : '--format must be text, json or sarif';
      case '--fix':
        fix = true;
        return undefined;
      case '--quiet':
        quiet = true;
        return undefined;
      case '--cache':
        cache = true;
        return undefined;
      case '--cache-location':
        cacheLocation = value();
        return cacheLocation ? undefined : '--cache-location needs a folder';
      case '--config':
      case '-c':
        config = value();
        return config ? undefined : '--config needs a file';
      case '--max-warnings': {
        const v = value() ?? '';
        if (!/^\d{1,9}$/.test(v)) return `--max-warnings needs a non-negative integer (got ${v || 'nothing'})`;
        maxWarnings = Number(v);
        return undefined;
      }
      case '--help':
      case '-h':
        help = true;
        return undefined;
      default:
        if (raw.startsWith('-') && raw !== '-') return `unknown option ${raw}`;
        paths.push(raw);
        return undefined;
    }
  });
  if (help) {
    io.stdout.write(LINT_USAGE + '\n');
    return 0;
  }
  if (error !== undefined) {
    io.stderr.write(`authlint lint: ${error}\n${LINT_USAGE}\n`);
    return 2;
  }
  const warned = new Set<string>();
  const warn = (m: string) => {
    if (warned.has(m)) return;
    warned.add(m);
    io.stderr.write(`authlint lint: ${m}\n`);
  };
  let report: LintReport;
  try {
    report = lintPaths(paths.length ? paths : ['.'], { config, fix, warn, cacheLocation: cache ? (cacheLocation ?? DEFAULT_CACHE_LOCATION) : undefined });
  } catch (err) {
    if (err instanceof ConfigError) io.stderr.write(`authlint lint: invalid configuration ${err.message}\n`);
    else io.stderr.write(`authlint lint: ${(err as Error).message}\n`);
    return 2;
  }
  // --max-warnings counts warnings even with --quiet (as ESLint does)
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  if (quiet) report = { ...report, findings: report.findings.filter((f) => f.severity === 'error') };
  io.stdout.write(format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report, version) : formatText(report));
  const tooMany = maxWarnings !== undefined && warnings > maxWarnings;
  if (tooMany) io.stderr.write(`authlint lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}\n`);
  if (report.files === 0 && (report.unreadable ?? 0) > 0) return 2; // nothing could be read
  return report.findings.length > 0 || tooMany ? 1 : 0;
}
