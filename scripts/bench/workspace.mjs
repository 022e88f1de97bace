// Part 3: whole-workspace lint, AuthLint against ESLint 9 over the same files, each run in a
// fresh process, the runs interleaved (the order rotates every round). Both tools get the file
// list on the command line (the AuthLint folder walk skips dist/ and test code, which is most of
// this corpus, so `lint <folder>` would not read the same files; it is timed once, for reference).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadMeter, median, rotation } from './stats.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export function setup(repoRoot, corpusRoot, files) {
  const dir = join(repoRoot, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const list = join(dir, 'files.txt');
  writeFileSync(list, files.map((f) => f.rel).join('\n') + '\n');
  const config = join(dir, 'eslint.config.mjs');
  writeFileSync(config, [
    `import tsParser from ${JSON.stringify(pathToFileURL(join(repoRoot, 'node_modules/@typescript-eslint/parser/dist/index.js')).href)};`,
    `import { flatConfig } from ${JSON.stringify(pathToFileURL(join(HERE, 'eslint-rule.mjs')).href)};`,
    'export default flatConfig(tsParser);',
    '',
  ].join('\n'));
  return { list, config };
}

/** Runs node with the CPU probe preloaded; wall time around the process, CPU time from the probe. */
function timed(cmd, args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(HERE, 'cpu-probe.mjs')).href, ...cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  if (r.error || r.status === null || r.status > 1) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.error ?? r.stderr.slice(0, 500)}`);
  const cpu = /BENCH_CPU_MS (\S+)/.exec(r.stderr);
  return { wallMs, cpuMs: cpu ? Number(cpu[1]) : NaN, stdout: r.stdout };
}

export function runWorkspace({ repoRoot, corpusRoot, files, enginePath, cli, rounds = 2, log = () => {} }) {
  const { list, config } = setup(repoRoot, corpusRoot, files);
  const rels = files.map((f) => f.rel);
  const eslintBin = join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const child = join(HERE, 'ws-child.mjs');
  const bytes = files.reduce((a, f) => a + f.bytes, 0);

  const tools = {
    'authlint-cli': () => {
      const r = timed([cli, 'lint', '--format', 'json'], rels, corpusRoot);
      const j = JSON.parse(r.stdout);
      return { ms: r.wallMs, cpuMs: r.cpuMs, files: j.files, findings: j.findings.length, errors: j.errors.length };
    },
    'eslint-cli': () => {
      const r = timed([eslintBin, '-c', config, '--format', 'json', '--no-warn-ignored'], rels, corpusRoot);
      const j = JSON.parse(r.stdout);
      return { ms: r.wallMs, cpuMs: r.cpuMs, files: j.length, messages: j.reduce((a, x) => a + x.messages.length, 0) };
    },
    ...Object.fromEntries(['authlint-api', 'authlint-all', 'eslint-api'].map((id) => [id, () => {
      const mode = id === 'authlint-api' ? 'authlint' : id;
      const r = timed([child, mode, enginePath, list], [], corpusRoot);
      return { ...JSON.parse(r.stdout), wallMs: r.wallMs }; // ms and cpuMs of the timed section only
    }])),
  };

  log('  workspace warm-up: AuthLint CLI over the list, AuthLint CLI over the folder, ESLint CLI over 100 files');
  tools['authlint-cli']();
  const dir = timed([cli, 'lint', '.', '--format', 'json'], [], corpusRoot);
  const dirFiles = JSON.parse(dir.stdout).files;
  timed([eslintBin, '-c', config, '--format', 'json', '--no-warn-ignored'], rels.slice(0, 100), corpusRoot);

  const runs = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
  const load = [];
  for (let r = 0; r < rounds; r++) {
    const meter = loadMeter();
    for (const id of rotation(Object.keys(tools), r)) {
      const res = tools[id]();
      runs[id].push(res);
      log(`  workspace round ${r + 1}/${rounds}: ${id} ${(res.ms / 1000).toFixed(1)} s (${res.files} files)`);
    }
    load.push(meter());
  }

  const summary = Object.fromEntries(Object.entries(runs).map(([id, rs]) => {
    const ms = median(rs.map((x) => x.ms));
    return [id, { medianMs: Math.round(ms), runsMs: rs.map((x) => Math.round(x.ms)), medianCpuMs: Math.round(median(rs.map((x) => x.cpuMs))), files: rs[0].files, filesPerSec: Math.round(rs[0].files / (ms / 1000)), mbPerSec: Math.round((bytes / 1e6 / (ms / 1000)) * 100) / 100, ...pick(rs[0], ['findings', 'errors', 'messages', 'fatal']) }];
  }));
  const x = (a, b, k = 'medianMs') => Math.round((summary[b][k] / summary[a][k]) * 100) / 100;
  return {
    rounds, load, files: files.length, mb: Math.round(bytes / 1e4) / 100,
    tools: summary,
    ratios: {
      cliVsEslintCli: x('authlint-cli', 'eslint-cli'),
      apiVsEslintApi: x('authlint-api', 'eslint-api'),
      everyFileParsedVsEslintApi: x('authlint-all', 'eslint-api'),
    },
    cpuRatios: {
      cliVsEslintCli: x('authlint-cli', 'eslint-cli', 'medianCpuMs'),
      apiVsEslintApi: x('authlint-api', 'eslint-api', 'medianCpuMs'),
      everyFileParsedVsEslintApi: x('authlint-all', 'eslint-api', 'medianCpuMs'),
    },
    folderWalk: { files: dirFiles, ms: Math.round(dir.wallMs), note: 'authlint lint . over the corpus root: the walk skips dist/, build/, test code' },
  };
}

function pick(o, keys) {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
