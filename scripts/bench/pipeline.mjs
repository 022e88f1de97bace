// Part 5: AuthLint in a pipeline. (a) `authlint lint --cache` re-run over the unchanged corpus
// against `eslint --cache` re-run over the same files (same ESLint setup as the workspace part);
// (b) a cold `--cache` run (empty cache) against a plain run; (c) time to the first byte of
// output of `authlint --help`, `send` (to a server on 127.0.0.1) and `explain`, none of which
// should load the parser. Fresh processes, interleaved rounds, medians.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { median, rotation } from './stats.mjs';
import { setup } from './workspace.mjs';

function wall(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error || r.status === null || r.status > 1) throw new Error(`${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.error ?? r.stderr.slice(0, 500)}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** Milliseconds from spawn to the first byte on stdout. */
function firstOutput(args, cwd, stdin) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let first;
    child.stdout.once('data', () => (first = performance.now() - t0));
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => (first === undefined ? reject(new Error(`${args.join(' ')}: no output (exit ${code})`)) : resolve(first)));
    child.stdin.end(stdin ?? '');
  });
}

export async function runPipeline({ repoRoot, corpusRoot, files, cli, rounds = 3, startupRuns = 7, log = () => {} }) {
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

  const tools = {
    plain: () => plain().ms,
    'cache-cold': () => {
      rmSync(authlintCache, { recursive: true, force: true });
      return cached().ms;
    },
    'cache-warm': () => cached().ms, // runs after cache-cold in rotation or on the cache it left
    'eslint-cache-warm': () => eslintCached().ms,
  };
  const runs = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const id of rotation(Object.keys(tools), r)) {
      if (id === 'cache-warm') cached(); // make sure the cache is full whatever ran before
      const ms = tools[id]();
      runs[id].push(ms);
      log(`  pipeline round ${r + 1}/${rounds}: ${id} ${(ms / 1000).toFixed(2)} s`);
    }
  }
  const med = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v))]));

  // time to first output
  const server = createServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const httpFile = join(work, 'api.http');
  writeFileSync(httpFile, `GET http://127.0.0.1:${port}/me\nAuthorization: Bearer abc\n`);
  const raw = 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="api", error="invalid_token"\r\nContent-Length: 0\r\n\r\n';
  const startup = { help: [], send: [], explain: [], lintOneFile: [] };
  const oneFile = join(corpusRoot, rels[0]);
  try {
    for (let k = 0; k < startupRuns; k++) {
      startup.help.push(await firstOutput([cli, '--help'], work));
      startup.send.push(await firstOutput([cli, 'send', httpFile], work));
      startup.explain.push(await firstOutput([cli, 'explain'], work, raw));
      startup.lintOneFile.push(await firstOutput([cli, 'lint', oneFile], work));
    }
  } finally {
    server.close();
  }
  const nodeBaseline = [];
  for (let k = 0; k < startupRuns; k++) nodeBaseline.push(await firstOutput(['-e', 'process.stdout.write("x")'], work));

  return {
    rounds,
    files: files.length,
    medianMs: med,
    runsMs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map(Math.round)])),
    ratios: {
      eslintCacheOverAuthlintCache: Math.round((med['eslint-cache-warm'] / med['cache-warm']) * 100) / 100,
      coldCacheOverPlain: Math.round((med['cache-cold'] / med.plain) * 100) / 100,
    },
    firstOutputMs: Object.fromEntries(Object.entries({ ...startup, node: nodeBaseline }).map(([k, v]) => [k, Math.round(median(v))])),
  };
}
