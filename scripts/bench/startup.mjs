// Part 6: time to first output. Each command is a fresh `node dist/cli.js ...` process, timed
// from spawn to the first byte on stdout, next to bare node in the same rounds (interleaved):
// `node -e 0` (spawn to exit: what any command pays) and `node -e "process.stdout.write('x')"`
// (spawn to its first byte, the like-for-like baseline). Reported as ratios to bare node, which
// carry over between machines; `--help`, `send`, `explain` and `mcp-check` must not load the
// parser (test/unit/cli/startup.test.ts checks what each one loads).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { median, rotation } from './stats.mjs';

/** Milliseconds from spawn to the first byte on stdout (to exit when `toExit`). */
function firstOutput(args, cwd, stdin, toExit = false) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let first;
    child.stdout.once('data', () => (first ??= performance.now() - t0));
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', () => {
      if (toExit) first = performance.now() - t0;
    });
    child.on('close', (code) => (first === undefined ? reject(new Error(`${args.join(' ')}: no output (exit ${code})`)) : resolve(first)));
    child.stdin.end(stdin ?? '');
  });
}

export async function runStartup({ repoRoot, corpusRoot, files, cli, runs = 15, log = () => {} }) {
  const work = join(repoRoot, '.cache', 'bench', 'startup');
  mkdirSync(work, { recursive: true });
  // a 401 with a challenge for send, and for mcp-check (which then looks for resource metadata)
  const server = createServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const httpFile = join(work, 'api.http');
  writeFileSync(httpFile, `GET http://127.0.0.1:${port}/me\nAuthorization: Bearer abc\n`);
  const raw = 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="api", error="invalid_token"\r\nContent-Length: 0\r\n\r\n';
  const oneFile = join(corpusRoot, files[0].rel);
  const variants = {
    nodeExit: () => firstOutput(['-e', '0'], work, '', true),
    node: () => firstOutput(['-e', 'process.stdout.write("x")'], work),
    help: () => firstOutput([cli, '--help'], work),
    version: () => firstOutput([cli, '--version'], work),
    explain: () => firstOutput([cli, 'explain'], work, raw),
    send: () => firstOutput([cli, 'send', httpFile], work),
    mcpCheck: () => firstOutput([cli, 'mcp-check', `http://127.0.0.1:${port}/mcp`], work),
    lintOneFile: () => firstOutput([cli, 'lint', oneFile], work),
  };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  try {
    for (const id of Object.keys(variants)) await variants[id](); // warm the file cache
    for (let r = 0; r < runs; r++) for (const id of rotation(Object.keys(variants), r)) times[id].push(await variants[id]());
  } finally {
    server.close();
  }
  log(`  startup: ${runs} interleaved rounds of ${Object.keys(variants).length} processes`);
  const r2 = (x) => Math.round(x * 100) / 100;
  const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
  // per round: each command over bare node's first output in that round; the median of those
  const overNode = Object.fromEntries(Object.keys(variants).filter((k) => !k.startsWith('node')).map((k) => [k, r2(median(times[k].map((t, i) => t / times.node[i])))]));
  const overNodeMs = Object.fromEntries(Object.keys(overNode).map((k) => [k, Math.round(median(times[k].map((t, i) => t - times.node[i])))]));
  return { runs, firstOutputMs: med, overNode, overNodeMs };
}
