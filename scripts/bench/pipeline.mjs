// Part 5: AuthLint in a pipeline. (a) `authlint lint --cache` re-run over the unchanged corpus
// against `eslint --cache` re-run over the same files (same ESLint setup as the workspace part);
// (b) a cold `--cache` run (empty cache) against a plain run, each cold run right after a plain
// one so that both see the same load. Fresh processes, interleaved rounds, medians of wall time
// and of CPU time (user + system, from the probe: moved far less by other jobs). The time to
// first output of the other commands is the startup part (startup.mjs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, rotation } from './stats.mjs';
import { setup } from './workspace.mjs';

const PROBE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'cpu-probe.mjs')).href;

function wall(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', PROBE, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error || r.status === null || r.status > 1) throw new Error(`${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.error ?? r.stderr.slice(0, 500)}`);
  const cpu = /BENCH_CPU_MS (\S+)/.exec(r.stderr);
  return { ms, cpuMs: cpu ? Number(cpu[1]) : NaN, stdout: r.stdout, stderr: r.stderr };
}

export async function runPipeline({ repoRoot, corpusRoot, files, cli, rounds = 3, log = () => {} }) {
  const rels = files.map((f) => f.rel);
  const work = join(repoRoot, '.cache', 'bench', 'pipeline');
  mkdirSync(work, { recursive: true });
  const eslintBin = join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const { config: eslintConfig } = setup(repoRoot, corpusRoot, files); // the workspace part's ESLint setup
  const authlintCache = join(work, 'authlint-cache');
  const eslintCache = join(work, 'eslintcache');

  const plain = () => wall([cli, 'lint', '--format', 'json', ...rels], corpusRoot);
  const cached = () => wall([cli, 'lint', '--format', 'json', '--cache', '--cache-location', authlintCache, ...rels], corpusRoot);
  const eslintCached = () => wall([eslintBin, '-c', eslintConfig, '--format', 'json', '--no-warn-ignored', '--cache', '--cache-location', eslintCache, ...rels], corpusRoot);

  log('  pipeline warm-up: plain, cold and warm --cache, eslint --cache (filling its cache)');
  const reference = plain().stdout;
  rmSync(authlintCache, { recursive: true, force: true });
  cached();
  if (cached().stdout !== reference) throw new Error('a cached run printed something else than a plain run');
  rmSync(eslintCache, { force: true });
  eslintCached();

  // plain and cold run as one pair (plain first or cold first, alternately): their ratio is taken
  // within the pair, under the same load
  const coldRun = () => {
    rmSync(authlintCache, { recursive: true, force: true });
    return cached();
  };
  const tools = {
    'plain+cold': (r) => {
      if (r % 2) {
        const c = coldRun();
        return { plain: plain(), 'cache-cold': c };
      }
      const p = plain();
      return { plain: p, 'cache-cold': coldRun() };
    },
    'cache-warm': () => {
      cached(); // make sure the cache is full whatever ran before
      return { 'cache-warm': cached() };
    },
    'eslint-cache-warm': () => ({ 'eslint-cache-warm': eslintCached() }),
  };
  const runs = { plain: [], 'cache-cold': [], 'cache-warm': [], 'eslint-cache-warm': [] };
  for (let r = 0; r < rounds; r++) {
    for (const id of rotation(Object.keys(tools), r)) {
      for (const [k, v] of Object.entries(tools[id](r))) {
        runs[k].push(v);
        log(`  pipeline round ${r + 1}/${rounds}: ${k} ${(v.ms / 1000).toFixed(2)} s (CPU ${(v.cpuMs / 1000).toFixed(2)} s)`);
      }
    }
  }
  const med = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v.map((x) => x.ms)))]));
  const cpu = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v.map((x) => x.cpuMs)))]));
  const r2 = (x) => Math.round(x * 100) / 100;
  const pairRatios = (key) => runs['cache-cold'].map((c, i) => r2(c[key] / runs.plain[i][key]));

  return {
    rounds,
    files: files.length,
    medianMs: med,
    medianCpuMs: cpu,
    runsMs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => Math.round(x.ms))])),
    ratios: {
      eslintCacheOverAuthlintCache: r2(med['eslint-cache-warm'] / med['cache-warm']),
      // the median of the ratios within each plain + cold pair
      coldCacheOverPlain: r2(median(pairRatios('ms'))),
    },
    cpuRatios: {
      eslintCacheOverAuthlintCache: r2(cpu['eslint-cache-warm'] / cpu['cache-warm']),
      coldCacheOverPlain: r2(median(pairRatios('cpuMs'))),
    },
    coldOverPlainPairs: { wall: pairRatios('ms'), cpu: pairRatios('cpuMs') },
  };
}
