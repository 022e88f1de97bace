// Part 4: the extension's cost. Bundle sizes; then, in fresh processes, the time to require
// dist/extension.js and call activate(), whether the parser is still unloaded after activation,
// the first lint of a 2,000-line server file (parser loading included), a keystroke's re-lint,
// and a file over the size limit. Each process is one cold start; medians over the processes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildProductionExtension } from './engine.mjs';
import { median, percentile } from './stats.mjs';

const HERE = new URL('.', import.meta.url).pathname;
export const SAMPLE = '@modelcontextprotocol__sdk@1.32.2/dist/esm/types.js';
const DEBOUNCE_MS = 300; // authlint.lint.debounceMs default (package.json)

function coldStart(extPath, sample, edits, namesFrom) {
  const r = spawnSync(process.execPath, [join(HERE, 'editor-child.mjs'), extPath, sample, String(edits), namesFrom], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`editor-child failed: ${r.stderr.slice(0, 800)}`);
  return JSON.parse(r.stdout);
}

function summarise(runs) {
  const warm = runs.flatMap((r) => r.warmMs);
  const m = (k) => round(median(runs.map((r) => r[k])));
  return {
    processes: runs.length,
    requireMs: m('requireMs'), requireMsRuns: runs.map((r) => round(r.requireMs)),
    activateMs: round(median(runs.map((r) => r.activateMs)), 2),
    requirePlusActivateMs: round(median(runs.map((r) => r.requireMs + r.activateMs))),
    parserLoadedAfterActivate: runs.some((r) => r.engineLoadedAfterActivate),
    firstLintMs: m('firstLintMs'), firstLintMsRuns: runs.map((r) => round(r.firstLintMs)),
    parserLoadedAfterFirstLint: runs.every((r) => r.engineLoadedAfterFirstLint),
    editLintP50: round(percentile(warm, 50)), editLintP95: round(percentile(warm, 95)), editLints: warm.length,
    rssAfterActivateMB: m('rssAfterActivateMB'), rssAfterFirstLintMB: m('rssAfterFirstLintMB'),
    findings: runs[0].findings,
    oversize: { chars: runs[0].oversize.chars, ms: round(median(runs.map((r) => r.oversize.ms)), 3), skipped: runs[0].oversize.skipped },
  };
}

export async function runEditor({ repoRoot, corpusRoot, processes = 5, edits = 20, log = () => {} }) {
  const sample = join(corpusRoot, SAMPLE);
  const text = readFileSync(sample, 'utf8');
  const meta = JSON.parse(readFileSync(join(repoRoot, 'dist', 'meta.json'), 'utf8'));
  const prod = await buildProductionExtension(repoRoot);
  const builds = { dev: join(repoRoot, 'dist', 'extension.js'), production: prod.outfile };
  const out = {
    sample: { file: SAMPLE, lines: text.split('\n').length, bytes: Buffer.byteLength(text) },
    bundles: {
      'dist/extension.js': meta['dist/extension.js'] ?? statSync(builds.dev).size,
      'dist/cli.js': meta['dist/cli.js'] ?? statSync(join(repoRoot, 'dist', 'cli.js')).size,
      'extension.js, production (minified, as vsce packages it)': prod.bytes,
    },
    debounceMs: DEBOUNCE_MS,
    builds: {},
  };
  if (existsSync(join(repoRoot, 'dist', 'engine.js'))) out.bundles['dist/engine.js'] = statSync(join(repoRoot, 'dist', 'engine.js')).size;
  const runs = { dev: [], production: [] };
  for (let i = 0; i < processes; i++) {
    for (const b of i % 2 ? ['production', 'dev'] : ['dev', 'production']) runs[b].push(coldStart(builds[b], sample, edits, builds.dev));
    log(`  editor cold start ${i + 1}/${processes}: require ${round(runs.dev.at(-1).requireMs)} ms, first lint ${round(runs.dev.at(-1).firstLintMs)} ms (dev build)`);
  }
  for (const b of Object.keys(runs)) out.builds[b] = summarise(runs[b]);
  return out;
}

function round(x, d = 1) {
  return Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null;
}
