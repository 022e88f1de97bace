// Where the analysis spends its time: a CPU profile (node:inspector, the same profiler as
// `node --cpu-prof`) of forced-analysis passes over the corpus, reduced to the functions with the
// most self time, each named with the source module it was bundled from.
import { Session } from 'node:inspector';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeForcedAnalysis } from './engine.mjs';

function post(session, method, params) {
  return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

/** Maps a line of the esbuild bundle to the module it came from (esbuild's `// path` comments). */
function moduleIndex(bundlePath) {
  const marks = [];
  readFileSync(bundlePath, 'utf8').split('\n').forEach((l, i) => {
    const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(l);
    if (m) marks.push([i, m[1].replace(/^node_modules\//, '')]);
  });
  return (line) => {
    let lo = 0;
    let hi = marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (marks[mid][0] <= line) lo = mid;
      else hi = mid - 1;
    }
    return marks[lo] && marks[lo][0] <= line ? marks[lo][1] : '?';
  };
}

export async function runProfile(engine, enginePath, files, { passes = 2, top = 15, outDir, log = () => {} } = {}) {
  const forced = makeForcedAnalysis(engine);
  const parts = [0, 0, 0];
  for (const f of files) forced(f.text, f.path, parts); // warm-up pass, not profiled
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
  await post(session, 'Profiler.start');
  for (let p = 0; p < passes; p++) for (const f of files) forced(f.text, f.path, parts);
  const { profile } = await post(session, 'Profiler.stop');
  session.disconnect();
  const file = join(outDir, 'analysis.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  log(`  profile written to ${file}`);

  const moduleOf = moduleIndex(enginePath);
  const ticks = new Map();
  profile.samples.forEach((id, i) => ticks.set(id, (ticks.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  let total = 0;
  for (const n of profile.nodes) {
    const us = ticks.get(n.id) ?? 0;
    total += us;
    const cf = n.callFrame;
    const where = cf.url.endsWith('engine.cjs') ? moduleOf(cf.lineNumber) : cf.url ? cf.url.split('/').pop() : '';
    const key = `${cf.functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  return {
    passes, samplingUs: 500, totalMs: Math.round(total / 1000),
    top: [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 })),
  };
}
