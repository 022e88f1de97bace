// One cold start of the AuthLint language server, driven like an editor drives it (spawned by
// editor.mjs; prints JSON). Spawns `node <server.js> --stdio` on a workspace folder, answers its
// requests (workspace/configuration, progress, registrations), opens the 2,000-line file right
// after `initialized` (as VS Code opens the visible editors) and times the first
// publishDiagnostics; then types one character at a time (in, out again, as perf-notes §8),
// waiting for each keystroke's diagnostics (the version the server answers for).
// Usage: node lsp-child.mjs <server.js> <workspace folder> <file in it> <keystrokes> [index-only]
// index-only: no file is opened; times the index of the whole folder (authlint/status ready) and
// reads the server's memory (the bench corpus).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [serverJs, folder, file, keystrokes, mode] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const DEBOUNCE_MS = 300;
const settings = { lint: { debounceMs: DEBOUNCE_MS, maxFileSize: 2_000_000 } };

const out = {};
const t0 = performance.now();
const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
let stderr = '';
proc.stderr.on('data', (d) => (stderr += d));
const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
const waiters = [];
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  const at = performance.now();
  for (const w of [...waiters]) if (w.test(p)) { waiters.splice(waiters.indexOf(w), 1); w.resolve({ p, at }); }
});
conn.onNotification('window/logMessage', () => {});
conn.onNotification('$/progress', () => {});
conn.onRequest('workspace/configuration', (p) => p.items.map(() => settings));
conn.onRequest('window/workDoneProgress/create', () => null);
conn.onRequest('client/registerCapability', () => null);
conn.listen();
const published = (test, what, timeoutMs = 60000) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no publishDiagnostics for ${what} after ${timeoutMs} ms; stderr: ${stderr.slice(0, 500)}`)), timeoutMs);
  waiters.push({ test, resolve: (v) => { clearTimeout(timer); resolve(v); } });
});
const memory = () => {
  try {
    const s = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMB: Math.round(kb('VmHWM') / 102.4) / 10 };
  } catch {
    return {};
  }
};

const folderUri = pathToFileURL(folder).href;
await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: folderUri,
  workspaceFolders: [{ uri: folderUri, name: 'bench' }],
  capabilities: {
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
    textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true }, synchronization: { dynamicRegistration: false } },
    window: { workDoneProgress: true },
  },
});
out.initializeMs = performance.now() - t0;
conn.sendNotification('initialized', {});

try {
  if (mode === 'index-only') {
    for (;;) {
      const s = await conn.sendRequest('authlint/status', {});
      if (s.ready) { out.status = s; break; }
      if (performance.now() - t0 > 600000) throw new Error('index not ready after 10 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    out.indexReadyMs = performance.now() - t0;
    Object.assign(out, memory());
  } else {
    const uri = pathToFileURL(file).href;
    let text = readFileSync(file, 'utf8');
    let version = 1;
    const tOpen = performance.now();
    const first = published((p) => p.uri === uri, 'the opened file');
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version, text } });
    const { p, at } = await first;
    out.openToDiagnosticsMs = at - tOpen;
    out.spawnToDiagnosticsMs = at - t0;
    out.findings = p.diagnostics.length;
    Object.assign(out, memory());
    // keystrokes: one space in at the start of the middle line, then out again
    const mid = Math.floor(text.split('\n').length / 2);
    out.keystrokeMs = [];
    for (let i = 0; i < Number(keystrokes); i++) {
      version++;
      const insert = i % 2 === 0;
      const change = insert
        ? { range: { start: { line: mid, character: 0 }, end: { line: mid, character: 0 } }, text: ' ' }
        : { range: { start: { line: mid, character: 0 }, end: { line: mid, character: 1 } }, text: '' };
      const v = version;
      const answer = published((q) => q.uri === uri && (q.version === undefined || q.version >= v), `keystroke ${i + 1}`);
      const tk = performance.now();
      conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [change] });
      const { at: got } = await answer;
      out.keystrokeMs.push(got - tk);
    }
    out.afterTypingRssMB = memory().rssMB;
  }
} finally {
  try {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    conn.sendNotification('exit');
  } catch { /* gone */ }
  setTimeout(() => proc.kill('SIGKILL'), 1000).unref();
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
