// npm test: build, type-check and compile, run the unit suite with mocha, then the
// integration suite inside a real VS Code (when not --unit-only). Ends with the line
// `N passed, N failed` of the real totals, which CI reads.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(new URL('..', import.meta.url).pathname);
const unitOnly = process.argv.includes('--unit-only');
const grep = (() => { const i = process.argv.indexOf('--grep'); return i > 0 ? process.argv[i + 1] : undefined; })();

function step(title, cmd, args, opts = {}) {
  console.log(`\n> ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status === 0;
}

function findTests(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

let passed = 0;
let failed = 0;

if (!step('build (esbuild)', process.execPath, ['esbuild.mjs'])) failed++;
if (!step('type-check and compile tests (tsc)', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'])) {
  failed++;
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(1);
}

const Mocha = require('mocha');
const mocha = new Mocha({ timeout: 30000, reporter: 'spec', grep });
for (const f of findTests(join(root, 'out', 'test', 'unit'))) mocha.addFile(f);
await new Promise((done) => {
  const runner = mocha.run(() => done());
  runner.on('pass', () => passed++);
  runner.on('fail', () => failed++);
});

if (!unitOnly) {
  const runTest = join(root, 'out', 'test', 'integration', 'runTest.js');
  if (existsSync(runTest)) {
    console.log('\n> integration suite (VS Code): a line per finished test, a heartbeat every 15 s');
    const r = await runStreaming(process.execPath, [runTest]);
    const m = /^(\d+) passed, (\d+) failed/m.exec([...r.stdout.split('\n')].reverse().join('\n'));
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    }
    if (r.status !== 0 && (!m || Number(m[2]) === 0)) failed++;
  }
}

/** Runs the integration runner, passing its output through as it comes, with a heartbeat. */
function runStreaming(cmd, args) {
  return new Promise((resolveRun) => {
    const t0 = Date.now();
    let out = '';
    let ok = 0;
    let bad = 0;
    let last = Date.now();
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      ok += (chunk.match(/AUTHLINT ok /g) ?? []).length;
      bad += (chunk.match(/AUTHLINT FAIL /g) ?? []).length;
      last = Date.now();
      process.stdout.write(chunk);
    });
    const beat = setInterval(() => {
      if (Date.now() - last < 14000) return;
      const s = Math.round((Date.now() - t0) / 1000);
      console.log(`  … integration suite still running: ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s, ${ok} passed, ${bad} failed so far`);
      last = Date.now();
    }, 15000);
    child.on('close', (status) => {
      clearInterval(beat);
      resolveRun({ status, stdout: out });
    });
  });
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
