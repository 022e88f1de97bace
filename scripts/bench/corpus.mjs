// The bench corpus: real server code published on npm, at pinned versions. Each package is
// `npm pack`ed and extracted into .cache/bench-corpus/<name>@<version>/ (gitignored); a package
// already extracted (marker file present) is not fetched again.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MARKER = '.authlint-bench-complete';

const VERDACCIO_NEXT = '9.0.0-next-9.31';
const FEATHERS = '5.0.50';

/** name@version, the packages of perf-notes section 2 (50 packages). */
export const PACKAGES = [
  ['express', '5.3.0'], ['koa', '3.3.0'], ['@koa/router', '15.7.0'],
  ['fastify', '5.12.8'], ['@fastify/jwt', '10.2.8'], ['@fastify/basic-auth', '6.3.0'], ['@fastify/auth', '5.1.1'],
  ['@nestjs/core', '12.5.1'], ['@nestjs/common', '12.5.1'], ['@nestjs/passport', '12.0.0'],
  ['hono', '4.13.19'], ['@hono/node-server', '2.1.9'],
  ['@hapi/hapi', '21.4.10'], ['@hapi/boom', '10.0.1'],
  ['json-server', '0.17.4'],
  ['@modelcontextprotocol/sdk', '1.32.2'],
  ['verdaccio', '6.8.0'],
  ...['api', 'server', 'store', 'proxy', 'web'].map((n) => [`@verdaccio/${n}`, VERDACCIO_NEXT]),
  ['@verdaccio/auth', '8.0.4'], ['@verdaccio/middleware', '8.0.5'], ['@verdaccio/core', '8.1.2'],
  ['@verdaccio/config', '8.1.2'], ['@verdaccio/signature', '8.0.3'], ['@verdaccio/hooks', '8.0.4'],
  ['@verdaccio/loaders', '8.0.3'], ['@verdaccio/local-storage', '10.5.0'], ['@verdaccio/url', '13.0.3'],
  ['@verdaccio/tarball', '13.0.3'], ['@verdaccio/logger', '8.0.3'], ['@verdaccio/utils', '8.1.3'],
  ['verdaccio-htpasswd', '13.0.3'],
  ['@trpc/server', '11.25.2'], ['@apollo/server', '5.5.1'], ['@auth/core', '0.41.3'], ['@supabase/auth-js', '2.109.0'],
  ...['feathers', 'express', 'koa', 'authentication', 'authentication-local', 'authentication-oauth', 'transport-commons']
    .map((n) => [`@feathersjs/${n}`, FEATHERS]),
  ['passport', '0.7.0'], ['http-errors', '2.0.1'], ['jsonwebtoken', '9.0.3'], ['express-jwt', '8.5.1'],
].map(([name, version]) => ({ name, version }));

const SOURCE = /\.(js|mjs|cjs|ts|mts|cts)$/;
const DECLARATION = /\.d\.[mc]?ts$/;

export function corpusRoot(repoRoot) {
  return join(repoRoot, '.cache', 'bench-corpus');
}

function packageDir(root, { name, version }) {
  return join(root, `${name.replace('/', '__')}@${version}`);
}

async function fetchOne(root, pkg) {
  const dest = packageDir(root, pkg);
  if (existsSync(join(dest, MARKER))) return 'cached';
  const scratch = mkdtempSync(join(tmpdir(), 'authlint-bench-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { stdout } = await run(npm, ['pack', `${pkg.name}@${pkg.version}`, '--json', '--ignore-scripts', '--pack-destination', scratch], {
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
    });
    const info = JSON.parse(stdout)[0];
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    await run('tar', ['-xzf', join(scratch, info.filename), '-C', dest, '--strip-components=1']);
    writeFileSync(join(dest, MARKER), JSON.stringify({ id: info.id, integrity: info.integrity }) + '\n');
    return 'fetched';
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Fetches what is missing, two packages at a time. Throws if any package fails. */
export async function fetchCorpus(root, log = () => {}) {
  mkdirSync(root, { recursive: true });
  const queue = [...PACKAGES];
  const failed = [];
  let fetched = 0;
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      try {
        if ((await fetchOne(root, p)) === 'fetched') {
          fetched++;
          log(`  fetched ${p.name}@${p.version}`);
        }
      } catch (err) {
        failed.push(`${p.name}@${p.version}: ${String(err.message).split('\n')[0]}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  if (failed.length) throw new Error(`could not fetch:\n  ${failed.join('\n  ')}`);
  return fetched;
}

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) {
      if (name !== 'node_modules') walk(p, out);
    } else if (SOURCE.test(name) && !DECLARATION.test(name)) out.push(p);
  }
}

/** Every source file of every package (no .d.ts, no node_modules), with its text. */
export function loadCorpus(root) {
  const files = [];
  const packages = [];
  for (const pkg of PACKAGES) {
    const dir = packageDir(root, pkg);
    const paths = [];
    walk(dir, paths);
    let bytes = 0;
    let lines = 0;
    for (const path of paths) {
      const text = readFileSync(path, 'utf8');
      const nLines = text.split('\n').length;
      const size = Buffer.byteLength(text);
      bytes += size;
      lines += nLines;
      files.push({ path, rel: relative(root, path), pkg: `${pkg.name}@${pkg.version}`, text, bytes: size, lines: nLines, ts: /\.[mc]?ts$/.test(path) });
    }
    const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
    packages.push({ name: pkg.name, version: pkg.version, files: paths.length, bytes, lines, integrity: marker.integrity });
  }
  return { files, packages };
}
