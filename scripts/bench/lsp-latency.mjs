// The language server's costs, standalone or called by the bench:
//   node scripts/bench/lsp-latency.mjs [--corpus DIR] [--processes N] [--edits N] [--json]
//                                      [--cli PATH] [--no-memory] [--full-text]
// --cli: another build of the CLI (an older commit's dist/cli.js, for a before/after reading);
// --no-memory: the latencies only; --full-text: each keystroke sends the whole document (the
// default sends the change, as editors do with the server's incremental sync).
// 1. Cold start: a fresh `node dist/cli.js lsp --stdio` per run (a JSON-RPC client over its
//    standard streams, as an editor), workspace = a copy of the package of a 2,000-line server
//    file of the bench corpus (the MCP SDK's dist/esm/types.js, the editor bench's sample) and,
//    separately, that file alone in a package of its own. Times from spawn and from didOpen to the
//    first publishDiagnostics (provisional when the package is not indexed yet), and to the
//    package's diagnostics (the last publication for the opened version once `authlint/status`
//    says ready); then keystroke (didChange) to diagnostics with the debounce, on the ready index.
// 2. Index memory: the server's project index (src/server/project-index.ts, compiled in out/ by
//    `npx tsc -p .`) built in this process over a copy of the whole bench corpus, heap measured
//    after a forced GC (run with --expose-gc; the script re-executes itself with it), and the
//    resident size of a real server process once its index of the corpus is ready.
// Needs `npm run build` (dist/) and `npx tsc -p .` (out/). Timings are for reports (medians and
// percentiles), never assertions.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const corpusRoot = opt('--corpus', join(repoRoot, '.cache', 'bench-corpus'));
const processes = Number(opt('--processes', '5'));
const edits = Number(opt('--edits', '20'));
const fullText = args.includes('--full-text');
const SAMPLE_PACKAGE = '@modelcontextprotocol__sdk@1.32.2';
const SAMPLE = 'dist/esm/types.js';
const cli = opt('--cli', join(repoRoot, 'dist', 'cli.js'));

if (typeof globalThis.gc !== 'function') {
  // re-run with --expose-gc so the heap can be measured after a collection
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const log = (m) => {
  if (!args.includes('--json')) process.stderr.write(m + '\n');
};
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};

// ---- a minimal LSP client ----
function startServer(folder, settings) {
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
  const t0 = performance.now();
  const proc = spawn(process.execPath, [cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const listeners = new Set();
  const onPublish = new Set();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (const l of onPublish) l(p, performance.now());
    const at = performance.now();
    for (const l of [...listeners]) l(p, at);
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => settings ?? null));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('$/progress', () => undefined);
  conn.listen();
  const next = (uri, ok = () => true) =>
    new Promise((resolve) => {
      const l = (p, at) => {
        if (p.uri === uri && ok(p)) {
          listeners.delete(l);
          resolve({ p, at });
        }
      };
      listeners.add(l);
    });
  const init = async () => {
    const uri = pathToFileURL(folder).href;
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'bench' }], capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { versionSupport: true } } } });
    await conn.sendNotification('initialized', {});
  };
  const stop = async () => {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
    conn.sendNotification('exit').catch(() => undefined);
    await new Promise((r) => {
      if (proc.exitCode !== null) return r();
      const t = setTimeout(() => (proc.kill(), r()), 3000);
      proc.once('exit', () => (clearTimeout(t), r()));
    });
    conn.dispose();
  };
  return { t0, proc, conn, next, init, stop, onPublish };
}

function rssMB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

async function coldRun(folder, file, debounceMs) {
  const s = startServer(folder, { lint: { debounceMs } });
  await s.init();
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, 'utf8');
  const first = s.next(uri, (p) => p.version === 1);
  const tOpen = performance.now();
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
  const { p, at } = await first;
  // the package's diagnostics: the last publication for version 1 before the server says ready
  let lastAt = at;
  let last = p;
  const track = (q, t) => {
    if (q.uri === uri && q.version === 1) (lastAt = t), (last = q);
  };
  s.onPublish.add(track);
  let status;
  while (!(status = await s.conn.sendRequest('authlint/status', {})).ready) await new Promise((r) => setTimeout(r, 20));
  s.onPublish.delete(track);
  const out = { fromSpawnMs: at - s.t0, fromOpenMs: at - tOpen, packageFromOpenMs: lastAt - tOpen, findings: p.diagnostics.length, packageFindings: last.diagnostics.length, engineCodeCache: status.engineCodeCache, keystrokeMs: [] };
  // keystrokes: one character typed at the end of the file, one change at a time, sent as an
  // editor sends it to a server that asks for incremental sync (the range and the character), or
  // with --full-text as the whole document each time
  let current = text;
  for (let v = 2; v < 2 + edits; v++) {
    const ch = v % 2 ? ' ' : '\n';
    const lines = current.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
    current = current + ch;
    const change = fullText ? { text: current } : { range: { start: end, end }, text: ch };
    const got = s.next(uri, (q) => q.version === v);
    const t = performance.now();
    await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [change] });
    out.keystrokeMs.push((await got).at - t);
  }
  out.rssMB = rssMB(s.proc.pid);
  await s.stop();
  return out;
}

function copyOf(src) {
  const dir = mkdtempSync(join(tmpdir(), 'authlint-lsp-bench-'));
  cpSync(src, join(dir, 'ws'), { recursive: true });
  return join(dir, 'ws');
}

function sourceCount(dir) {
  let n = 0;
  const visit = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (name !== 'node_modules') visit(p);
      } else if (/\.(js|mjs|cjs|ts|mts|cts)$/.test(name) && !/\.d\.[mc]?ts$/.test(name)) n++;
    }
  };
  visit(dir);
  return n;
}

async function latency() {
  const pkgDir = join(corpusRoot, SAMPLE_PACKAGE);
  const sample = join(pkgDir, SAMPLE);
  const lines = readFileSync(sample, 'utf8').split('\n').length;
  const result = { sample: `${SAMPLE_PACKAGE}/${SAMPLE}`, lines, processes, edits, changes: fullText ? 'full text' : 'incremental' };
  const debounceMs = 300;
  // (a) the file in its whole package (every file of the package indexed before its diagnostics)
  const ws = copyOf(pkgDir);
  const alone = mkdtempSync(join(tmpdir(), 'authlint-lsp-bench-alone-'));
  try {
    result.packageFiles = sourceCount(ws);
    writeFileSync(join(alone, 'package.json'), '{ "name": "alone", "private": true }\n');
    mkdirSync(join(alone, 'src'));
    cpSync(sample, join(alone, 'src', 'types.js'));
    const runs = { package: [], alone: [] };
    for (let i = 0; i < processes; i++) {
      runs.package.push(await coldRun(ws, join(ws, SAMPLE), debounceMs));
      runs.alone.push(await coldRun(alone, join(alone, 'src', 'types.js'), debounceMs));
      log(`cold run ${i + 1}/${processes}: package ${round(runs.package[i].fromSpawnMs)} ms, alone ${round(runs.alone[i].fromSpawnMs)} ms from spawn`);
    }
    for (const [k, rs] of Object.entries(runs)) {
      const keys = rs.flatMap((r) => r.keystrokeMs);
      result[k] = {
        firstDiagnosticsFromSpawnMs: { p50: round(percentile(rs.map((r) => r.fromSpawnMs), 50)), p95: round(percentile(rs.map((r) => r.fromSpawnMs), 95)), max: round(Math.max(...rs.map((r) => r.fromSpawnMs))) },
        firstDiagnosticsFromOpenMs: { p50: round(percentile(rs.map((r) => r.fromOpenMs), 50)), p95: round(percentile(rs.map((r) => r.fromOpenMs), 95)), max: round(Math.max(...rs.map((r) => r.fromOpenMs))) },
        packageDiagnosticsFromOpenMs: { p50: round(percentile(rs.map((r) => r.packageFromOpenMs), 50)), p95: round(percentile(rs.map((r) => r.packageFromOpenMs), 95)) },
        runs: rs.map((r) => ({ fromSpawnMs: round(r.fromSpawnMs), fromOpenMs: round(r.fromOpenMs), packageFromOpenMs: round(r.packageFromOpenMs), engineCodeCache: r.engineCodeCache })),
        keystrokeToDiagnosticsMs: { debounceMs, p50: round(percentile(keys, 50)), p95: round(percentile(keys, 95)), n: keys.length },
        findings: rs[0].findings,
        packageFindings: rs[0].packageFindings,
        rssMB: round(percentile(rs.map((r) => r.rssMB ?? NaN), 50), 1),
      };
    }
  } finally {
    rmSync(dirname(ws), { recursive: true, force: true });
    rmSync(alone, { recursive: true, force: true });
  }
  return result;
}

async function indexMemory() {
  // the corpus is copied out of the repository: its .gitignore ignores .cache/
  const ws = copyOf(corpusRoot);
  try {
    const out = { files: sourceCount(ws) };
    // in this process: the index alone
    const { ProjectIndex } = require(join(repoRoot, 'out', 'src', 'server', 'project-index.js'));
    const { walkFiles } = require(join(repoRoot, 'out', 'src', 'cli', 'walk.js'));
    const { analyzeFile } = require(join(repoRoot, 'out', 'src', 'cli', 'engine.js'));
    const files = walkFiles(ws, true).files;
    analyzeFile('const x = 401;', 'warm.js', {}); // the engine loaded before the first measure
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const index = new ProjectIndex((f) => readFileSync(f, 'utf8'));
    const t0 = performance.now();
    for (const f of files) index.reserve(f);
    for (const f of files) {
      let text;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        continue;
      }
      if (text.length <= 2_000_000) index.update(f, analyzeFile(text, f, {}), false);
    }
    const ms = performance.now() - t0;
    globalThis.gc();
    const after = process.memoryUsage().heapUsed;
    out.indexedFiles = index.fileCount();
    out.packages = index.packageCount();
    out.indexHeapMB = round((after - before) / 1024 / 1024, 2);
    out.buildMsInProcess = round(ms);
    // a real server over the corpus: resident size once the index is ready
    const s = startServer(ws);
    await s.init();
    const t1 = performance.now();
    for (;;) {
      const st = await s.conn.sendRequest('authlint/status', {});
      if (st.ready) {
        out.server = { ...st, readyAfterMs: round(performance.now() - t1), rssMB: rssMB(s.proc.pid) };
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await s.stop();
    // the same server, empty workspace but engine loaded: the baseline
    const emptyDir = mkdtempSync(join(tmpdir(), 'authlint-lsp-bench-empty-'));
    writeFileSync(join(emptyDir, 'a.js'), "app.get('/', (req, res) => res.status(401).end());\n");
    const e = startServer(emptyDir);
    await e.init();
    const uri = pathToFileURL(join(emptyDir, 'a.js')).href;
    const got = e.next(uri);
    await e.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text: readFileSync(join(emptyDir, 'a.js'), 'utf8') } });
    await got;
    out.baselineServerRssMB = rssMB(e.proc.pid);
    await e.stop();
    rmSync(emptyDir, { recursive: true, force: true });
    return out;
  } finally {
    rmSync(dirname(ws), { recursive: true, force: true });
  }
}

if (!existsSync(cli) || !existsSync(join(repoRoot, 'out', 'src', 'server', 'project-index.js'))) {
  console.error('lsp-latency: build first (npm run build; npx tsc -p .)');
  process.exit(2);
}
if (!existsSync(join(corpusRoot, SAMPLE_PACKAGE, SAMPLE))) {
  console.error(`lsp-latency: no bench corpus in ${relative(process.cwd(), corpusRoot) || corpusRoot} (npm run bench fetches it; or --corpus DIR)`);
  process.exit(2);
}
const result = { cli: relative(repoRoot, cli) || cli, loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 1)), latency: await latency() };
if (!args.includes('--no-memory')) result.memory = await indexMemory();
console.log(JSON.stringify(result, null, 2));
