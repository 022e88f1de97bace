// Where variables come from besides the .http file: REST Client's
// `rest-client.environmentVariables` (an object of env name -> values, `$shared` for all),
// JetBrains' `http-client.env.json` + `http-client.private.env.json` (private values are
// secrets), and `.env` files for `{{$dotenv NAME}}`. Files are searched from the .http file's
// folder upward, never past the project: the workspace folder (the editor passes it), else the
// nearest folder holding `.git` or `package.json`, else the .http file's own folder. A `.env`
// or private env file in a parent folder (a home directory, another checkout) is not read.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Environment } from './variables';

export type EnvironmentMap = Record<string, Record<string, unknown>>;

function strings(obj: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** The folder the CLI stops at: the nearest at or above `dir` holding `.git` or `package.json`
 *  (undefined when there is none up to the file system root). */
export function projectRoot(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git')) || existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** True when `dir` is `top` or inside it. */
function within(dir: string, top: string): boolean {
  const rel = relative(top, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Walks from `dir` up to `stop` (included), returning the first existing `name`. Without
 * `stop`, the project root of `dir`; a `stop` that is not above `dir` means `dir` alone.
 */
export function findUp(dir: string, name: string, stop?: string): string | undefined {
  const start = resolve(dir);
  let top = stop !== undefined ? resolve(stop) : (projectRoot(start) ?? start);
  if (!within(start, top)) top = start;
  for (let d = start; ; d = dirname(d)) {
    const p = join(d, name);
    if (existsSync(p)) return p;
    if (d === top || dirname(d) === d) return undefined;
  }
}

/** JSON with comments and trailing commas (VS Code settings files). */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

export interface EnvironmentSources {
  /** REST Client shaped: { $shared: {...}, dev: {...} }. */
  restClient?: EnvironmentMap;
  /** http-client.env.json contents. */
  jetbrains?: EnvironmentMap;
  /** http-client.private.env.json contents (values are secret). */
  jetbrainsPrivate?: EnvironmentMap;
  /** REST Client's `rest-client.defaultHeaders`: sent when the request does not set them. */
  defaultHeaders?: Record<string, string>;
}

/** Names of the environments the sources define (without `$shared`). */
export function environmentNames(src: EnvironmentSources): string[] {
  const names = new Set<string>();
  for (const m of [src.restClient, src.jetbrains, src.jetbrainsPrivate]) for (const k of Object.keys(m ?? {})) if (k !== '$shared') names.add(k);
  return [...names].sort();
}

/** Merges the sources for one selected environment (or only `$shared` when none). */
export function selectEnvironment(src: EnvironmentSources, name?: string): Environment {
  const env: Environment = { values: {}, shared: {}, secretNames: new Set() };
  if (name) env.name = name;
  const layers: Array<[EnvironmentMap | undefined, boolean]> = [
    [src.restClient, false],
    [src.jetbrains, false],
    [src.jetbrainsPrivate, true],
  ];
  for (const [m, secret] of layers) {
    const shared = strings(m?.['$shared']);
    Object.assign(env.shared, shared);
    const values = name ? strings(m?.[name]) : {};
    Object.assign(env.values, values);
    if (secret) for (const k of [...Object.keys(shared), ...Object.keys(values)]) env.secretNames.add(k);
  }
  return env;
}

function readJson(path: string | undefined, jsonc = false): unknown {
  if (!path) return undefined;
  const text = readFileSync(path, 'utf8');
  return jsonc ? parseJsonc(text) : JSON.parse(text);
}

/** Reads the environment files that apply to a .http file in `dir`. Throws on unreadable JSON. */
export function loadEnvironmentSources(dir: string, stop?: string): EnvironmentSources & { files: string[] } {
  const files: string[] = [];
  const src: EnvironmentSources & { files: string[] } = { files };
  const pub = findUp(dir, 'http-client.env.json', stop);
  const priv = findUp(dir, 'http-client.private.env.json', stop);
  const settings = findUp(dir, join('.vscode', 'settings.json'), stop);
  for (const [key, path, jsonc] of [['jetbrains', pub, false], ['jetbrainsPrivate', priv, false], ['restClient', settings, true]] as const) {
    if (!path) continue;
    let data: unknown;
    try {
      data = readJson(path, jsonc);
    } catch (e) {
      // V8 quotes the start of the text in some messages; a private file's secrets must not be echoed.
      const why = (e as Error).message.replace(/,? *".*" is not valid JSON$/s, '');
      throw new Error(`${path}: not valid JSON (${why})`);
    }
    if (key === 'restClient') {
      const settingsObj = data as Record<string, unknown> | undefined;
      const defaults = settingsObj?.['rest-client.defaultHeaders'];
      if (defaults && typeof defaults === 'object') src.defaultHeaders = strings(defaults as Record<string, unknown>);
      data = settingsObj?.['rest-client.environmentVariables'];
    }
    if (data && typeof data === 'object') {
      src[key] = data as EnvironmentMap;
      files.push(path);
    }
  }
  return src;
}

/** Parses a .env file: KEY=VALUE, optional `export `, quotes, `#` comments. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    const q = /^(["'])(.*)\1$/.exec(v);
    if (q) v = q[1] === '"' ? q[2]!.replace(/\\n/g, '\n') : q[2]!;
    else v = v.replace(/\s+#.*$/, '');
    out[m[1]!] = v;
  }
  return out;
}

/** `.env.<env>` if it exists, else `.env`, searched from `dir` upward to `stop` (F5). */
export function loadDotenv(dir: string, envName?: string, stop?: string): Record<string, string> | undefined {
  const path = (envName && findUp(dir, `.env.${envName}`, stop)) || findUp(dir, '.env', stop);
  return path ? parseDotenv(readFileSync(path, 'utf8')) : undefined;
}
