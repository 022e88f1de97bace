// Differential run of real .http files against httpYac's CLI (see docs/compatibility.md).
// Usage: npx tsc -p . && node scripts/differential.mjs DIR_WITH_HTTP_FILES [OUT.json]
// Every request of every .http/.rest file in DIR is sent by `authlint send` and by
// `httpyac send --all` to one echo server on 127.0.0.1; prints the counts and writes each
// request's outcome (what arrived from each tool, the differences) to OUT.json.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { EchoServer, differential } = require('../out/test/unit/http/differential-support.js');

const [dir, outFile] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/differential.mjs DIR [OUT.json]');
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => /\.(http|rest)$/i.test(f)).sort();
const echo = new EchoServer();
await echo.start();
const work = mkdtempSync(join(tmpdir(), 'authlint-diff-'));
const all = [];
const started = Date.now();
for (const [i, f] of files.entries()) {
  const outcomes = await differential(echo, readFileSync(join(dir, f), 'utf8'), f, join(work, String(i)));
  all.push(...outcomes);
  const same = outcomes.filter((o) => o.ours && o.theirs && o.differences.length === 0).length;
  console.error(`${f}: ${outcomes.length} requests, ${same} same`);
}
await echo.stop();
rmSync(work, { recursive: true, force: true });
const count = (p) => all.filter(p).length;
const summary = {
  files: files.length,
  requests: all.length,
  same: count((o) => o.ours && o.theirs && o.differences.length === 0),
  different: count((o) => o.ours && o.theirs && o.differences.length > 0),
  oursOnly: count((o) => o.ours && !o.theirs),
  theirsOnly: count((o) => !o.ours && o.theirs),
  neither: count((o) => !o.ours && !o.theirs),
  seconds: Math.round((Date.now() - started) / 1000),
};
console.log(JSON.stringify(summary));
if (outFile) writeFileSync(outFile, JSON.stringify({ summary, outcomes: all }, null, 2));
