// Turns one parsed block into the request to send (http-dialect.md §4 F5-F9): variables are
// substituted on the raw lines first, then the request line, headers and body are read.
// Malformed input gives diagnoses with line numbers and no request, never a half-built one.

import { closeSync, constants as fsConstants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { EOL } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { isToken } from './challenge';
import { expandAuthShorthand, type DigestCredentials } from './auth-shorthand';
import { values } from './explain-context';
import type { BlockLine, FileDiagnosis, RequestBlock } from './http-file';
import type { HeaderList } from './types';
import { Substituter, type VariableProblem, type VariableSources, type VariableWarning } from './variables';

export const USER_AGENT = 'authlint/0.1';

export interface RequestSpec {
  method: string;
  url: string;
  headers: HeaderList;
  body?: Buffer;
  /** Line of the request line in the file. */
  line: number;
  name?: string;
  noRedirect: boolean;
  noCookieJar: boolean;
  /** From `Authorization: Digest user pass`: answered after a Digest 401. */
  digest?: DigestCredentials;
  /** From `Proxy-Authorization: Digest user pass`: answered after a Digest 407. */
  proxyDigest?: DigestCredentials;
}

export interface BuildOptions {
  /** Folder of the .http file (relative `< file` bodies). */
  baseDir: string;
  /** Workspace root, searched before baseDir for relative body files (F8). */
  workspaceRoot?: string;
  /** `rest-client.defaultHeaders`: added when the request does not set them (F7). */
  defaultHeaders?: Record<string, string>;
}

export interface BuildResult {
  request?: RequestSpec;
  diagnoses: FileDiagnosis[];
  variableProblems: VariableProblem[];
  /** References sent as typed (unknown system variables): for the report, not a refusal. */
  variableWarnings: VariableWarning[];
  /** Substituted values that came from secret sources. */
  secretValues: Set<string>;
}

const METHOD = /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE|LOCK|UNLOCK|PROPFIND|PROPPATCH|COPY|MOVE|MKCOL|MKCALENDAR|ACL|SEARCH)\s+(.*)$/i;
/** JetBrains / httpYac / rest.nvim: `GRAPHQL url` posts the body as a GraphQL query. */
const GRAPHQL_LINE = /^GRAPHQL\s+(.*)$/;
/** A first word that reads like a method REST Client does not know (`FETCH {{baseUrl}}/x`). */
const OTHER_METHOD = /^([A-Za-z][A-Za-z-]*)\s+(\S+)/;

export function buildRequest(block: RequestBlock, sources: VariableSources, opts: BuildOptions): BuildResult {
  const sub = new Substituter(sources);
  const diagnoses: FileDiagnosis[] = [];
  const result: BuildResult = { diagnoses, variableProblems: sub.problems, variableWarnings: sub.warnings, secretValues: sub.secretValues };
  if (block.requestLine === undefined) {
    diagnoses.push({ line: block.startLine, severity: 'error', message: 'this block has no request line (METHOD URL)' });
    return result;
  }
  const lines: BlockLine[] = [];
  for (const l of block.lines) {
    for (const piece of sub.substitute(l.text, l.line).split(/\r?\n/)) lines.push({ line: l.line, text: piece });
  }
  for (const p of sub.problems) diagnoses.push({ line: p.line, severity: 'error', message: p.message });

  // F6: request line plus `?` / `&` continuation lines; also JetBrains' indented continuation
  // (`GET {{baseUrl}}` then an indented `/api` or `?q=1` line), which REST Client would read as a
  // header named "/api" and fail on: AuthLint joins it to the URL.
  let i = 0;
  let requestText = lines[0]!.text.trim();
  while (i + 1 < lines.length && (/^\s*[?&]/.test(lines[i + 1]!.text) || /^\s+\//.test(lines[i + 1]!.text))) requestText += lines[++i]!.text.trim();
  const line = block.requestLine;
  if (/^curl(\s|$)/i.test(requestText)) {
    diagnoses.push({ line, severity: 'error', message: 'curl commands are not supported by AuthLint: write the request as `METHOD URL` plus header lines' });
    return result;
  }
  if (METHOD.test(`${requestText} `) && !/\s/.test(requestText)) {
    diagnoses.push({ line, severity: 'error', message: `the request line "${requestText}" has a method but no URL` });
    return result;
  }
  const gq = GRAPHQL_LINE.exec(requestText);
  const mm = gq ? null : METHOD.exec(requestText);
  const method = gq ? 'POST' : mm ? mm[1]!.toUpperCase() : 'GET';
  let url = (gq ? gq[1]! : mm ? mm[2]! : requestText).replace(/\s+HTTP\/\S*\s*$/i, '').trim();
  if (!gq && !mm) {
    const other = OTHER_METHOD.exec(url);
    if (other && !/[:/.]/.test(other[1]!)) {
      diagnoses.push({ line, severity: 'error', message: `"${other[1]}" is not an HTTP method REST Client knows (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ... or GRAPHQL), so "${url}" cannot be the request line` });
      return result;
    }
  }
  const written = url;

  // F7: headers up to the first blank line.
  const headers: HeaderList = [];
  let digest: DigestCredentials | undefined;
  let proxyDigest: DigestCredentials | undefined;
  for (i++; i < lines.length && lines[i]!.text.trim() !== ''; i++) {
    const { text, line: hl } = lines[i]!;
    const colon = text.indexOf(':');
    const name = (colon < 0 ? text : text.slice(0, colon)).trim();
    const value = colon < 0 ? '' : text.slice(colon + 1).trim();
    if (name === '') {
      diagnoses.push({ line: hl, severity: 'error', message: `header line without a name: "${text.trim()}"` });
      continue;
    }
    if (!isToken(name)) {
      const why = /^[/?&]/.test(name)
        ? 'to continue the URL on another line, start that line with ? or & or indent it'
        : 'a blank line must separate headers from the body';
      diagnoses.push({ line: hl, severity: 'error', message: `"${name}" is not a valid header name (${why})` });
      continue;
    }
    if (/[\r\n\0]/.test(value)) {
      diagnoses.push({ line: hl, severity: 'error', message: `the value of ${name} contains a line break or NUL` });
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue; // recomputed (F7)
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const sh = expandAuthShorthand(value);
      if (sh.kind === 'unsupported') diagnoses.push({ line: hl, severity: 'error', message: sh.message });
      else if (sh.kind === 'digest') {
        if (lower === 'authorization') digest = sh.credentials;
        else proxyDigest = sh.credentials;
        continue;
      } else {
        mergeHeader(headers, name, sh.value);
        continue;
      }
    }
    mergeHeader(headers, name, value);
  }
  const bodyLines = lines.slice(i + 1);
  if (gq) {
    // Sent like REST Client's `X-Request-Type: GraphQL`: a JSON body {query, operationName, variables}.
    if (values(headers, 'x-request-type').length === 0) headers.push(['X-Request-Type', 'GraphQL']);
    if (values(headers, 'content-type').length === 0) headers.push(['Content-Type', 'application/json']);
  }

  // Relative URL + Host header (F6); scheme-less URLs default to http.
  const host = values(headers, 'host')[0];
  if (url.startsWith('/')) {
    if (!host) {
      diagnoses.push({ line, severity: 'error', message: `relative URL "${url}" needs a Host header` });
      return result;
    }
    const port = /:(\d+)$/.exec(host)?.[1];
    url = `${port === '443' || port === '8443' ? 'https' : 'http'}://${host}${url}`;
  } else if (!/^[a-z][a-z\d+.-]*:\/\//i.test(url) && url !== '') url = `http://${url}`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    diagnoses.push({ line, severity: 'error', message: `invalid URL "${written}"` });
  }
  if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    diagnoses.push({ line, severity: 'error', message: `only http and https URLs can be sent, not ${parsed.protocol}` });
  }
  if (diagnoses.some((d) => d.severity === 'error') || !parsed) return result;

  for (const [k, v] of [...Object.entries(opts.defaultHeaders ?? {}), ['User-Agent', USER_AGENT]]) {
    if (values(headers, k!).length === 0) headers.push([k!, v!]);
  }
  const body = buildBody(bodyLines, headers, sub, opts, diagnoses);
  if (diagnoses.some((d) => d.severity === 'error')) return result;

  const spec: RequestSpec = { method, url: parsed.href, headers, line, noRedirect: block.noRedirect, noCookieJar: block.noCookieJar };
  if (body !== undefined) spec.body = body;
  if (block.name) spec.name = block.name;
  if (digest) spec.digest = digest;
  if (proxyDigest) spec.proxyDigest = proxyDigest;
  result.request = spec;
  return result;
}

/** Repeated names become one header joined with `,` (`;` for Cookie), as REST Client does. */
function mergeHeader(headers: HeaderList, name: string, value: string): void {
  const prev = headers.find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (!prev) headers.push([name, value]);
  else prev[1] = `${prev[1]}${name.toLowerCase() === 'cookie' ? ';' : ','}${value}`;
}

/** Body files larger than this are refused (the whole body is held in memory). */
export const MAX_BODY_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a `< file` body: regular files only (a device such as /dev/zero would grow without end,
 * a FIFO would block forever), at most MAX_BODY_FILE_BYTES. Opened without blocking, checked on
 * the open descriptor (a link swapped for a device between check and read changes nothing).
 */
export function readBodyFile(path: string, limit = MAX_BODY_FILE_BYTES): Buffer | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { error: `it cannot be opened (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      return { error: `it is ${kind}: only regular files can be sent as a body` };
    }
    if (st.size > limit) return { error: `it is ${st.size} bytes, over the ${limit / 1024 / 1024} MB limit for body files` };
    // Read to the end, but never past the limit (a file may grow, or report size 0 in /proc).
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, limit + 1 - n));
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      n += got;
      if (n > limit) return { error: `it grew past the ${limit / 1024 / 1024} MB limit for body files while being read` };
    }
    return Buffer.concat(chunks, n);
  } catch (e) {
    return { error: `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    closeSync(fd);
  }
}

function resolveBodyFile(p: string, opts: BuildOptions): string | undefined {
  const candidates = isAbsolute(p) ? [p] : [...(opts.workspaceRoot ? [resolve(opts.workspaceRoot, p)] : []), resolve(opts.baseDir, p)];
  return candidates.find((c) => existsSync(c));
}

/** REST Client's `<`, `<@`, `<@enc` body-file line (kept as text when the file is missing). */
const FILE_LINE = /^<(?:@(\w+)?)?\s+(.+?)\s*$/;

/** F8: body lines, `<` file lines, urlencoded `&` lines, GraphQL, multipart CRLF. */
function buildBody(lines: BlockLine[], headers: HeaderList, sub: Substituter, opts: BuildOptions, diagnoses: FileDiagnosis[]): Buffer | undefined {
  const graphql = headers.findIndex(([k, v]) => k.toLowerCase() === 'x-request-type' && v.toLowerCase() === 'graphql');
  if (graphql >= 0) headers.splice(graphql, 1); // never sent (REST Client removes it too)
  if (lines.length === 0) return undefined;
  const type = (values(headers, 'content-type')[0] ?? '').toLowerCase();
  const form = type.startsWith('application/x-www-form-urlencoded');
  const eol = type.startsWith('multipart/form-data') ? '\r\n' : EOL;
  // REST Client builds a body with `<` lines (found or not) as a stream of parts: lines joined
  // by the line ending, a final CRLF for multipart, no `&` joining and no form encoding.
  const streamed = lines.some((l) => FILE_LINE.test(l.text));
  const parts: Buffer[] = [];
  lines.forEach((l, n) => {
    const fm = FILE_LINE.exec(l.text);
    const file = fm ? resolveBodyFile(fm[2]!, opts) : undefined;
    let chunk: Buffer;
    const raw = fm && file ? readBodyFile(file) : undefined;
    if (raw && !Buffer.isBuffer(raw)) {
      diagnoses.push({ line: l.line, severity: 'error', message: `the body file "${fm![2]!}" cannot be sent: ${raw.error}` });
      chunk = Buffer.alloc(0);
    } else if (fm && raw) {
      const substitute = l.text.startsWith('<@');
      const enc = (fm[1] ?? 'utf8') as BufferEncoding;
      chunk = substitute ? Buffer.from(sub.substitute(raw.toString(Buffer.isEncoding(enc) ? enc : 'utf8'), l.line), 'utf8') : raw;
    } else chunk = Buffer.from(l.text, 'utf8');
    const joinBare = form && !streamed && l.text.startsWith('&');
    if (n > 0 && !joinBare) parts.push(Buffer.from(eol));
    parts.push(chunk);
  });
  for (const p of sub.problems) if (!diagnoses.some((d) => d.line === p.line && d.message === p.message)) diagnoses.push({ line: p.line, severity: 'error', message: p.message });
  if (streamed && eol === '\r\n') parts.push(Buffer.from('\r\n'));
  if (!streamed && type.startsWith('application/x-ndjson')) parts.push(Buffer.from(eol));
  let body = Buffer.concat(parts);
  if (graphql >= 0) body = Buffer.from(graphqlBody(body.toString('utf8')), 'utf8');
  else if (form && !streamed) body = Buffer.from(encodeForm(body.toString('utf8')), 'utf8');
  return body;
}

/**
 * REST Client's default (`automatic`) form encoding, which is the `encodeurl` package's: what may
 * appear in a URL stays as typed (reserved characters such as `@ : / + = & ?`, and `%XX`
 * escapes); everything else (space, `"`, `<`, `>`, `\`, `^`, backquote, `{`, `|`, `}`, controls,
 * line breaks, non-ASCII, a `%` not starting an escape) is percent-encoded as UTF-8.
 */
export function encodeForm(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (c === '%') {
      out += /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3)) ? '%' : '%25';
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += encodeURIComponent(c + text[i + 1]!);
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += '%EF%BF%BD'; // a lone surrogate becomes U+FFFD
    } else if (code > 0x20 && code < 0x7f && !'"<>\\^`{|}'.includes(c)) {
      out += c;
    } else {
      out += encodeURIComponent(c);
    }
  }
  return out;
}

function graphqlBody(text: string): string {
  const split = /\r?\n\s*\r?\n/.exec(text);
  const query = split ? text.slice(0, split.index) : text;
  const varsText = split ? text.slice(split.index + split[0].length) : '';
  const operationName = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1];
  const out: Record<string, unknown> = { query };
  if (operationName) out['operationName'] = operationName;
  if (varsText.trim()) {
    try {
      out['variables'] = JSON.parse(varsText);
    } catch {
      out['variables'] = varsText;
    }
  }
  return JSON.stringify(out);
}
