// Part 2: per-file cost of the floor (bare estree parse) against AuthLint's analysis, in one
// process: files shuffled with a fixed seed and cut into chunks; every variant runs over chunk 1,
// then every variant over chunk 2, ...; the order of the variants rotates per chunk and round.
// Warm-up rounds first, then measured rounds; each file's time is its median over those rounds.
import { makeFloor, makeForcedAnalysis } from './engine.mjs';
import { BANDS, chunked, loadMeter, median, percentile, rotation, shuffled, sum } from './stats.mjs';

const VARIANTS = ['floor', 'analysis', 'shipped'];

export function runPerFile(engine, files, { warmup = 1, rounds = 5, chunks = 8, log = () => {} } = {}) {
  const floor = makeFloor(engine);
  const forced = makeForcedAnalysis(engine);
  const now = process.hrtime.bigint;
  const n = files.length;
  const index = new Map(files.map((f, i) => [f, i]));
  const order = chunked(shuffled(files), chunks);
  // t[variant][round][file]; the analysis also keeps its three parts.
  const t = Object.fromEntries([...VARIANTS, 'parse', 'collect', 'findings'].map((v) => [v, []]));
  const failed = new Set();
  const prefiltered = new Set();
  const parts = [0, 0, 0];
  const load = [];
  // CPU time (user + system, all threads: GC helpers included) per variant and round
  const cpu = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < warmup + rounds; r++) {
    const cpuRound = Object.fromEntries(VARIANTS.map((v) => [v, 0]));
    const meter = loadMeter();
    const row = Object.fromEntries(Object.keys(t).map((v) => [v, new Float64Array(n).fill(NaN)]));
    const started = Date.now();
    order.forEach((chunk, c) => {
      for (const v of rotation(VARIANTS, r * chunks + c)) {
        const c0 = process.cpuUsage();
        for (const f of chunk) {
          const i = index.get(f);
          if (failed.has(i)) continue;
          try {
            const t0 = now();
            if (v === 'floor') floor(f.text, f.path);
            else if (v === 'analysis') forced(f.text, f.path, parts);
            else {
              // lintSource as shipped (analyze, prefilter included, then findingsOf)
              const a = engine.analyze(f.text, f.path);
              engine.findingsOf(a);
              if ('none' in a) prefiltered.add(i);
            }
            row[v][i] = Number(now() - t0) / 1e6;
            if (v === 'analysis') [row.parse[i], row.collect[i], row.findings[i]] = parts;
          } catch (err) {
            failed.add(i);
            log(`  ${f.rel}: ${String(err.message).split('\n')[0]} (left out)`);
          }
        }
        const used = process.cpuUsage(c0);
        cpuRound[v] += (used.user + used.system) / 1000;
      }
    });
    load.push(meter());
    log(`  per-file round ${r + 1}/${warmup + rounds}${r < warmup ? ' (warm-up)' : ''}: ${((Date.now() - started) / 1000).toFixed(1)} s, machine busy ${load.at(-1)} cores`);
    if (r >= warmup) {
      for (const v of Object.keys(t)) t[v].push(row[v]);
      for (const v of VARIANTS) cpu[v].push(cpuRound[v]);
    }
  }
  const cpuPasses = Object.fromEntries(VARIANTS.map((v) => [v, { medianCpuMs: Math.round(median(cpu[v])), xFloor: Math.round(median(cpu[v].map((x, r) => x / cpu.floor[r])) * 100) / 100 }]));
  return { ...summarise(files, t, failed, prefiltered, { warmup, rounds, chunks, load }), cpuPasses };
}

function summarise(files, t, failed, prefiltered, meta) {
  const ok = files.map((_, i) => i).filter((i) => !failed.has(i));
  const perFile = (v) => {
    const m = new Float64Array(files.length).fill(NaN);
    for (const i of ok) m[i] = median(t[v].map((row) => row[i]));
    return m;
  };
  const med = Object.fromEntries(Object.keys(t).map((v) => [v, perFile(v)]));
  // the fastest round of each file: other jobs on a shared machine only ever add time
  const best = (v) => {
    const m = new Float64Array(files.length).fill(NaN);
    for (const i of ok) m[i] = Math.min(...t[v].map((row) => row[i]));
    return m;
  };
  const min = { floor: best('floor'), analysis: best('analysis') };
  const passes = (v) => t[v].map((row) => sum(ok.map((i) => row[i])));
  const pass = Object.fromEntries(Object.keys(t).map((v) => [v, passes(v)]));
  const sameRound = (v) => pass[v].map((p, r) => p / pass.floor[r]);
  const bytes = sum(ok.map((i) => files[i].bytes));
  const passSummary = (v) => ({
    medianMs: round(median(pass[v])), minMs: round(Math.min(...pass[v])), maxMs: round(Math.max(...pass[v])),
    filesPerSec: round(ok.length / (median(pass[v]) / 1000)), mbPerSec: round(bytes / 1e6 / (median(pass[v]) / 1000), 2),
    xFloor: ratio(median(sameRound(v))), xFloorMin: ratio(Math.min(...sameRound(v))), xFloorMax: ratio(Math.max(...sameRound(v))),
  });
  const bands = BANDS.map((b) => {
    const ids = ok.filter((i) => b.test(files[i].lines));
    const stat = (v) => ({ p50: round(percentile(ids.map((i) => med[v][i]), 50), 3), p95: round(percentile(ids.map((i) => med[v][i]), 95), 3), max: round(Math.max(...ids.map((i) => med[v][i])), 3) });
    const f = stat('floor');
    const a = stat('analysis');
    const s = stat('shipped');
    const inner = ids.map((i) => (med.parse[i] + med.collect[i] + med.findings[i]) / med.parse[i]);
    return {
      id: b.id, label: b.label, files: ids.length, floor: f, analysis: a, shipped: s,
      ratioP50: ratio(a.p50 / f.p50), ratioP95: ratio(a.p95 / f.p95),
      shippedRatioP50: ratio(s.p50 / f.p50), shippedRatioP95: ratio(s.p95 / f.p95),
      medianPerFileRatio: ratio(median(ids.map((i) => med.analysis[i] / med.floor[i]))),
      fastestRoundRatioP50: ratio(percentile(ids.map((i) => min.analysis[i]), 50) / percentile(ids.map((i) => min.floor[i]), 50)),
      fastestRoundRatioP95: ratio(percentile(ids.map((i) => min.analysis[i]), 95) / percentile(ids.map((i) => min.floor[i]), 95)),
      withinCallRatioP50: ratio(percentile(inner, 50)), withinCallRatioP95: ratio(percentile(inner, 95)),
    };
  });
  const sums = { parse: sum(ok.map((i) => med.parse[i])), collect: sum(ok.map((i) => med.collect[i])), findings: sum(ok.map((i) => med.findings[i])) };
  const slowest = ok
    .filter((i) => files[i].lines >= 200)
    .sort((x, y) => med.analysis[y] / med.floor[y] - med.analysis[x] / med.floor[x])
    .slice(0, 8)
    .map((i) => ({ file: files[i].rel, lines: files[i].lines, floorMs: round(med.floor[i], 2), analysisMs: round(med.analysis[i], 2), collectMs: round(med.collect[i], 2), ratio: ratio(med.analysis[i] / med.floor[i]) }));
  return {
    ...meta,
    files: ok.length, failed: [...failed].map((i) => files[i].rel), passedPrefilter: ok.length - prefiltered.size,
    passes: { floor: passSummary('floor'), analysis: passSummary('analysis'), shipped: passSummary('shipped') },
    bands,
    breakdown: {
      collectOverParse: ratio(sums.collect / sums.parse, 3), findingsOverParse: ratio(sums.findings / sums.parse, 3),
      analysisOverParseWithinCall: ratio((sums.parse + sums.collect + sums.findings) / sums.parse, 3),
    },
    highestRatioFiles: slowest,
    fileMedians: (rel) => {
      const i = files.findIndex((f) => f.rel === rel);
      return i < 0 || failed.has(i) ? null : { floorMs: round(med.floor[i], 2), analysisMs: round(med.analysis[i], 2), shippedMs: round(med.shipped[i], 2) };
    },
  };
}

function round(x, d = 1) {
  return Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null;
}

function ratio(x, d = 2) {
  return round(x, d);
}
