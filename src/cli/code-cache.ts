// Loading the engine bundle (the parser and TypeScript, about 11 MB of JavaScript) costs most of
// a cold language server's first diagnostics: V8 compiles it, then runs it. V8 can keep what it
// compiled (a code cache) and take it back next time, which skips most of the compile. Node 22
// does this with module.enableCompileCache(); for Node 20 the bundle is compiled here with
// vm.Script and its cachedData, kept in a folder of the user's own (the editor's storage, or the
// user's cache folder), never in the project and never in a folder others can write to: V8 runs
// what the cache holds. A cache V8 rejects (another Node or V8, another bundle) or whose digest
// does not match its data (damaged) is not used, and is made again.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';

/** Bytes of the SHA-256 digest that heads a cache file. */
const DIGEST = 32;

export type CodeCacheState = 'used' | 'made' | 'rejected' | 'off';

export interface Loaded {
  exports: unknown;
  state: CodeCacheState;
  /** Writes the cache (after the first analysis, so that what it compiled lazily is in it too). */
  save(): void;
}

/** The user's cache folder for AuthLint: $XDG_CACHE_HOME/authlint, else ~/.cache/authlint. */
export function defaultCodeCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME.startsWith('/') ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'authlint');
}

/**
 * A folder only this user can write to, created (0700) when missing; undefined when it is not
 * (owned by someone else, writable by the group or others) or cannot be made.
 */
export function privateDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (!st.isDirectory()) return undefined;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return undefined;
    if (process.platform !== 'win32' && (st.mode & 0o022) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * The bundle's text. esbuild writes ASCII (its default charset): read as bytes and taken as
 * Latin-1 when every byte is ASCII (the same string), which skips the UTF-8 decoder's 100 ms on
 * 11 MB; anything else is decoded as UTF-8.
 */
function bundleText(file: string): string {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * Loads a CommonJS bundle as `require` would (same module object, registered in require.cache),
 * compiling it with the code cache of `dir` when there is one.
 */
export function loadWithCodeCache(file: string, dir: string): Loaded {
  const st = statSync(file);
  const key = createHash('sha1').update(`${process.version}\0${process.arch}\0${file}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
  const cacheFile = join(dir, `engine-${key}.v8cache`);
  // V8 does not check the cache's integrity in release builds (a damaged one crashes the process):
  // the file starts with the SHA-256 of the data, checked before V8 sees a byte of it
  let cachedData: Buffer | undefined;
  let damaged = false;
  try {
    const raw = readFileSync(cacheFile);
    const data = raw.subarray(DIGEST);
    if (raw.length > DIGEST && createHash('sha256').update(data).digest().equals(raw.subarray(0, DIGEST))) cachedData = data;
    else damaged = true;
  } catch {
    cachedData = undefined;
  }
  const source = bundleText(file);
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const state: CodeCacheState = damaged || (cachedData && script.cachedDataRejected) ? 'rejected' : cachedData ? 'used' : 'made';
  const mod = new Module(file, require.main ?? undefined) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dirname(file));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  require.cache[file] = mod as unknown as NodeJS.Module;
  let saved = state === 'used';
  return {
    exports: mod.exports,
    state,
    save() {
      if (saved) return;
      saved = true;
      try {
        const data = script.createCachedData();
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, Buffer.concat([createHash('sha256').update(data).digest(), data]), { mode: 0o600 });
        renameSync(tmp, cacheFile);
      } catch {
        // a cache that cannot be written only costs the next start its compile
      }
    },
  };
}
