// Part 4: the extension's cost. Bundle sizes; then, in fresh processes, the time to require
// dist/extension.js and call activate(), whether the parser is still unloaded after activation,
// the first lint of a 2,000-line server file (parser loading included), a keystroke's re-lint,
// and a file over the size limit. Each process is one cold start; medians over the processes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, percentile, rotation } from './stats.mjs';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const SAMPLE = '@modelcontextprotocol__sdk@1.32.2/dist/esm/types.js';
const DEBOUNCE_MS = 300; // authlint.lint.debounceMs default (package.json)

function coldStart(extPath, sample, edits, namesFrom) {
  // namesFrom: @types/vscode's index.d.ts, where the stand-in takes the API's names from
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
    engineLoadMs: runs[0].engineLoadMs === undefined ? null : m('engineLoadMs'),
    editLintP50: round(percentile(warm, 50)), editLintP95: round(percentile(warm, 95)), editLints: warm.length,
    rssAfterActivateMB: m('rssAfterActivateMB'), rssAfterFirstLintMB: m('rssAfterFirstLintMB'),
    findings: runs[0].findings,
    oversize: { chars: runs[0].oversize.chars, ms: round(median(runs.map((r) => r.oversize.ms)), 3), skipped: runs[0].oversize.skipped },
  };
}

export function runEditor({ repoRoot, corpusRoot, bundles, processes = 5, edits = 20, log = () => {} }) {
  const sample = join(corpusRoot, SAMPLE);
  const text = readFileSync(sample, 'utf8');
  const types = join(repoRoot, 'node_modules', '@types', 'vscode', 'index.d.ts');
  const out = {
    sample: { file: SAMPLE, lines: text.split('\n').length, bytes: Buffer.byteLength(text) },
    bundles: {
      'extension.js (npm run build)': bundles.dev.extensionBytes,
      'extension.js (production, minified: what vsce packages)': bundles.production.extensionBytes,
      'cli.js (npm run build)': bundles.dev.cliBytes,
      'cli.js (production)': bundles.production.cliBytes,
      'engine.js, loaded on the first lint (npm run build)': bundles.dev.engineBytes,
      'engine.js (production)': bundles.production.engineBytes,
    },
    debounceMs: DEBOUNCE_MS,
    builds: {},
  };
  const runs = { dev: [], production: [] };
  for (let i = 0; i < processes; i++) {
    for (const b of rotation(Object.keys(runs), i)) runs[b].push(coldStart(bundles[b].extension, sample, edits, types));
    log(`  editor cold start ${i + 1}/${processes}: require ${round(runs.dev.at(-1).requireMs)} ms, first lint ${round(runs.dev.at(-1).firstLintMs)} ms (dev build)`);
  }
  for (const b of Object.keys(runs)) out.builds[b] = summarise(runs[b]);
  return out;
}

function round(x, d = 1) {
  return Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null;
}
