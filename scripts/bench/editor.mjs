// Part 4: the editor. Linting runs in the AuthLint language server, its own Node process; the
// extension is a thin client. Measured here:
//  - bundle sizes; in fresh processes, require + activate() of dist/extension.js with a stand-in
//    `vscode` (editor-child.mjs), and that the analysis engine stays out of the extension host;
//  - the server, driven over stdio like an editor (lsp-child.mjs), cold each time: first
//    diagnostics after opening the 2,000-line sample right after `initialized`, then keystroke ->
//    diagnostics (debounce included) for single characters typed into it;
//  - the index's memory for the whole bench corpus as one workspace folder (one process);
//  - in a real VS Code (code-server + headless chromium via scripts/run-e2e.mjs, when installed):
//    the same first diagnostics and keystroke latencies, and the extension host's time in
//    AuthLint's client hooks per keystroke (test/integration/bench/latency.ts).
// Medians and percentiles, never asserted.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, percentile, rotation } from './stats.mjs';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const SAMPLE = '@modelcontextprotocol__sdk@1.32.2/dist/esm/types.js';
const DEBOUNCE_MS = 300; // authlint.lint.debounceMs default (package.json)

function child(script, args) {
  const r = spawnSync(process.execPath, [join(HERE, script), ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr.slice(0, 800)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** A workspace folder holding only the sample (and a package.json), as a user opening one file's project. */
function sampleWorkspace(sample) {
  const dir = mkdtempSync(join(tmpdir(), 'authlint-bench-editor-'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "bench-sample", "private": true }\n');
  copyFileSync(sample, join(dir, 'sample.js'));
  return dir;
}

function summariseActivation(runs) {
  return {
    processes: runs.length,
    requireMs: round(median(runs.map((r) => r.requireMs))), requireMsRuns: runs.map((r) => round(r.requireMs)),
    activateMs: round(median(runs.map((r) => r.activateMs)), 2),
    requirePlusActivateMs: round(median(runs.map((r) => r.requireMs + r.activateMs))),
    engineLoadedInHost: runs.some((r) => r.engineLoadedAfterActivate),
    rssAfterActivateMB: round(median(runs.map((r) => r.rssAfterActivateMB))),
  };
}

function summariseServer(runs) {
  const keys = runs.flatMap((r) => r.keystrokeMs);
  return {
    processes: runs.length,
    initializeMs: round(median(runs.map((r) => r.initializeMs))),
    openToDiagnosticsMs: round(median(runs.map((r) => r.openToDiagnosticsMs))), openToDiagnosticsMsRuns: runs.map((r) => round(r.openToDiagnosticsMs)),
    spawnToDiagnosticsMs: round(median(runs.map((r) => r.spawnToDiagnosticsMs))),
    keystrokes: keys.length, keystrokeP50: round(percentile(keys, 50)), keystrokeP95: round(percentile(keys, 95)),
    rssAfterOpenMB: round(median(runs.map((r) => r.rssMB))), rssAfterTypingMB: round(median(runs.map((r) => r.afterTypingRssMB))),
    findings: runs[0].findings,
  };
}

/** One run of test/integration/bench in code-server; undefined when code-server is not installed. */
function inVsCode(repoRoot, sample, log) {
  const cache = process.env.AUTHLINT_E2E_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'authlint-e2e');
  const codeServer = process.env.CODE_SERVER || join(cache, 'code-server/node_modules/.bin/code-server');
  const suite = join(repoRoot, 'out/test/integration/bench/index.js');
  if (!existsSync(codeServer) || !existsSync(suite) || !existsSync(join(repoRoot, 'dist/server.js'))) {
    log('  editor: VS Code part skipped (needs scripts/setup-e2e.sh, `npx tsc -p .` and `npm run build`)');
    return undefined;
  }
  const ws = sampleWorkspace(sample);
  const results = join(ws, '..', `${ws.split(/[\\/]/).pop()}-results.json`);
  try {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/run-e2e.mjs'), `--extensionDevelopmentPath=${repoRoot}`, `--extensionTestsPath=${suite}`, ws],
      { encoding: 'utf8', env: { ...process.env, AUTHLINT_E2E_RESULTS: results }, maxBuffer: 64 << 20 });
    if (!existsSync(results)) throw new Error(`the VS Code run wrote no results: ${(r.stdout + r.stderr).slice(-800)}`);
    const notes = JSON.parse(readFileSync(results, 'utf8')).notes ?? [];
    const line = notes.find((n) => n.startsWith('BENCH '));
    if (!line) throw new Error(`no BENCH note: ${(r.stdout + r.stderr).slice(-800)}`);
    const m = JSON.parse(line.slice(6));
    return {
      vscode: '1.100.3 (code-server build, headless chromium)',
      extensionWasActive: m.wasActive,
      openToFirstDiagnosticsMs: round(m.openToFirstDiagnosticsMs),
      keystrokes: m.keystrokes, keystrokeP50: round(percentile(m.keystrokeMs, 50)), keystrokeP95: round(percentile(m.keystrokeMs, 95)),
      hostMsPerKeystroke: round(m.hostMsPerKeystroke, 3),
      hostMsInChangeHook: round(m.hostMsInChangeHook, 3), hostMsInPublishHook: round(m.hostMsInPublishHook, 3), changes: m.changes, publishes: m.publishes,
    };
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(results, { force: true });
  }
}

export function runEditor({ repoRoot, corpusRoot, bundles, processes = 5, keystrokes = 20, log = () => {} }) {
  const sample = join(corpusRoot, SAMPLE);
  const text = readFileSync(sample, 'utf8');
  const types = join(repoRoot, 'node_modules', '@types', 'vscode', 'index.d.ts');
  const out = {
    sample: { file: SAMPLE, lines: text.split('\n').length, bytes: Buffer.byteLength(text) },
    bundles: {
      'extension.js (npm run build)': bundles.dev.extensionBytes,
      'extension.js (production, minified: what vsce packages)': bundles.production.extensionBytes,
      'server.js (npm run build)': bundles.dev.serverBytes,
      'server.js (production)': bundles.production.serverBytes,
      'engine.js, loaded by the server (npm run build)': bundles.dev.engineBytes,
      'engine.js (production)': bundles.production.engineBytes,
      'cli.js (production)': bundles.production.cliBytes,
    },
    debounceMs: DEBOUNCE_MS,
    activation: {},
    server: {},
  };
  const act = { dev: [], production: [] };
  const srv = { dev: [], production: [] };
  for (let i = 0; i < processes; i++) {
    for (const b of rotation(Object.keys(act), i)) {
      act[b].push(child('editor-child.mjs', [bundles[b].extension, '-', '0', types]));
      const ws = sampleWorkspace(sample);
      try {
        srv[b].push(child('lsp-child.mjs', [bundles[b].server, ws, join(ws, 'sample.js'), String(keystrokes)]));
      } finally {
        rmSync(ws, { recursive: true, force: true });
      }
    }
    const s = srv.production.at(-1);
    log(`  editor cold start ${i + 1}/${processes}: server open -> diagnostics ${round(s.openToDiagnosticsMs)} ms, keystroke p95 ${round(percentile(s.keystrokeMs, 95))} ms (production build)`);
  }
  for (const b of Object.keys(act)) {
    out.activation[b] = summariseActivation(act[b]);
    out.server[b] = summariseServer(srv[b]);
  }
  log('  editor: the index of the whole corpus (one workspace folder), production server');
  const idx = child('lsp-child.mjs', [bundles.production.server, corpusRoot, '-', '0', 'index-only']);
  out.corpusIndex = { packages: idx.status.packages, indexedFiles: idx.status.indexedFiles, readyMs: round(idx.indexReadyMs), rssMB: idx.rssMB, peakRssMB: idx.peakRssMB };
  log('  editor: VS Code run (code-server)');
  out.vscode = inVsCode(repoRoot, sample, log);
  return out;
}

function round(x, d = 1) {
  return Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null;
}
