// One timed workspace lint in a fresh process (spawned by workspace.mjs), printing JSON.
// Usage: node ws-child.mjs authlint|authlint-all|eslint-api <engine.cjs> <file list>, cwd = corpus root.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [mode, enginePath, listFile] = process.argv.slice(2);
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const require = createRequire(import.meta.url);
let out;

if (mode === 'eslint-api') {
  const { ESLint } = await import('eslint');
  const tsParser = (await import('@typescript-eslint/parser')).default;
  const { flatConfig } = await import('./eslint-rule.mjs');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: flatConfig(tsParser), warnIgnored: false });
  const results = await eslint.lintFiles(files);
  const ms = performance.now() - t0;
  const messages = results.reduce((a, r) => a + r.messages.length, 0);
  out = { ms, cpuMs: cpuMs(c0), files: results.length, messages, fatal: results.filter((r) => r.fatalErrorCount > 0).length };
} else {
  const engine = require(enginePath);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'authlint') {
    const report = engine.lintPaths(files);
    out = { ms: performance.now() - t0, cpuMs: cpuMs(c0), files: report.files, findings: report.findings.length, errors: report.errors.length };
  } else {
    // every file parsed and analysed: the CLI's two passes without the prefilter
    const analyses = files.map((f) => {
      const text = readFileSync(f, 'utf8');
      const parsed = engine.parseSource(text, f);
      return parsed.ok ? { facts: engine.collect(parsed.ast, text) } : { error: parsed.error };
    });
    const project = engine.projectFactsOf(analyses);
    const findings = analyses.reduce((n, a) => n + engine.findingsOf(a, {}, project).findings.length, 0);
    out = { ms: performance.now() - t0, cpuMs: cpuMs(c0), files: analyses.length, findings, errors: analyses.filter((a) => 'error' in a).length };
  }
}
process.stdout.write(JSON.stringify(out) + '\n');

function cpuMs(start) {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}
