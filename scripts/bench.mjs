// `npm run bench`: AuthLint's speed against the parse floor, against ESLint 9, and its cost in
// the editor. Not part of `npm test`. Prints a table, writes bench/results.json and the results
// section of docs/performance.md. Ratios and budgets are reported, never asserted.
//
//   node scripts/bench.mjs [--quick] [--rounds N] [--warmup N] [--ws-rounds N] [--processes N]
//                          [--skip per-file,workspace,pipeline,startup,editor] [--profile] [--no-docs]
// --profile: also profile the analysis (done anyway when the analysis-over-parse target is missed).
// --quick: 1 warm-up + 2 rounds, 1 workspace round, 2 editor processes (a smoke run, a few minutes).
// --merge: a partial run (--skip) replaces its parts in bench/results.json (each merged part
// records its own commit and date) and rewrites the results section of docs/performance.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { corpusRoot as corpusRootOf, fetchCorpus, loadCorpus } from './bench/corpus.mjs';
import { runEditor, SAMPLE } from './bench/editor.mjs';
import { buildBundles, buildEngine, loadEngine } from './bench/engine.mjs';
import { runPerFile } from './bench/per-file.mjs';
import { runPipeline } from './bench/pipeline.mjs';
import { runProfile } from './bench/profile.mjs';
import { runStartup } from './bench/startup.mjs';
import { markdown, targets, text } from './bench/report.mjs';
import { BANDS } from './bench/stats.mjs';
import { runWorkspace } from './bench/workspace.mjs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const quick = args.includes('--quick');
const skip = new Set((args[args.indexOf('--skip') + 1] ?? '').split(',').filter(() => args.includes('--skip')));
const settings = {
  warmup: opt('warmup', 1),
  rounds: opt('rounds', quick ? 2 : 5),
  wsRounds: opt('ws-rounds', quick ? 1 : 3),
  processes: opt('processes', quick ? 2 : 5),
};
const log = (s) => process.stderr.write(s + '\n');
const started = Date.now();

const corpusRoot = corpusRootOf(repoRoot);
log('corpus: fetching what is not cached yet (npm pack)');
await fetchCorpus(corpusRoot, log);
const { files, packages } = loadCorpus(corpusRoot);
const totalBytes = files.reduce((a, f) => a + f.bytes, 0);
const corpus = {
  files: files.length, ts: files.filter((f) => f.ts).length, mb: Math.round(totalBytes / 1e4) / 100,
  lines: files.reduce((a, f) => a + f.lines, 0),
  bands: BANDS.map((b) => ({ label: b.label, files: files.filter((f) => b.test(f.lines)).length })),
  packages: packages.map((p) => ({ ...p, kb: Math.round(p.bytes / 1000) })),
};
log(`corpus: ${corpus.files} files, ${corpus.mb} MB from ${packages.length} packages`);

const enginePath = await buildEngine(repoRoot);
const bundles = await buildBundles(repoRoot);
const results = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  commit: git(['rev-parse', '--short', 'HEAD']),
  dirty: git(['status', '--porcelain', '--', 'src']) !== '',
  settings,
  machine: { cpu: cpus()[0]?.model.trim(), cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30 * 10) / 10, kernel: release(), node: process.version, v8: process.versions.v8 },
  versions: Object.fromEntries(['@typescript-eslint/typescript-estree', 'typescript', 'eslint', '@typescript-eslint/parser', 'esbuild']
    .map((p) => [p, JSON.parse(readFileSync(join(repoRoot, 'node_modules', p, 'package.json'), 'utf8')).version])),
  corpus,
};

// Each part runs on its own: a failure is recorded in results.errors and the others still run.
// The results file is rewritten after every part, so an interrupted run keeps what it measured.
results.errors = {};
const parts = {
  'per-file': () => {
    log(`per-file: floor vs analysis vs as shipped, ${settings.warmup} warm-up + ${settings.rounds} rounds`);
    const { fileMedians, ...perFile } = runPerFile(loadEngine(enginePath), files, { warmup: settings.warmup, rounds: settings.rounds, log });
    results.perFile = perFile;
    results.perFile.sample = fileMedians(SAMPLE);
  },
  workspace: () => {
    log(`workspace: AuthLint vs ESLint, ${settings.wsRounds} round(s), fresh processes`);
    results.workspace = runWorkspace({ repoRoot, corpusRoot, files, enginePath, cli: bundles.dev.cli, rounds: settings.wsRounds, log });
  },
  profile: async () => {
    const missed = results.targets?.some((t) => t.id === 'analysis-over-parse' && !t.met);
    if (!args.includes('--profile') && !missed) return;
    log('profile: CPU profile of 2 forced-analysis passes');
    results.profile = await runProfile(loadEngine(enginePath), enginePath, files, { outDir: join(repoRoot, '.cache', 'bench'), log });
  },
  pipeline: async () => {
    log(`pipeline: lint --cache vs eslint --cache, cold cache vs plain, ${settings.wsRounds} round(s)`);
    results.pipeline = await runPipeline({ repoRoot, corpusRoot, files, cli: bundles.dev.cli, rounds: settings.wsRounds, log });
  },
  startup: async () => {
    log('startup: time to first output of each command, next to bare node');
    results.startup = await runStartup({ repoRoot, corpusRoot, files, cli: bundles.dev.cli, runs: quick ? 5 : 15, log });
    results.startup.cliBytes = { 'cli.js': bundles.dev.cliBytes, ...bundles.dev.cliCommandBytes };
  },
  editor: () => {
    log(`editor: ${settings.processes} cold start(s) per build`);
    results.editor = runEditor({ repoRoot, corpusRoot, bundles, processes: settings.processes, log });
  },
};
// Only a full run replaces the committed bench/results.json; --quick, --skip and changed round
// counts write .cache/bench/results-partial.json instead.
const full = !quick && skip.size === 0 && !['--rounds', '--warmup', '--ws-rounds', '--processes'].some((a) => args.includes(a));
const merge = !full && args.includes('--merge') && existsSync(join(repoRoot, 'bench', 'results.json'));
const resultsFile = full ? join(repoRoot, 'bench', 'results.json') : join(repoRoot, '.cache', 'bench', 'results-partial.json');
mkdirSync(dirname(resultsFile), { recursive: true });
for (const [id, run] of Object.entries(parts)) {
  if (skip.has(id)) continue;
  try {
    await run();
  } catch (err) {
    results.errors[id] = String(err.stack ?? err).slice(0, 2000);
    log(`${id} failed: ${err.message}`);
  }
  results.durationS = Math.round((Date.now() - started) / 1000);
  results.targets = targets(results);
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
}
process.stdout.write(`${text(results)}\n\nwrote ${relative(repoRoot, resultsFile)}\n`);

let published = full ? results : undefined;
if (merge) {
  const key = { 'per-file': 'perFile', workspace: 'workspace', pipeline: 'pipeline', editor: 'editor', profile: 'profile' };
  const committed = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results.json'), 'utf8'));
  for (const id of Object.keys(parts)) {
    if (skip.has(id) || !results[key[id]]) continue;
    committed[key[id]] = { ...results[key[id]], commit: results.commit, date: results.date, dirty: results.dirty };
    if (committed.errors) delete committed.errors[id];
    if (results.errors[id]) (committed.errors ??= {})[id] = results.errors[id];
  }
  committed.targets = targets(committed);
  writeFileSync(join(repoRoot, 'bench', 'results.json'), JSON.stringify(committed, null, 2) + '\n');
  process.stdout.write('merged the measured parts into bench/results.json\n');
  published = committed;
}

const docs = join(repoRoot, 'docs', 'performance.md');
if (!args.includes('--no-docs') && published && existsSync(docs)) {
  const START = '<!-- bench:results:start -->';
  const END = '<!-- bench:results:end -->';
  const md = readFileSync(docs, 'utf8');
  const a = md.indexOf(START);
  const b = md.indexOf(END);
  if (a >= 0 && b > a) {
    writeFileSync(docs, md.slice(0, a + START.length) + '\n' + markdown(published) + '\n' + md.slice(b));
    process.stdout.write('updated the results section of docs/performance.md\n');
  }
}

function git(argv) {
  try {
    return execFileSync('git', argv, { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
