// Turns the results into a plain-text table (stdout) and a Markdown section (docs/performance.md).
const TARGET_ANALYSIS = 1.3;
const TARGET_WORKSPACE = 2;
const TARGET_ACTIVATION_MS = 50;
const TARGET_CACHE_VS_ESLINT = 3;
const TARGET_COLD_CACHE = 1.1;
const TARGET_FIRST_OUTPUT_MS = 100;
/** `--help` within this many ms of bare node's first output (same rounds). */
const TARGET_HELP_OVER_NODE_MS = 20;
const TARGET_FIRST_DIAGNOSTICS_MS = 1000;
const TARGET_KEYSTROKE_OVER_DEBOUNCE_MS = 60;
const TARGET_HOST_MS_PER_KEYSTROKE = 1;

/** Which issue-5 targets the numbers meet (ratios and stated budgets, never a failing assertion). */
export function targets(res) {
  const t = [];
  if (res.perFile) {
    const worst = Math.max(...res.perFile.bands.flatMap((b) => [b.ratioP50, b.ratioP95]));
    t.push({ id: 'analysis-over-parse', target: `<= ${TARGET_ANALYSIS}x at p50 and p95 in every size band`, value: `worst band ${worst}x`, met: worst <= TARGET_ANALYSIS });
  }
  if (res.workspace) {
    const r = res.workspace.ratios;
    t.push({ id: 'workspace-vs-eslint', target: `>= ${TARGET_WORKSPACE}x ESLint's files/s`, value: `CLI ${r.cliVsEslintCli}x, in-process ${r.apiVsEslintApi}x (every file parsed: ${r.everyFileParsedVsEslintApi}x)`, met: Math.min(r.cliVsEslintCli, r.apiVsEslintApi) >= TARGET_WORKSPACE });
  }
  if (res.pipeline) {
    const r = res.pipeline.ratios;
    const c = res.pipeline.cpuRatios;
    t.push({ id: 'cache-rerun-vs-eslint', target: `>= ${TARGET_CACHE_VS_ESLINT}x faster than eslint --cache re-run`, value: `${r.eslintCacheOverAuthlintCache}x${c ? ` (CPU time ${c.eslintCacheOverAuthlintCache}x)` : ''}`, met: r.eslintCacheOverAuthlintCache >= TARGET_CACHE_VS_ESLINT });
    t.push({ id: 'cold-cache-cost', target: `<= ${TARGET_COLD_CACHE}x a plain run`, value: `${r.coldCacheOverPlain}x${c ? ` (CPU time ${c.coldCacheOverPlain}x)` : ''}`, met: r.coldCacheOverPlain <= TARGET_COLD_CACHE });
    const f = res.pipeline.firstOutputMs; // runs before the startup part existed
    if (f && !res.startup) t.push({ id: 'first-output', target: `--help, send, explain: <= ${TARGET_FIRST_OUTPUT_MS} ms to first output, parser not loaded`, value: `--help ${f.help} ms, send ${f.send} ms, explain ${f.explain} ms (bare node ${f.node} ms)`, met: Math.max(f.help, f.send, f.explain) <= TARGET_FIRST_OUTPUT_MS });
  }
  if (res.startup) {
    const s = res.startup;
    t.push({
      id: 'first-output',
      target: `--help within ${TARGET_HELP_OVER_NODE_MS} ms of bare node; send, explain, mcp-check near it; parser not loaded (<= ${TARGET_FIRST_OUTPUT_MS} ms on a quiet machine)`,
      value: `over bare node: --help ${s.overNode.help}x (${s.overNodeMs.help >= 0 ? '+' : ''}${s.overNodeMs.help} ms), explain ${s.overNode.explain}x, send ${s.overNode.send}x, mcp-check ${s.overNode.mcpCheck}x (bare node ${s.firstOutputMs.node} ms)`,
      met: s.overNodeMs.help <= TARGET_HELP_OVER_NODE_MS,
    });
  }
  if (res.editor) {
    const e = res.editor;
    const a = e.activation;
    const act = Math.max(a.dev.requirePlusActivateMs, a.production.requirePlusActivateMs);
    t.push({ id: 'activation', target: `< ${TARGET_ACTIVATION_MS} ms (require + activate), no analysis code in the extension host`, value: `${a.production.requirePlusActivateMs} ms production build, ${a.dev.requirePlusActivateMs} ms dev build; engine in the extension host: ${a.dev.engineLoadedInHost || a.production.engineLoadedInHost ? 'yes' : 'no'}`, met: act < TARGET_ACTIVATION_MS && !a.dev.engineLoadedInHost && !a.production.engineLoadedInHost });
    const s = e.server.production;
    t.push({ id: 'first-diagnostics', target: `a ${e.sample.lines.toLocaleString('en-US')}-line file in a cold server: first diagnostics <= ${TARGET_FIRST_DIAGNOSTICS_MS} ms`, value: `${s.openToDiagnosticsMs} ms after didOpen (median of ${s.processes}; ${s.spawnToDiagnosticsMs} ms after spawning the server)` + (e.vscode ? `; ${e.vscode.openToFirstDiagnosticsMs} ms in VS Code, activation and server start included` : ''), met: s.openToDiagnosticsMs <= TARGET_FIRST_DIAGNOSTICS_MS });
    const limit = e.debounceMs + TARGET_KEYSTROKE_OVER_DEBOUNCE_MS;
    t.push({ id: 'keystroke-to-diagnostics', target: `p95 <= debounce + ${TARGET_KEYSTROKE_OVER_DEBOUNCE_MS} ms (${limit} ms)`, value: `p50 ${s.keystrokeP50} / p95 ${s.keystrokeP95} ms over stdio (${s.keystrokes} keystrokes)` + (e.vscode ? `; in VS Code p50 ${e.vscode.keystrokeP50} / p95 ${e.vscode.keystrokeP95} ms` : ''), met: s.keystrokeP95 <= limit && (!e.vscode || e.vscode.keystrokeP95 <= limit) });
    if (e.vscode) t.push({ id: 'host-per-keystroke', target: `extension host time in AuthLint code per keystroke ~0 (<= ${TARGET_HOST_MS_PER_KEYSTROKE} ms)`, value: `${e.vscode.hostMsPerKeystroke} ms (client hooks: forwarding ${e.vscode.changes} changes ${e.vscode.hostMsInChangeHook} ms, ${e.vscode.publishes} publishes ${e.vscode.hostMsInPublishHook} ms)`, met: e.vscode.hostMsPerKeystroke <= TARGET_HOST_MS_PER_KEYSTROKE });
  }
  return t;
}

/** A Markdown table; the first `left` columns are left-aligned, the rest (numbers) right-aligned. */
function table(head, rows, left = 1) {
  return [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i < left ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const ms = (x) => (x === null || x === undefined ? 'n/a' : x < 1 ? x.toFixed(2) : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const kb = (b) => (typeof b === 'string' ? b.split(' + ').map((x) => kb(Number(x))).join(' + ') : `${(b / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 })} KiB`);

export function markdown(res) {
  const out = [];
  const m = res.machine;
  out.push(`Run of ${res.date} (${res.durationS} s), commit ${res.commit}${res.dirty ? ' (with uncommitted changes in src/)' : ''}. ${m.cpus}× ${m.cpu}, ${m.memGiB} GiB, Linux ${m.kernel}, Node ${m.node}. `
    + `Versions: ${Object.entries(res.versions).map(([k, v]) => `${k} ${v}`).join(', ')}. `
    + `Machine load while measuring (busy cores of ${m.cpus}, all processes, per round): per-file ${fmtLoad(res.perFile?.load)}, workspace ${fmtLoad(res.workspace?.load)}.`);
  out.push('');
  out.push(`Corpus: ${res.corpus.files.toLocaleString('en-US')} files (${res.corpus.ts} TS), ${res.corpus.mb} MB, ${res.corpus.lines.toLocaleString('en-US')} lines from ${res.corpus.packages.length} npm packages; `
    + res.corpus.bands.map((b) => `${b.label}: ${b.files} files`).join(', ') + '.');
  out.push('');
  out.push('### Targets');
  out.push('');
  out.push(table(['target', 'goal', 'measured', 'met'], res.targets.map((t) => [t.id, t.target, t.value, t.met ? 'yes' : '**no**']), 4));
  if (res.perFile) {
    const p = res.perFile;
    out.push('', `### Per file: analysis against the parse floor (${p.warmup} warm-up + ${p.rounds} measured rounds, ${p.chunks} interleaved chunks)`, '');
    out.push('Each file\'s median over the rounds, then p50 / p95 over the files of a band, in ms. *floor*: bare typescript-estree `parse` with parseSource\'s options. '
      + '*analysis*: parse + fact collection + all six rules on every file (no prefilter). *as shipped*: `lintSource`, whose text prefilter skips the parse for files with no status-code tokens '
      + `(${p.passedPrefilter} of ${p.files} files pass it).`, '');
    out.push(table(['band', 'files', 'floor p50 / p95', 'analysis p50 / p95', 'ratio p50 / p95', 'median per-file ratio', 'ratio, fastest rounds', 'ratio inside one call', 'as shipped p50 / p95'],
      p.bands.map((b) => [b.label, b.files, `${ms(b.floor.p50)} / ${ms(b.floor.p95)}`, `${ms(b.analysis.p50)} / ${ms(b.analysis.p95)}`, `**${b.ratioP50}x / ${b.ratioP95}x**`, `${b.medianPerFileRatio}x`,
        `${b.fastestRoundRatioP50}x / ${b.fastestRoundRatioP95}x`, `${b.withinCallRatioP50}x / ${b.withinCallRatioP95}x`, `${ms(b.shipped.p50)} / ${ms(b.shipped.p95)}`])));
    out.push('', '*ratio*: analysis p50 (p95) over floor p50 (p95), from the per-file medians. *fastest rounds*: the same from each file\'s fastest round (other jobs only add time). '
      + '*inside one call*: (parse + collect + rules) / parse, timed back to back in the same call, per file, p50 / p95: the least noisy view of what the analysis adds.');
    out.push('', table(['whole pass', 'files/s', 'MB/s', 'pass ms, median (min-max)', 'x floor, same round (min-max)'],
      Object.entries(p.passes).map(([k, v]) => [k, v.filesPerSec, v.mbPerSec, `${ms(v.medianMs)} (${ms(v.minMs)}-${ms(v.maxMs)})`, `${v.xFloor} (${v.xFloorMin}-${v.xFloorMax})`])));
    if (p.cpuPasses) out.push('', `In CPU time per pass (user + system, GC threads included; less moved by other jobs), the analysis takes ${p.cpuPasses.analysis.xFloor}x the floor and as shipped ${p.cpuPasses.shipped.xFloor}x (median over rounds of the same-round ratio).`);
    out.push('', `Inside one analysis call, summed over the files: fact collection (the one walk) costs ${p.breakdown.collectOverParse}x the parse, the rules ${p.breakdown.findingsOverParse}x; together ${p.breakdown.analysisOverParseWithinCall}x.`);
  }
  if (res.profile) {
    const pr = res.profile;
    out.push('', `CPU profile of ${pr.passes} forced-analysis passes (${ms(pr.totalMs)} ms sampled; \`.cache/bench/analysis.cpuprofile\`), functions by self time:`, '');
    out.push(table(['function (module)', 'self ms', 'share'], pr.top.map((t) => [`\`${t.fn}\``, ms(t.ms), `${t.share} %`])));
  }
  if (res.workspace) {
    const w = res.workspace;
    out.push('', `### Workspace: AuthLint against ESLint 9 (${w.files.toLocaleString('en-US')} files, ${w.mb} MB, ${w.rounds} interleaved rounds, each run a fresh process)`, '');
    const label = {
      'authlint-cli': '`authlint lint --format json <files>` (process)', 'eslint-cli': '`eslint -c <flat config> --format json <files>` (process)',
      'authlint-api': 'AuthLint `lintPaths` in-process (as the CLI, prefilter on)', 'authlint-all': 'AuthLint in-process, every file parsed and analysed',
      'eslint-api': 'ESLint `new ESLint().lintFiles` in-process',
    };
    out.push(table(['run', 'wall ms, median (runs)', 'CPU ms, median', 'files/s', 'MB/s', 'output'], Object.entries(w.tools).map(([k, v]) => [label[k], `${ms(v.medianMs)} (${v.runsMs.map(ms).join(', ')})`, ms(v.medianCpuMs), v.filesPerSec, v.mbPerSec,
      v.findings !== undefined ? `${v.findings} findings, ${v.errors} errors` : `${v.messages} messages`])).replace(/---:\s\|$/m, '--- |'));
    out.push('', `Ratios (ESLint time / AuthLint time): CLI vs CLI **${w.ratios.cliVsEslintCli}x**, in-process **${w.ratios.apiVsEslintApi}x**, every file parsed (no prefilter) vs ESLint in-process ${w.ratios.everyFileParsedVsEslintApi}x. `
      + (w.cpuRatios ? `The same ratios in CPU time (user + system of the process, or of the timed section in-process; less moved by other jobs): ${w.cpuRatios.cliVsEslintCli}x, ${w.cpuRatios.apiVsEslintApi}x, ${w.cpuRatios.everyFileParsedVsEslintApi}x. ` : '')
      + `For reference, \`authlint lint .\` at the corpus root walks to ${w.folderWalk.files} files (it skips dist/, build/ and test code) in ${ms(w.folderWalk.ms)} ms.`);
  }
  if (res.pipeline) {
    const pl = res.pipeline;
    out.push('', `### In a pipeline: the cache and the time to first output (${pl.files.toLocaleString('en-US')} files, ${pl.rounds} interleaved rounds, each run a fresh process)`, '');
    const label = {
      plain: '`authlint lint <files>`', 'cache-cold': '`authlint lint --cache <files>`, empty cache', 'cache-warm': '`authlint lint --cache <files>`, unchanged files', 'eslint-cache-warm': '`eslint --cache <files>`, unchanged files (workspace setup)',
    };
    out.push(table(['run', 'wall ms, median (runs)'], Object.entries(pl.medianMs).map(([k, v]) => [label[k] ?? k, `${ms(v)} (${pl.runsMs[k].map(ms).join(', ')})`])));
    out.push('', `Ratios: \`eslint --cache\` re-run / \`authlint lint --cache\` re-run **${pl.ratios.eslintCacheOverAuthlintCache}x**; cold \`--cache\` / plain **${pl.ratios.coldCacheOverPlain}x**`
      + (pl.cpuRatios ? ` (the median of the ratios within each plain + cold pair: ${pl.coldOverPlainPairs.wall.join(', ')}). In CPU time (user + system of the process): ${pl.cpuRatios.eslintCacheOverAuthlintCache}x and ${pl.cpuRatios.coldCacheOverPlain}x (pairs ${pl.coldOverPlainPairs.cpu.join(', ')}).` : '.'));
    const f = pl.firstOutputMs;
    if (f) out.push('', `Time from spawn to the first byte of output, median: \`authlint --help\` ${ms(f.help)} ms, \`authlint send\` (a 401 from 127.0.0.1) ${ms(f.send)} ms, \`authlint explain\` ${ms(f.explain)} ms, \`authlint lint <one file>\` (loads the parser) ${ms(f.lintOneFile)} ms; a bare \`node -e\` ${ms(f.node)} ms.`);
  }
  if (res.startup) {
    const s = res.startup;
    const label = { nodeExit: '`node -e 0` (to exit)', node: '`node -e "process.stdout.write(\'x\')"`', help: '`authlint --help`', version: '`authlint --version`', explain: '`authlint explain` (a raw 401 on stdin)', send: '`authlint send` (a 401 from 127.0.0.1)', mcpCheck: '`authlint mcp-check` (a 401 from 127.0.0.1)', lintOneFile: '`authlint lint <one file>` (loads the parser)' };
    out.push('', `### Time to first output (${s.runs} interleaved rounds, each a fresh process)`, '');
    out.push(table(['process', 'ms to first output, median', 'over bare node (median of per-round ratios)', 'over bare node, ms'], Object.entries(s.firstOutputMs).map(([k, v]) => [label[k] ?? k, ms(v), s.overNode[k] !== undefined ? `${s.overNode[k]}x` : '', s.overNodeMs[k] !== undefined ? `${s.overNodeMs[k] > 0 ? '+' : ''}${Math.round(s.overNodeMs[k])}` : ''])));
    if (s.cliBytes) out.push('', `CLI bundles (dev build): ${Object.entries(s.cliBytes).map(([k, v]) => `${k.endsWith('.js') ? k : `cli-${k}.js`} ${kb(v)}`).join(', ')}; the engine (parser and TypeScript) is \`engine.js\`, loaded by \`lint\` only when a file needs a parse.`);
  }
  if (res.editor) {
    const e = res.editor;
    out.push('', `### Editor: the language server and the thin client (${e.server.production.processes} cold processes per build${e.commit ? `; measured separately at commit ${e.commit}, ${e.date}` : ''})`, '');
    out.push(`Bundles: ${Object.entries(e.bundles).map(([k, v]) => `${k} ${kb(v)}`).join(', ')}.`, '');
    const cols = ['dev', 'production'];
    const head = ['', 'dev build (`npm run build`)', 'production build (minified, shipped)'];
    out.push(table(head, [
      ['`require` extension.js + `activate()`, ms (stand-in `vscode`)', ...cols.map((k) => `${ms(e.activation[k].requireMs)} + ${ms(e.activation[k].activateMs)}`)],
      ['analysis engine loaded in the extension host', ...cols.map((k) => (e.activation[k].engineLoadedInHost ? 'yes' : 'no'))],
      ['server: spawn -> `initialize` answered, ms', ...cols.map((k) => ms(e.server[k].initializeMs))],
      [`server: didOpen of the ${e.sample.lines.toLocaleString('en-US')}-line file -> first diagnostics (cold), ms`, ...cols.map((k) => `${ms(e.server[k].openToDiagnosticsMs)} (${e.server[k].openToDiagnosticsMsRuns.map(ms).join(', ')})`)],
      ['server: spawn -> first diagnostics, ms', ...cols.map((k) => ms(e.server[k].spawnToDiagnosticsMs))],
      [`keystroke -> diagnostics (${e.debounceMs} ms debounce included), p50 / p95 ms`, ...cols.map((k) => `${ms(e.server[k].keystrokeP50)} / ${ms(e.server[k].keystrokeP95)}`)],
      ['server RSS after the first diagnostics / after typing, MB', ...cols.map((k) => `${e.server[k].rssAfterOpenMB} / ${e.server[k].rssAfterTypingMB}`)],
    ]));
    const c = e.corpusIndex;
    if (c) out.push('', `The index of the whole bench corpus opened as one workspace folder (${c.packages} packages, ${c.indexedFiles.toLocaleString('en-US')} files, production server): ready after ${ms(c.readyMs)} ms; the server's RSS then ${c.rssMB} MB (peak ${c.peakRssMB} MB).`);
    const v = e.vscode;
    if (v) {
      out.push('', `In VS Code ${v.vscode}, the same sample opened in a fresh window (the open activates the extension, which starts the server): first diagnostics after **${ms(v.openToFirstDiagnosticsMs)} ms**; keystroke -> diagnostics p50 ${ms(v.keystrokeP50)} / p95 **${ms(v.keystrokeP95)} ms** (${v.keystrokes} keystrokes); the extension host spent **${v.hostMsPerKeystroke} ms per keystroke** in AuthLint's client hooks (forwarding ${v.changes} changes: ${v.hostMsInChangeHook} ms in all; handing ${v.publishes} diagnostics publishes to VS Code: ${v.hostMsInPublishHook} ms in all).`);
    } else {
      out.push('', 'The VS Code part did not run (code-server not installed).');
    }
    out.push('', `The 2,000-line file is \`${e.sample.file}\` (${e.sample.lines} lines, ${kb(e.sample.bytes)}; it passes the prefilter, so every lint parses it).`);
  }
  out.push('', '### Corpus', '', 'Fetched with `npm pack` at these versions; every .js .mjs .cjs .ts .mts .cts file, without .d.ts and node_modules.', '');
  out.push(table(['package@version', 'files', 'KB', 'lines'], res.corpus.packages.map((p) => [`${p.name}@${p.version}`, p.files, p.kb.toLocaleString('en-US'), p.lines.toLocaleString('en-US')])));
  return out.join('\n');
}

function fmtLoad(l) {
  return l && l.length ? l.filter((x) => x !== null).join(', ') : 'n/a';
}

export function text(res) {
  return markdown(res).replace(/\*\*/g, '').replace(/`/g, '');
}
