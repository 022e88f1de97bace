#!/usr/bin/env node
// Runs an extension test suite inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3,
// installed by scripts/setup-e2e.sh) opened in headless Debian chromium through playwright-core.
// The workbench's `payload` URL parameter carries the standard test options
// (extensionDevelopmentPath, extensionTestsPath); the Node extension host loads the test module,
// awaits its run(), and the workbench then calls window.codeAutomationExit(code).
//
// Takes @vscode/test-electron's flags, so it can be runTests()'s `vscodeExecutablePath`:
//   run-e2e.mjs [--extensionDevelopmentPath=DIR]... --extensionTestsPath=FILE
//               [--install-extension=VSIX]... [--restricted-workspace] [WORKSPACE_FOLDER]
//   (other --flags are ignored). --restricted-workspace leaves Workspace Trust on, so the folder
//   opens in Restricted Mode.
// Env: CODE_SERVER (binary), CHROMIUM (default /usr/bin/chromium), E2E_TIMEOUT_MS (default 240000),
//      E2E_VERBOSE=1 (every extension-host log line), E2E_KEEP=1 (keep the temp dir).
// Gives the extension host: AUTHLINT_E2E_RESULTS (JSON summary the suite writes, unless already
// set), AUTHLINT_E2E_SHOTS (folder for screenshots) and AUTHLINT_E2E_CONTROL (see screenshot()).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { handleLog } from './e2e-shots.mjs';

const t0 = Date.now();
const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.filter((a) => a.startsWith(`--${name}=`)).map((a) => path.resolve(a.slice(name.length + 3)));
const devPaths = flag('extensionDevelopmentPath');
const testsPath = flag('extensionTestsPath')[0];
const vsixes = flag('install-extension');
const restricted = argv.includes('--restricted-workspace');
const workspace = path.resolve(argv.find((a) => !a.startsWith('-')) ?? path.join(root, 'test/integration/workspace'));
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 240000);
// Where scripts/setup-e2e.sh installs it (same formula there and in test/integration/support/paths.ts).
const e2eCache = process.env.AUTHLINT_E2E_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'authlint-e2e');
const codeServer = process.env.CODE_SERVER || path.join(e2eCache, 'code-server/node_modules/.bin/code-server');

if (!testsPath) {
  console.error('run-e2e: --extensionTestsPath=FILE is required');
  process.exit(2);
}
if (!fs.existsSync(codeServer)) {
  console.error(`run-e2e: code-server is not installed (${codeServer} is missing). Run scripts/setup-e2e.sh.`);
  process.exit(2);
}
const vscodeVersion = (() => {
  // bin -> <code-server>/out/node/entry.js; VS Code's own package.json is in lib/vscode.
  for (let dir = path.dirname(fs.realpathSync(codeServer)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'lib/vscode/package.json');
    if (fs.existsSync(pkg)) return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
  }
  return 'unknown';
})();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-e2e-'));
const userData = path.join(tmp, 'user-data');
const extensionsDir = path.join(tmp, 'extensions');
const control = path.join(tmp, 'control');
const shots = path.join(root, 'test-results');
const resultsFile = process.env.AUTHLINT_E2E_RESULTS || path.join(tmp, 'results.json');
for (const d of [path.join(userData, 'User'), extensionsDir, control, shots]) fs.mkdirSync(d, { recursive: true });
fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': restricted,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  // The built-in TypeScript extension is not under test: keep its server light (syntax only).
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.tsserver.useSyntaxServer': 'always',
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
}, null, 2));
fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\ncert: false\n');
const common = ['--config', path.join(tmp, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensionsDir];

let server;
let context;
let exitCode = 1;
const cleanup = async () => {
  if (context) await context.close().catch(() => {});
  if (server) {
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 300));
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* ended */ }
  }
  if (process.env.E2E_KEEP) log('kept', tmp);
  else fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { void cleanup().then(() => process.exit(1)); });

try {
  log(`VS Code ${vscodeVersion} (code-server build), chromium ${process.env.CHROMIUM || '/usr/bin/chromium'}${restricted ? ', Restricted Mode' : ''}`);
  for (const vsix of vsixes) {
    const r = spawnSync(codeServer, [...common, '--install-extension', vsix], { encoding: 'utf8' });
    log(`install ${path.basename(vsix)}: ${(r.stdout + r.stderr).trim().split('\n').pop()}`);
    if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}${r.stderr}`);
  }
  const port = await new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
  // Own process group, so the extension host and tsserver end with it.
  server = spawn(codeServer, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', ...(restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened'], {
    detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AUTHLINT_E2E_RESULTS: resultsFile, AUTHLINT_E2E_SHOTS: shots, AUTHLINT_E2E_CONTROL: control },
  });
  let serverLog = '';
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (i > 600 || server.exitCode !== null) throw new Error(`code-server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`code-server listening on 127.0.0.1:${port}`);

  // Payload URIs must carry the workbench's remote authority (code-server says "remote").
  const html = await (await fetch(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`)).text();
  const cfg = /id="vscode-workbench-web-configuration" data-settings="([^"]*)"/.exec(html);
  const authority = cfg ? JSON.parse(cfg[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')).remoteAuthority : 'remote';
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = JSON.stringify([
    ...devPaths.map((d) => ['extensionDevelopmentPath', remote(d)]),
    ['extensionTestsPath', remote(testsPath)],
  ]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;

  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      // The workbench must run its timers at full speed although nobody looks at the page.
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  await page.exposeFunction('codeAutomationLog', (type, msg) => {
    const text = Array.isArray(msg) ? msg.join(' ') : String(msg);
    if (handleLog(page, text, { control, shots, log })) return;
    if (process.env.E2E_VERBOSE || /AUTHLINT|\bfailed\b|Error/.test(text)) console.log(`  [host ${type}] ${text.slice(0, 2000)}`);
  });
  await page.goto(url);
  log('workbench opened; tests running in the extension host');
  let timer;
  const code = await Promise.race([exited, new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`no result after ${timeoutMs} ms`)), timeoutMs);
  })]);
  clearTimeout(timer);
  log(`extension host finished with exit code ${code}`);
  if (fs.existsSync(resultsFile)) {
    const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    for (const l of r.lines ?? []) console.log(`  ${l}`);
    for (const n of r.notes ?? []) console.log(`  note: ${n}`);
    console.log(`${r.passed} passed, ${r.failed} failed`);
    exitCode = code === 0 && r.failed === 0 && r.passed > 0 ? 0 : 1;
  } else {
    console.log('run-e2e: the suite wrote no results file');
  }
} catch (err) {
  console.error(`run-e2e: ${err.message}`);
  const page = context?.pages()[0];
  if (page) await page.screenshot({ path: path.join(shots, 'e2e-failure.png') }).catch(() => {});
} finally {
  await cleanup();
  log('done');
}
process.exit(exitCode);
