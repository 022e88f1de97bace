// Fetch the stress corpus of the hardening tests: a few large, real npm packages, pinned, each
// `npm pack`ed and extracted into .cache/stress-corpus/<name>@<version>/ (gitignored). A
// package already extracted (marker file present) is left alone: a second run does no network
// work. Usage: node scripts/fetch-stress-corpus.mjs   (prints one line per package; exit 0
// when every package is present, 1 otherwise).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(new URL('..', import.meta.url).pathname);
const MARKER = '.authlint-stress-complete';

/** Large, real code: a compiler, two frameworks, a router with many builds, an SDK. */
export const STRESS_PACKAGES = [
  { name: 'typescript', version: '5.9.3' },
  { name: '@nestjs/core', version: '12.5.1' },
  { name: 'fastify', version: '5.12.8' },
  { name: 'hono', version: '4.13.19' },
  { name: '@modelcontextprotocol/sdk', version: '1.32.2' },
];

export function stressDir() {
  return join(root, '.cache', 'stress-corpus');
}

export function stressPackageDir({ name, version }) {
  return join(stressDir(), `${name}@${version}`);
}

async function fetchOne(pkg) {
  const dest = stressPackageDir(pkg);
  if (existsSync(join(dest, MARKER))) return 'cached';
  const scratch = mkdtempSync(join(tmpdir(), 'authlint-stress-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { stdout } = await run(npm, ['pack', `${pkg.name}@${pkg.version}`, '--json', '--ignore-scripts', '--pack-destination', scratch], {
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
    });
    const info = JSON.parse(stdout);
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    await run('tar', ['-xzf', join(scratch, info[0].filename), '-C', dest, '--strip-components=1']);
    writeFileSync(join(dest, MARKER), `${pkg.name}@${pkg.version}\n`);
    return 'fetched';
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Fetches every package (two at a time). Resolves to { fetched, cached, failed[] }. */
export async function fetchStressCorpus({ log = () => {} } = {}) {
  const queue = [...STRESS_PACKAGES];
  const result = { fetched: 0, cached: 0, failed: [] };
  async function worker() {
    for (let p = queue.shift(); p; p = queue.shift()) {
      try {
        const how = await fetchOne(p);
        result[how]++;
        log(`${how} ${p.name}@${p.version}`);
      } catch (err) {
        result.failed.push(`${p.name}@${p.version}: ${err.message ?? err}`);
        log(`FAILED ${p.name}@${p.version}: ${err.message ?? err}`);
      }
    }
  }
  await Promise.all([worker(), worker()]);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await fetchStressCorpus({ log: (s) => console.log(s) });
  console.log(`stress corpus: ${r.fetched} fetched, ${r.cached} cached, ${r.failed.length} failed`);
  process.exit(r.failed.length ? 1 : 0);
}
