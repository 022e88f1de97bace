// Integration entry point (`node out/test/integration/runTest.js`, called by `npm test`).
// Runs the suite inside VS Code through @vscode/test-electron's runTests. Nothing can download
// a desktop VS Code here, so the "executable" is scripts/run-e2e.mjs (code-server 4.100.3 =
// VS Code 1.100.3 in headless chromium), unless VSCODE_EXECUTABLE_PATH names a real one.
// Four runs: the development copy (the main suite), parity with the CLI on a copy of
// test/fixtures/lsp-workspace (test/integration/parity), the main workspace in Restricted Mode
// (test/integration/restricted), then the packaged .vsix installed into a fresh code-server
// (test/integration/vsix). Every run works on a temporary copy of its workspace. Prints a line per
// finished test while it runs; ends with the line `N passed, N failed`. AUTHLINT_E2E_RUNS (for
// example `lsp parity`, comma-separated titles) runs only the named runs while developing.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { codeServerBin, prepareWorkspace, repoRoot } from './support/paths';

const root = repoRoot(__dirname);
const runner = path.join(root, 'scripts', 'run-e2e.mjs');
const executable = process.env.VSCODE_EXECUTABLE_PATH || runner;
const usesRunner = path.resolve(executable) === runner;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-it-'));
let passed = 0;
let failed = 0;

function ensureCodeServer(): boolean {
  const bin = codeServerBin();
  if (fs.existsSync(bin) && fs.existsSync(process.env.CHROMIUM || '/usr/bin/chromium')) return true;
  console.log('code-server 4.100.3 (VS Code 1.100.3) or chromium is not installed: running scripts/setup-e2e.sh');
  spawnSync('bash', [path.join(root, 'scripts/setup-e2e.sh')], { stdio: 'inherit' });
  if (fs.existsSync(bin)) return true;
  console.log(`The integration suite cannot run: code-server is still missing at ${bin} `
    + '(scripts/setup-e2e.sh needs root for apt-get, and the npm registry).');
  return false;
}

const only = process.env.AUTHLINT_E2E_RUNS?.split(',').map((t) => t.trim()).filter(Boolean);

async function runOnce(title: string, opts: { dev: string; tests: string; launchArgs: string[] }): Promise<void> {
  if (only && !only.includes(title)) {
    console.log(`\n> integration run "${title}": skipped (AUTHLINT_E2E_RUNS)`);
    return;
  }
  const results = path.join(tmp, `${title}.json`);
  console.log(`\n> integration run "${title}" with ${usesRunner ? 'scripts/run-e2e.mjs (code-server)' : executable}`);
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: opts.dev,
      extensionTestsPath: opts.tests,
      launchArgs: opts.launchArgs,
      // On a shared 2-core machine the main suite can take longer than the runner's default 240 s.
      extensionTestsEnv: { AUTHLINT_E2E_RESULTS: results, E2E_TIMEOUT_MS: process.env.E2E_TIMEOUT_MS || '720000' },
    });
  } catch (err) {
    console.log(`run "${title}" failed: ${(err as Error).message}`);
  }
  if (!fs.existsSync(results)) {
    console.log(`run "${title}": the suite wrote no results`);
    failed++;
    return;
  }
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  console.log(`run "${title}" used ${r.vscode}: ${r.passed} passed, ${r.failed} failed`);
  for (const n of r.notes ?? []) console.log(`  note: ${n}`);
  passed += r.passed;
  failed += r.failed;
}

function packageVsix(): string | undefined {
  const out = path.join(tmp, 'authlint.vsix');
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`vsce package failed:\n${r.stdout}${r.stderr}`);
    return undefined;
  }
  console.log(`packaged ${(fs.statSync(out).size / 1024).toFixed(0)} KiB .vsix`);
  return out;
}

async function main(): Promise<void> {
  if (usesRunner && !ensureCodeServer()) {
    failed++;
    return;
  }
  console.log(`VS Code under test: ${usesRunner ? 'code-server build of VS Code (see the run lines)' : executable}`);
  await runOnce('development', {
    dev: root,
    tests: path.join(root, 'out/test/integration/suite/index.js'),
    launchArgs: [prepareWorkspace(root, tmp, 'ws-dev')],
  });
  await runOnce('lsp parity', {
    dev: root,
    tests: path.join(root, 'out/test/integration/parity/index.js'),
    launchArgs: [prepareWorkspace(root, tmp, 'ws-parity', 'test/fixtures/lsp-workspace')],
  });
  if (!usesRunner) {
    console.log('the Restricted Mode and .vsix runs need the code-server runner: skipped with VSCODE_EXECUTABLE_PATH');
    return;
  }
  await runOnce('restricted mode', {
    dev: root,
    tests: path.join(root, 'out/test/integration/restricted/index.js'),
    launchArgs: [prepareWorkspace(root, tmp, 'ws-restricted'), '--restricted-workspace'],
  });
  if (only && !only.includes('packaged vsix')) return;
  const vsix = packageVsix();
  if (!vsix) {
    failed++;
    return;
  }
  await runOnce('packaged vsix', {
    dev: path.join(root, 'test/integration/vsix-harness'),
    tests: path.join(root, 'out/test/integration/vsix/index.js'),
    launchArgs: [prepareWorkspace(root, tmp, 'ws-vsix'), `--install-extension=${vsix}`],
  });
}

main()
  .catch((err) => {
    console.log(`integration runner error: ${(err as Error).stack ?? err}`);
    failed++;
  })
  .finally(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 || passed === 0 ? 1 : 0);
  });
