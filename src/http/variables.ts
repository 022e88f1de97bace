// `{{name}}` substitution on the raw text of a request (http-dialect.md §4 F5). Resolution
// order: system (`$...`), request variables (`login.response.body.$.token`), prompts, file
// variables, environment. Anything unresolved stays literal and is reported with its line:
// the caller must not send such a request. The exception is a system variable REST Client does
// not know (`{{$uuid}}`, `{{$date}}`): REST Client sends its text as typed, so do we, with a
// warning (§4: send the literal text and diagnose it).

import type { FileVariable } from './http-file';
import type { ReceivedResponse, SentRequest } from './types';
import { queryJsonPath } from './jsonpath';
import { isCredentialName } from './redact';
import { resolveSystemVariable } from './system-variables';
import { parseAuthReference } from './oauth/config';

export interface Environment {
  /** Selected environment name, if any. */
  name?: string;
  values: Record<string, string>;
  shared: Record<string, string>;
  /** Names whose values are secret (from http-client.private.env.json). */
  secretNames: Set<string>;
}

export interface NamedExchange {
  request: SentRequest;
  response?: ReceivedResponse;
}

export interface VariableSources {
  fileVariables: Map<string, FileVariable>;
  environment?: Environment;
  /** Earlier named exchanges of this run, by `# @name`. */
  requests?: Map<string, NamedExchange>;
  prompts?: Record<string, string>;
  processEnv?: Record<string, string | undefined>;
  dotenv?: Record<string, string>;
  now?: Date;
  /** `{{$auth.token("id")}}` / `{{$auth.idToken("id")}}` (OAuth 2.0, src/http/oauth). */
  auth?: (kind: 'token' | 'idToken', id: string) => { value: string } | { problem: VariableProblemKind; message: string };
}

export type VariableProblemKind = 'unresolved' | 'unsupported' | 'invalid' | 'request-not-sent';

/** A reference sent as typed, which the user should know about (not a refusal). */
export interface VariableWarning {
  line: number;
  name: string;
  message: string;
}

export interface VariableProblem {
  line: number;
  name: string;
  kind: VariableProblemKind;
  message: string;
  /** For 'request-not-sent': the `# @name` the reference needs. */
  requestName?: string;
}

const REFERENCE = /\{\{(.+?)\}\}/g;
const REQUEST_VAR = /^(\w+)\.(request|response)\.(body|headers)\.(.+)$/;
const MAX_DEPTH = 10;
/** Characters that substitution may produce in one request: variables that refer to others many
 * times over (a "billion laughs" file) would otherwise grow exponentially and hang the caller. */
export const MAX_EXPANDED_CHARS = 16 * 1024 * 1024;

type Lookup = { value: string; secret?: boolean } | { problem: VariableProblemKind; message: string; requestName?: string } | { literal: string } | undefined;

export class Substituter {
  readonly problems: VariableProblem[] = [];
  /** References kept as typed on purpose (unknown system variables). */
  readonly warnings: VariableWarning[] = [];
  /** Values substituted from secret sources (to redact wherever they end up). */
  readonly secretValues = new Set<string>();
  private readonly now: Date;
  private expanded = 0;

  constructor(private readonly src: VariableSources) {
    this.now = src.now ?? new Date();
  }

  /** Substitutes every `{{ }}` in one line of text (values may span lines). */
  substitute(text: string, line: number): string {
    return this.expand(text, line, [], false);
  }

  private expand(text: string, line: number, stack: string[], inEnv: boolean): string {
    return text.replace(REFERENCE, (whole, inner: string) => {
      const raw = inner.trim();
      const encode = raw.startsWith('%') && !raw.startsWith('%$');
      const name = encode ? raw.slice(1).trim() : raw;
      let found = this.lookup(name, line, stack, inEnv);
      if (found && 'value' in found && (this.expanded += found.value.length) > MAX_EXPANDED_CHARS) {
        found = { problem: 'invalid', message: `{{${name}}} expands to too much text (over ${MAX_EXPANDED_CHARS} characters substituted in all): variables that refer to others many times over?` };
      }
      if (found && 'value' in found) {
        if (found.secret && found.value) this.secretValues.add(found.value);
        return encode ? encodeURIComponent(found.value) : found.value;
      }
      if (found && 'literal' in found) {
        if (!this.warnings.some((w) => w.line === line && w.name === name)) this.warnings.push({ line, name, message: found.literal });
        return whole;
      }
      if (!this.problems.some((p) => p.line === line && p.name === name)) {
        const p: VariableProblem = found
          ? { line, name, kind: found.problem, message: found.message }
          : { line, name, kind: 'unresolved', message: `{{${name}}} is not defined (no file variable, environment value or request of that name)` };
        if (found && 'requestName' in found && found.requestName) p.requestName = found.requestName;
        this.problems.push(p);
      }
      return whole;
    });
  }

  private lookup(name: string, line: number, stack: string[], inEnv: boolean): Lookup {
    if (name.startsWith('$shared ') && this.src.environment) {
      const key = name.slice(8).trim();
      const v = this.src.environment.shared[key];
      // Keyed apart from the environment's own `key`: `"token": "{{$shared token}}"` reads the
      // shared value, as in REST Client, and is no self-reference.
      return v === undefined ? { problem: 'unresolved', message: `$shared has no "${key}"` } : this.nested(`$shared ${key}`, v, line, stack, true, this.isSecret(key));
    }
    const auth = parseAuthReference(name);
    if (auth) {
      if ('error' in auth) return { problem: 'invalid', message: auth.error };
      const r = this.src.auth ? this.src.auth(auth.kind, auth.id) : { problem: 'unsupported' as const, message: `{{${name}}} needs the request runner (Security.Auth in http-client.env.json)` };
      return 'value' in r ? { value: r.value, secret: true } : r;
    }
    if (name.startsWith('$')) {
      const r = resolveSystemVariable(name, {
        now: this.now,
        processEnv: this.src.processEnv ?? process.env,
        dotenv: (k) => this.src.dotenv?.[k],
        environment: (k) => this.envValue(k),
      });
      // $processEnv and $dotenv read secrets kept out of the file: treat them as private values.
      if ('value' in r) return { value: r.value, secret: /^\$(processEnv|dotenv)\b/.test(name) };
      if ('unknown' in r) return { literal: r.unknown };
      return { problem: r.unsupported ? 'unsupported' : 'invalid', message: r.error };
    }
    const rv = REQUEST_VAR.exec(name);
    if (rv && !this.src.fileVariables.has(name)) return this.requestVariable(rv);
    const prompt = this.src.prompts?.[name];
    if (prompt !== undefined) return { value: prompt, secret: isCredentialName(name, 'field') };
    const fv = this.src.fileVariables.get(name);
    if (fv && !inEnv) return this.nested(name, fv.value, fv.line, stack, false, false);
    const env = this.envValue(name);
    if (env !== undefined) return this.nested(name, env, line, stack, true, this.isSecret(name));
    return undefined;
  }

  private nested(name: string, value: string, line: number, stack: string[], inEnv: boolean, secret: boolean): Lookup {
    if (this.expanded > MAX_EXPANDED_CHARS) return { problem: 'invalid', message: `{{${name}}} expands to too much text (over ${MAX_EXPANDED_CHARS} characters substituted in all)` };
    if (stack.includes(name) || stack.length >= MAX_DEPTH) {
      return { problem: 'invalid', message: `{{${name}}} refers to itself (${[...stack, name].join(' -> ')})` };
    }
    const before = this.problems.length;
    const v = this.expand(value, line, [...stack, name], inEnv);
    if (this.problems.length > before) return { problem: 'invalid', message: `{{${name}}} uses a value that cannot be resolved` };
    return { value: v, secret };
  }

  private envValue(name: string): string | undefined {
    const env = this.src.environment;
    if (!env) return undefined;
    return Object.prototype.hasOwnProperty.call(env.values, name) ? env.values[name] : Object.prototype.hasOwnProperty.call(env.shared, name) ? env.shared[name] : undefined;
  }

  private isSecret(name: string): boolean {
    return this.src.environment?.secretNames.has(name) ?? false;
  }

  private requestVariable(m: RegExpExecArray): Lookup {
    const [, reqName, side, part, path] = m as unknown as [string, string, 'request' | 'response', 'body' | 'headers', string];
    const ex = this.src.requests?.get(reqName);
    if (!ex) return { problem: 'request-not-sent', message: `request "${reqName}" has not been sent in this run`, requestName: reqName };
    const headers = side === 'request' ? ex.request.headers : ex.response?.headers;
    const body = side === 'request' ? ex.request.body : ex.response?.body;
    if (side === 'response' && !ex.response) return { problem: 'unresolved', message: `request "${reqName}" got no response` };
    if (part === 'headers') {
      const vals = (headers ?? []).filter(([k]) => k.toLowerCase() === path.toLowerCase()).map(([, v]) => v);
      return vals.length ? { value: vals.join(', '), secret: isCredentialName(path) || path.toLowerCase() === 'set-cookie' } : { problem: 'unresolved', message: `the ${side} of "${reqName}" has no header ${path}` };
    }
    if (body === undefined) return { problem: 'unresolved', message: `the ${side} of "${reqName}" has no text body` };
    if (path === '*') return { value: body };
    // REST Client picks the query language by the body's Content-Type: XPath for XML, JSONPath
    // for JSON (with or without the leading `$`, both read from the root).
    const type = (headers ?? []).find(([k]) => k.toLowerCase() === 'content-type')?.[1].toLowerCase() ?? '';
    if (/[/+]xml\b/.test(type)) return { problem: 'unsupported', message: `the ${side} body of "${reqName}" is XML (${type.split(';')[0]}): XPath like "${path}" is not supported by AuthLint; use * for the whole body` };
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      return { problem: 'unresolved', message: `the ${side} body of "${reqName}" is not JSON, so ${path} cannot be read` };
    }
    const found = queryJsonPath(doc, path);
    if (!found) return { problem: 'invalid', message: `"${path}" is not a JSONPath AuthLint understands (names, ['quoted names'], [n], [*], .*, ..name)` };
    if (found.length === 0) return { problem: 'unresolved', message: `${path} matches nothing in the ${side} body of "${reqName}"` };
    const v = found[0];
    // `login.response.body.$.access_token`: a token taken from a response is a secret too.
    return { value: typeof v === 'string' ? v : JSON.stringify(v), secret: isCredentialName(path.split(/[.[\]'"]+/).filter(Boolean).pop() ?? '', 'field') };
  }
}
