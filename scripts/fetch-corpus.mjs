// Fetch the labelled evaluation corpus: real npm packages pinned in test/corpus/packages.json.
// Each one is `npm pack`ed into a temporary folder and extracted into
// .cache/corpus/<name>@<version>/ (gitignored). A package already extracted (marker file
// present) is left alone, so a second run does no network work.
// Usage: node scripts/fetch-corpus.mjs   (exit 0 when every package is present)
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(new URL('..', import.meta.url).pathname);
const MARKER = '.authlint-corpus-complete';

export function corpusDir() {
  return join(root, '.cache', 'corpus');
}

export function packageDir(name, version) {
  return join(corpusDir(), `${name}@${version}`);
}

export function readPackageList() {
  const list = JSON.parse(readFileSync(join(root, 'test', 'corpus', 'packages.json'), 'utf8'));
  return list.packages;
}

async function fetchOne({ name, version }) {
  const dest = packageDir(name, version);
  if (existsSync(join(dest, MARKER))) return 'cached';
  const scratch = mkdtempSync(join(tmpdir(), 'authlint-corpus-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { stdout } = await run(npm, ['pack', `${name}@${version}`, '--json', '--ignore-scripts', '--pack-destination', scratch], {
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
    });
    const info = JSON.parse(stdout);
    const tgz = join(scratch, info[0].filename);
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    await run('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1']);
    writeFileSync(join(dest, MARKER), `${name}@${version}\n`);
    return 'fetched';
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Fetch every listed package, a few at a time. Resolves to { fetched, cached, failed[] }. */
export async function fetchCorpus({ concurrency = 4, log = () => {} } = {}) {
  const queue = [...readPackageList()];
  const result = { fetched: 0, cached: 0, failed: [] };
  async function worker() {
    for (let p = queue.shift(); p; p = queue.shift()) {
      try {
        const how = await fetchOne(p);
        result[how]++;
        log(`${how} ${p.name}@${p.version}`);
      } catch (err) {
        result.failed.push({ pkg: `${p.name}@${p.version}`, message: String(err && err.message ? err.message : err) });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const r = await fetchCorpus({ log: (m) => console.log(m) });
  for (const f of r.failed) console.error(`failed ${f.pkg}: ${f.message}`);
  console.log(`corpus: ${r.fetched} fetched, ${r.cached} cached, ${r.failed.length} failed`);
  process.exit(r.failed.length ? 1 : 0);
}
