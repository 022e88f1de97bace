// `authlint.config.json`: found from a linted file upwards (never past its package root, the
// folder of the nearest package.json), validated with line and column, turned into the engine's
// LintSettings. Pure: no vscode; used by the CLI, the ESLint plugin and the extension.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { RULE_IDS, type LintSettings, type RuleId, type RuleLevel } from '../analysis/types';
import { JsonSyntaxError, lineColumn, parseJsonLocated } from './json';

export const CONFIG_FILE_NAME = 'authlint.config.json';
const LEVELS: readonly string[] = ['off', 'info', 'warning', 'error'];
const KEYS = ['$schema', 'rules', 'ignores', 'defaultChallenge', 'defaultProxyChallenge', 'maxFileSize'];

/** The file's content, as the contract shapes it. */
export interface AuthlintConfig {
  rules?: Partial<Record<RuleId, RuleLevel>>;
  ignores?: string[];
  defaultChallenge?: string;
  defaultProxyChallenge?: string;
  maxFileSize?: number;
}

export interface LoadedConfig {
  /** Absolute path of the file. */
  file: string;
  config: AuthlintConfig;
  /** True when `file` matches one of `ignores` (relative to the configuration's folder). */
  ignores(file: string): boolean;
  /** A stable string of the content that changes the findings (part of the cache key). */
  digest: string;
}

/** A configuration that cannot be used: where and why. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
  }
}

/** Parses and validates the text of a configuration file; throws ConfigError. */
export function parseConfig(text: string, file: string): AuthlintConfig {
  let located;
  try {
    located = parseJsonLocated(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      const p = lineColumn(text, err.offset);
      throw new ConfigError(file, p.line, p.column, `invalid JSON: ${err.message}`);
    }
    throw err;
  }
  const at = (pointer: string, problem: string, onKey = false): never => {
    const p = lineColumn(text, (onKey ? located.keys.get(pointer) : undefined) ?? located.offsets.get(pointer) ?? 0);
    throw new ConfigError(file, p.line, p.column, problem);
  };
  const root = located.value;
  if (!isObject(root)) return at('', 'the configuration must be a JSON object');
  const out: AuthlintConfig = {};
  for (const key of Object.keys(root)) {
    const v = root[key];
    const ptr = `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    switch (key) {
      case '$schema':
        if (typeof v !== 'string') at(ptr, '"$schema" must be a string');
        break;
      case 'rules': {
        if (!isObject(v)) return at(ptr, '"rules" must be an object mapping rule ids to "off", "info", "warning" or "error"');
        const rules: Partial<Record<RuleId, RuleLevel>> = {};
        for (const id of Object.keys(v)) {
          const rp = `${ptr}/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          if (!(RULE_IDS as readonly string[]).includes(id)) at(rp, `unknown rule id "${id}"; the rules are: ${RULE_IDS.join(', ')}`, true);
          const level = v[id];
          if (typeof level !== 'string' || !LEVELS.includes(level)) at(rp, `rule "${id}": the level must be "off", "info", "warning" or "error" (got ${JSON.stringify(level)})`);
          rules[id as RuleId] = level as RuleLevel;
        }
        out.rules = rules;
        break;
      }
      case 'ignores':
        if (!Array.isArray(v)) return at(ptr, '"ignores" must be an array of glob strings');
        v.forEach((g, k) => {
          if (typeof g !== 'string' || g.trim() === '') at(`${ptr}/${k}`, '"ignores" entries must be non-empty glob strings');
        });
        out.ignores = v as string[];
        break;
      case 'defaultChallenge':
      case 'defaultProxyChallenge':
        if (typeof v !== 'string' || v.trim() === '') at(ptr, `"${key}" must be a non-empty string, e.g. ${key === 'defaultChallenge' ? '"Bearer realm=\\"api\\""' : '"Basic realm=\\"proxy\\""'}`);
        out[key] = v as string;
        break;
      case 'maxFileSize':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) at(ptr, '"maxFileSize" must be a positive integer (characters)');
        out.maxFileSize = v as number;
        break;
      default:
        at(ptr, `unknown property "${key}"; allowed: ${KEYS.join(', ')}`, true);
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads, parses and validates one configuration file; throws ConfigError. */
export function loadConfigFile(file: string): LoadedConfig {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ConfigError(file, 1, 1, `cannot read the configuration: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const config = parseConfig(text, file);
  const base = dirname(abs);
  let ig: Ignore | undefined;
  if (config.ignores?.length) {
    try {
      ig = ignore().add(config.ignores);
    } catch (err) {
      throw new ConfigError(file, 1, 1, `"ignores": ${(err as Error).message}`);
    }
  }
  return {
    file: abs,
    config,
    ignores(target: string): boolean {
      if (!ig) return false;
      const rel = relative(base, resolve(target)).split(sep).join('/');
      if (!rel || rel.startsWith('../') || rel === '..' || isAbsolute(rel)) return false;
      return ig.ignores(rel);
    },
    digest: JSON.stringify([config.rules ?? {}, config.defaultChallenge ?? '', config.defaultProxyChallenge ?? '', config.maxFileSize ?? 0]),
  };
}

/** The folder of the nearest package.json at or above `dir`, if any. */
export function packageRootOf(dir: string, exists: (path: string) => boolean = existsSync): string | undefined {
  for (let d = resolve(dir); ; ) {
    if (exists(join(d, 'package.json'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/**
 * Finds the configuration file that applies to `file`: the nearest `authlint.config.json` from
 * its folder upwards, stopping at the package root. Without a package.json above it, the search
 * stops at `stopAt` (the current folder) when the file is under it, else at the file's folder.
 */
export function findConfigFile(file: string, stopAt: string = process.cwd(), exists: (path: string) => boolean = existsSync): string | undefined {
  let dir = dirname(resolve(file));
  const root = packageRootOf(dir, exists) ?? (isInside(dir, resolve(stopAt)) ? resolve(stopAt) : dir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (exists(candidate) && isFile(candidate)) return candidate;
    if (dir === root) return undefined;
    const up = dirname(dir);
    if (up === dir || !isInside(up, root)) return undefined;
    dir = up;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Finds and loads configurations for many files, reading each configuration file once. */
export class ConfigResolver {
  private readonly loaded = new Map<string, LoadedConfig>();
  /** Folder of a linted file -> the configuration file that applies there (or none). */
  private readonly byDir = new Map<string, string | undefined>();
  /** existsSync answers for this resolver's lifetime: files in sibling folders share their parents. */
  private readonly existing = new Map<string, boolean>();
  private readonly exists = (p: string): boolean => {
    let e = this.existing.get(p);
    if (e === undefined) this.existing.set(p, (e = existsSync(p)));
    return e;
  };
  private readonly explicit?: LoadedConfig;

  /** `explicit`: the file `--config` names (then no lookup happens). Throws ConfigError. */
  constructor(explicit?: string, private readonly cwd: string = process.cwd()) {
    if (explicit !== undefined) this.explicit = loadConfigFile(explicit);
  }

  /** The configuration of `file`, or undefined for none. Throws ConfigError. */
  forFile(file: string): LoadedConfig | undefined {
    if (this.explicit) return this.explicit;
    const dir = dirname(resolve(file));
    let found: string | undefined;
    if (this.byDir.has(dir)) found = this.byDir.get(dir);
    else this.byDir.set(dir, (found = findConfigFile(file, this.cwd, this.exists)));
    if (!found) return undefined;
    let c = this.loaded.get(found);
    if (!c) {
      c = loadConfigFile(displayPath(found, this.cwd));
      this.loaded.set(found, c);
    }
    return c;
  }
}

function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** The engine's settings from a configuration; `overrides` (e.g. a user's editor settings) win. */
export function toLintSettings(config: AuthlintConfig | undefined, overrides: LintSettings = {}): LintSettings {
  const out: LintSettings = {};
  const rules = { ...(config?.rules ?? {}), ...(overrides.rules ?? {}) };
  if (Object.keys(rules).length) out.rules = rules;
  const challenge = overrides.defaultChallenge ?? config?.defaultChallenge;
  if (challenge !== undefined) out.defaultChallenge = challenge;
  const proxy = overrides.defaultProxyChallenge ?? config?.defaultProxyChallenge;
  if (proxy !== undefined) out.defaultProxyChallenge = proxy;
  const max = overrides.maxFileSize ?? config?.maxFileSize;
  if (max !== undefined) out.maxFileSize = max;
  return out;
}
