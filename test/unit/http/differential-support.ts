// Differential runs of .http files: the same file is sent by `authlint send` (in process, the
// CLI's own entry point) and by httpYac's CLI (`httpyac send --all`) to one echo server on
// 127.0.0.1, and what arrived is compared (method, path, query, headers, body).
//
// Each request block gets a marker header `X-Diff-Block: N` (the echo server removes it before
// comparing) so that requests can be paired whatever order and dependencies each tool sends.
// Hosts in the file are pointed at the echo server; variables the file uses but does not define
// get values in an http-client.env.json environment "dev" that both tools read.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { runSend } from '../../../src/cli/send';
import { parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { close, listen, repoRoot } from './runner-support';

export interface Received {
  method: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body: string;
}

/** Headers each tool sets on its own, not from the file: left out of the comparison. */
const OWN_HEADERS = new Set(['user-agent', 'content-length', 'connection', 'accept-encoding', 'x-diff-block', 'transfer-encoding']);

/** A JSON answer with the fields token chains of real files read. */
const ECHO_BODY = JSON.stringify({
  access_token: 'tok-access', accessToken: 'tok-access', token: 'tok-access', refreshToken: 'tok-refresh', refresh_token: 'tok-refresh', id: 'id-1',
  data: { token: 'tok-data', accessToken: 'tok-data', access_token: 'tok-data', id: 'id-data' },
  user: { id: 'id-user' }, team: { id: 'id-team' }, task: { id: 'id-task' }, project: { id: 'id-project' }, board: { id: 'id-board' }, column: { id: 'id-column' }, comment: { id: 'id-comment' },
});

export class EchoServer {
  /** Requests by block marker, in arrival order (a block may arrive more than once). */
  readonly byBlock = new Map<string, Received[]>();
  readonly unmarked: Received[] = [];
  private server?: http.Server;
  base = '';
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://x');
        const headers: Array<[string, string]> = [];
        let marker: string | undefined;
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const name = req.rawHeaders[i]!.toLowerCase();
          if (name === 'x-diff-block') marker = req.rawHeaders[i + 1];
          if (!OWN_HEADERS.has(name)) headers.push([name, req.rawHeaders[i + 1]!]);
        }
        headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const rec: Received = { method: req.method ?? '', path: u.pathname, query: u.search, headers, body: Buffer.concat(chunks).toString('utf8') };
        if (marker === undefined) this.unmarked.push(rec);
        else this.byBlock.set(marker, [...(this.byBlock.get(marker) ?? []), rec]);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(ECHO_BODY);
      });
    });
    this.base = await listen(this.server);
    this.port = Number(new URL(this.base).port);
  }

  clear(): void {
    this.byBlock.clear();
    this.unmarked.length = 0;
  }

  stop(): Promise<void> {
    return close(this.server);
  }
}

export interface PreparedFile {
  path: string;
  /** Marker and request line (in the prepared file) of each request block. */
  blocks: Array<{ marker: string; line: number; originalLine: number }>;
}

const URL_NAME = /url|host|base|api|server|endpoint|domain|origin|gateway/i;

/** Copies a .http file into `dir`, pointed at the echo server, with markers and an env file. */
export function prepareFile(text: string, name: string, dir: string, port: number, envFile: Record<string, Record<string, string>> = {}): PreparedFile {
  const target = `127.0.0.1:${port}`;
  let t = text.replace(/\r\n/g, '\n');
  t = t.replace(/\bhttps?:\/\/(?:\[[^\]\s]*\]|[^\s/:?#{}"'<>]+)(?::\d+)?/g, `http://${target}`);
  t = t.replace(/(?<![\w.:/])(?:localhost|127\.0\.0\.1|0\.0\.0\.0):\d+/g, target);
  t = t.replace(/^(\s*Host\s*:).*$/gim, `$1 ${target}`);
  const lines = t.split('\n');
  const parsed = parseHttpFile(t);
  const blocks = requestBlocks(parsed);
  const inserts: Array<{ after: number; marker: string }> = [];
  for (const b of blocks) {
    let at = b.requestLine! - 1; // 0-based index of the request line
    while (at + 1 < lines.length && (/^\s*[?&]/.test(lines[at + 1]!) || /^\s+\//.test(lines[at + 1]!))) at++;
    inserts.push({ after: at, marker: String(b.index) });
  }
  for (const ins of [...inserts].reverse()) lines.splice(ins.after + 1, 0, `X-Diff-Block: ${ins.marker}`);
  const out = lines.join('\n');
  // Values for variables used but not defined in the file.
  const defined = new Set(parsed.fileVariables.keys());
  const env: Record<string, string> = {};
  for (const m of out.matchAll(/(:\/\/)?\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g)) {
    const v = m[2]!;
    if (defined.has(v) || env[v] !== undefined) continue;
    env[v] = URL_NAME.test(v) ? (m[1] ? target : `http://${target}`) : `v-${v}`;
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, basename(name).replace(/[^\w.-]/g, '_'));
  writeFileSync(path, out);
  writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify({ ...envFile, dev: { ...env, ...envFile['dev'] } }, null, 2));
  const reparsed = requestBlocks(parseHttpFile(out));
  const prepared: PreparedFile = { path, blocks: [] };
  for (const b of reparsed) {
    const orig = blocks.find((x) => x.index === b.index);
    prepared.blocks.push({ marker: String(b.index), line: b.requestLine!, originalLine: orig?.requestLine ?? b.requestLine! });
  }
  return prepared;
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** `authlint send FILE --line N --env dev` in process; returns the exit code and stderr. */
export async function sendOurs(path: string, line: number, env = 'dev'): Promise<{ code: number; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runSend([path, '--line', String(line), '--env', env, '--format', 'json', '--timeout', '5000'], { stdout, stderr });
  return { code, stderr: stderr.text };
}

export function httpyacBin(): string {
  return join(repoRoot(), 'node_modules', 'httpyac', 'bin', 'httpyac.js');
}

/** `httpyac send FILE --all -e dev`; killed after `limitMs`. */
export function sendTheirs(path: string, limitMs = 60_000, env = 'dev'): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [httpyacBin(), 'send', path, '--all', '-e', env, '--output', 'none', '--timeout', '5000', '--no-color'], {
      cwd: join(path, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Field-by-field differences between two received requests (empty when the same). */
export function compareReceived(ours: Received, theirs: Received): string[] {
  const out: string[] = [];
  if (ours.method !== theirs.method) out.push(`method: ours ${ours.method}, theirs ${theirs.method}`);
  if (ours.path !== theirs.path) out.push(`path: ours ${ours.path}, theirs ${theirs.path}`);
  if (ours.query !== theirs.query) out.push(`query: ours ${ours.query || '(none)'}, theirs ${theirs.query || '(none)'}`);
  const key = (h: [string, string]): string => `${h[0]}: ${h[1]}`;
  const a = new Set(ours.headers.map(key));
  const b = new Set(theirs.headers.map(key));
  for (const h of a) if (!b.has(h)) out.push(`header only ours: ${h}`);
  // httpYac adds `Accept: */*` when the file sets none; REST Client and AuthLint send none
  // (docs/compatibility.md: both acceptable), so that one line is not counted.
  for (const h of b) if (!a.has(h) && !(h === 'accept: */*' && !ours.headers.some(([k]) => k === 'accept'))) out.push(`header only theirs: ${h}`);
  if (ours.body !== theirs.body) out.push(`body: ours ${JSON.stringify(ours.body)}, theirs ${JSON.stringify(theirs.body)}`);
  return out;
}

export interface RequestOutcome {
  file: string;
  line: number;
  ours?: Received;
  theirs?: Received;
  oursRefused?: string;
  differences: string[];
}

/** Sends every request of one file with both tools and pairs what arrived. */
export async function differential(echo: EchoServer, text: string, name: string, dir: string, envFile: Record<string, Record<string, string>> = {}): Promise<RequestOutcome[]> {
  const prepared = prepareFile(text, name, dir, echo.port, envFile);
  const ours = new Map<string, { rec?: Received; refused?: string }>();
  for (const b of prepared.blocks) {
    echo.clear();
    const r = await sendOurs(prepared.path, b.line);
    const recs = echo.byBlock.get(b.marker);
    ours.set(b.marker, recs?.length ? { rec: recs[recs.length - 1]! } : { refused: r.stderr.trim().split('\n').filter((l) => !/: note: |: sending "/.test(l)).join(' | ') || `exit ${r.code}` });
  }
  echo.clear();
  await sendTheirs(prepared.path);
  const out: RequestOutcome[] = [];
  for (const b of prepared.blocks) {
    const o = ours.get(b.marker)!;
    const t = echo.byBlock.get(b.marker);
    const theirs = t?.length ? t[t.length - 1]! : undefined;
    const outcome: RequestOutcome = { file: name, line: b.originalLine, differences: [] };
    if (o.rec) outcome.ours = o.rec;
    if (o.refused) outcome.oursRefused = o.refused;
    if (theirs) outcome.theirs = theirs;
    if (o.rec && theirs) outcome.differences = compareReceived(o.rec, theirs);
    out.push(outcome);
  }
  return out;
}
