// `authlint lint --cache`: per-file results in one JSON file under the cache folder. Each entry is
// keyed by the engine's identity, the file's configuration, its content and the content of every
// file whose facts it can see (packageFactsKey), so a cached result is never stale. A cache that
// cannot be read or written is reported once and otherwise ignored.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LintResult } from '../analysis/types';

export const DEFAULT_CACHE_LOCATION = join('node_modules', '.cache', 'authlint');
const CACHE_FILE = 'lint-results.json';
const FORMAT = 1;

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * The digest of the facts a file's package shares across its files. Until the engine exposes a
 * narrower digest of those facts, it is the hash of every file in scope (path and content):
 * editing a helper anywhere in scope invalidates its dependants.
 */
export function packageFactsKey(files: ReadonlyArray<{ file: string; hash: string }>): string {
  const h = createHash('sha1');
  for (const f of [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) h.update(`${resolve(f.file)}\0${f.hash}\0`);
  return h.digest('hex');
}

export function entryKey(engineId: string, configDigest: string, hash: string, factsKey: string): string {
  return createHash('sha1').update(`${FORMAT}\0${engineId}\0${configDigest}\0${hash}\0${factsKey}`).digest('hex');
}

interface Entry {
  key: string;
  result: LintResult;
}

export class LintCache {
  private entries = new Map<string, Entry>();
  private readonly file: string;
  private dirty = false;

  constructor(
    dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.file = join(dir, CACHE_FILE);
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`cannot read the cache ${this.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); linting without it`);
      return;
    }
    try {
      const data = JSON.parse(text) as { format?: unknown; entries?: unknown };
      if (data?.format !== FORMAT || typeof data.entries !== 'object' || data.entries === null || Array.isArray(data.entries)) throw new Error('not a cache of this version');
      for (const [file, e] of Object.entries(data.entries as Record<string, unknown>)) {
        if (validEntry(e)) this.entries.set(file, e);
        else throw new Error(`bad entry for ${file}`);
      }
    } catch (err) {
      this.entries.clear();
      this.dirty = true;
      this.warn(`the cache ${this.file} is corrupt (${(err as Error).message}); ignoring it, it will be rewritten`);
    }
  }

  get(file: string, key: string): LintResult | undefined {
    const e = this.entries.get(resolve(file));
    return e && e.key === key ? e.result : undefined;
  }

  set(file: string, key: string, result: LintResult): void {
    const abs = resolve(file);
    const prev = this.entries.get(abs);
    if (prev && prev.key === key) return;
    this.entries.set(abs, { key, result });
    this.dirty = true;
  }

  /** Writes the cache (temp file + rename); reports a failure through `warn` and goes on. */
  save(): void {
    if (!this.dirty) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, entries: Object.fromEntries(this.entries) }));
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        /* nothing was written */
      }
      this.warn(`cannot write the cache ${this.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); results were not cached`);
    }
  }
}

function validEntry(e: unknown): e is Entry {
  if (typeof e !== 'object' || e === null) return false;
  const { key, result } = e as { key?: unknown; result?: { findings?: unknown } };
  return typeof key === 'string' && typeof result === 'object' && result !== null && Array.isArray(result.findings) && result.findings.every(validFinding);
}

function validFinding(f: unknown): boolean {
  const x = f as { range?: unknown; ruleId?: unknown; message?: unknown; severity?: unknown; fixes?: unknown };
  return (
    typeof f === 'object' && f !== null && Array.isArray(x.range) && x.range.length === 2 && x.range.every((n) => Number.isInteger(n) && n >= 0) &&
    typeof x.ruleId === 'string' && typeof x.message === 'string' && typeof x.severity === 'string' && Array.isArray(x.fixes)
  );
}
