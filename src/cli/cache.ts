// `authlint lint --cache`: per-file results in one JSON file under the cache folder. Each entry is
// keyed by the engine's identity, the file's configuration, its content and the content of every
// file whose facts it can see (packageFactsKey), so a cached result is never stale. Content
// hashes are remembered with each file's stat signature (size, mtime, ctime, inode):
// an unchanged file is not read again; a file whose timestamps are too close to the cache's
// writing to be told apart is ("racy" files, as git does). A cache that cannot be read or
// written is reported once and otherwise ignored.
import * as crypto from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LintResult } from '../analysis/types';

export const DEFAULT_CACHE_LOCATION = join('node_modules', '.cache', 'authlint');
const CACHE_FILE = 'lint-results.json';
const FORMAT = 3;
/** A file changed this close to the cache's writing may share its timestamps: hash it again. */
const RACY_MS = 2000;

const { createHash } = crypto;
/** One-shot hashing (Node >= 20.12) skips the Hash object; the digest is the same. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;

/** The hash of a file's UTF-8 content (a string is hashed as its UTF-8 bytes). */
export function contentHash(content: string | Buffer): string {
  return oneShot ? oneShot('sha1', content, 'hex') : createHash('sha1').update(content).digest('hex');
}

/**
 * The digest of the facts a file's package shares across its files. Until the engine exposes a
 * narrower digest of those facts, it is the hash of every file in scope (path and content):
 * editing a helper anywhere in scope invalidates its dependants.
 */
export function packageFactsKey(files: ReadonlyArray<{ file: string; abs?: string; hash: string }>): string {
  const h = createHash('sha1');
  for (const f of [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) h.update(`${f.abs ?? resolve(f.file)}\0${f.hash}\0`);
  return h.digest('hex');
}

export function entryKey(engineId: string, configDigest: string, hash: string, factsKey: string): string {
  return createHash('sha1').update(`${FORMAT}\0${engineId}\0${configDigest}\0${hash}\0${factsKey}`).digest('hex');
}

interface Entry {
  key: string;
  result: LintResult;
}

/** What identifies a file's content without reading it: size, mtime, ctime, inode, device. */
export function signatureOf(st: Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${st.dev}`;
}

function statSignature(abs: string): { sig: string; changedMs: number } | undefined {
  try {
    const st = statSync(abs);
    return { sig: signatureOf(st), changedMs: Math.max(st.ctimeMs, st.mtimeMs) };
  } catch {
    return undefined;
  }
}

export class LintCache {
  private entries = new Map<string, Entry>();
  /** Content hashes by absolute path and stat signature, as of the last write. */
  private hashes = new Map<string, { sig: string; hash: string }>();
  private writtenMs = 0;
  private readonly file: string;
  private dirty = false;

  /** A problem with the cache is reported once: one that cannot be read cannot be written either. */
  private reported = false;
  private readonly warn: (message: string) => void;

  constructor(dir: string, warn: (message: string) => void) {
    this.warn = (message) => {
      if (this.reported) return;
      this.reported = true;
      warn(message);
    };
    this.file = join(dir, CACHE_FILE);
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      // none yet (ENOTDIR: a file where a folder should be, which the write then reports)
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.warn(`cannot read the cache ${this.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); linting without it`);
      return;
    }
    try {
      const data = JSON.parse(text) as { format?: unknown; entries?: unknown; hashes?: unknown; writtenMs?: unknown };
      if (typeof data?.format === 'number' && data.format !== FORMAT) {
        // another version's cache: start afresh, nothing to report
        this.dirty = true;
        return;
      }
      if (data?.format !== FORMAT || !isRecord(data.entries) || !isRecord(data.hashes) || typeof data.writtenMs !== 'number' || !Number.isFinite(data.writtenMs)) throw new Error('not a cache of this version');
      for (const [file, e] of Object.entries(data.entries)) {
        if (validEntry(e)) this.entries.set(file, e);
        else throw new Error(`bad entry for ${file}`);
      }
      for (const [file, h] of Object.entries(data.hashes)) {
        const { sig, hash } = (h ?? {}) as { sig?: unknown; hash?: unknown };
        if (typeof sig === 'string' && typeof hash === 'string' && /^[0-9a-f]{40}$/.test(hash)) this.hashes.set(file, { sig, hash });
        else throw new Error(`bad hash for ${file}`);
      }
      this.writtenMs = data.writtenMs;
    } catch (err) {
      this.entries.clear();
      this.hashes.clear();
      this.dirty = true;
      this.warn(`the cache ${this.file} is corrupt (${(err as Error).message}); ignoring it, it will be rewritten`);
    }
  }

  /**
   * The content hash of a file whose stat signature is the one recorded with the hash, and that
   * did not change within RACY_MS of the cache's writing (timestamps too coarse to tell). Else
   * undefined: read and hash the file. `st` is the file's status if just taken (the walk's).
   */
  knownHash(abs: string, st?: Stats): string | undefined {
    const known = this.hashes.get(abs);
    if (!known) return undefined;
    const now = st ? { sig: signatureOf(st), changedMs: Math.max(st.ctimeMs, st.mtimeMs) } : statSignature(abs);
    if (!now || now.sig !== known.sig || now.changedMs + RACY_MS >= this.writtenMs) return undefined;
    return known.hash;
  }

  /**
   * Records the hash of content just read with the signature of the open file taken before
   * reading it (signatureOf): a change during the read changes the signature, so the next run
   * reads the file again.
   */
  rememberHash(abs: string, hash: string, sig: string | undefined): void {
    const prev = this.hashes.get(abs);
    if (!sig) return;
    if (prev && prev.sig === sig && prev.hash === hash) return;
    this.hashes.set(abs, { sig, hash });
    this.dirty = true;
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
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, writtenMs: Date.now(), entries: Object.fromEntries(this.entries), hashes: Object.fromEntries(this.hashes) }));
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
