// Materialize the application corpus: public GitHub applications pinned in
// test/corpus/apps-<split>.json. The sources are never committed; they come from local git
// mirrors (one folder per repository, named `owner+name`, holding a git directory somewhere
// inside: a bare `repo/`, a `repo/.git`, ...). For each listed package the in-scope files at the
// pinned commit are written to .cache/app-corpus/<owner+name>@<commit12>/<package>/ (gitignored),
// together with the repository's own package.json files on the way from the package root to
// those files, so that the package boundary the engine sees is the one in the repository.
// A package already extracted with the same pin and scope (marker file present) is left alone.
//
// Usage: node scripts/fetch-app-corpus.mjs <MIRROR_ROOT> [--split train|validation|all]
//        (MIRROR_ROOT may also come from the environment variable AUTHLINT_MIRROR)
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(new URL('..', import.meta.url).pathname);
const MARKER = '.authlint-app-corpus.json';
const SPLITS = ['train', 'validation'];
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

export function appCorpusDir() {
  return join(root, '.cache', 'app-corpus');
}

/** Folder of one repository at its pinned commit (the package folders live under it). */
export function repoDir(entry) {
  return join(appCorpusDir(), `${entry.repo.replace('/', '+')}@${entry.commit.slice(0, 12)}`);
}

/** Folder of the package root of one entry. */
export function packageDir(entry) {
  return entry.package ? join(repoDir(entry), ...entry.package.split('/')) : repoDir(entry);
}

/** The entries of one split, or of every split file present for 'all'. */
export function readAppSplit(split = 'all') {
  const names = split === 'all' ? SPLITS : [split];
  if (!names.every((n) => SPLITS.includes(n))) throw new Error(`unknown split '${split}' (train, validation or all)`);
  const entries = [];
  for (const name of names) {
    const file = join(root, 'test', 'corpus', `apps-${name}.json`);
    if (!existsSync(file)) {
      if (split === 'all') continue;
      throw new Error(`no such split file: test/corpus/apps-${name}.json`);
    }
    const list = JSON.parse(readFileSync(file, 'utf8'));
    for (const e of list.repos) entries.push({ ...e, split: name });
  }
  return entries;
}

function checkEntry(e) {
  if (typeof e.repo !== 'string' || !/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(e.repo)) throw new Error(`bad repo name ${JSON.stringify(e.repo)}`);
  if (typeof e.commit !== 'string' || !/^[0-9a-f]{40}$/.test(e.commit)) throw new Error(`${e.repo}: commit must be 40 lower-case hex digits`);
  if (typeof e.package !== 'string' || !isSafeRelative(e.package, true)) throw new Error(`${e.repo}: bad package path ${JSON.stringify(e.package)}`);
  if (!Array.isArray(e.include) || e.include.length === 0) throw new Error(`${e.repo}: include must list at least one path prefix`);
}

/** A repository path we are willing to write: relative, no '..', no empty segments. */
function isSafeRelative(p, allowEmpty = false) {
  if (p === '') return allowEmpty;
  if (p.startsWith('/') || /[\\\0\n\r]/.test(p)) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function looksLikeGitDir(p) {
  try {
    return statSync(join(p, 'HEAD')).isFile() && statSync(join(p, 'objects')).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The git directory of a repository under the mirror root: `<root>/<owner+name>/` holds it
 * directly, as `repo/`, as `repo/.git`, or a couple of levels further down.
 */
export function findGitDir(mirrorRoot, repo) {
  const base = join(mirrorRoot, repo.replace('/', '+'));
  if (!existsSync(base)) return null;
  let level = [base];
  for (let depth = 0; depth <= 3 && level.length; depth++) {
    for (const d of level) {
      if (looksLikeGitDir(d)) return d;
      if (looksLikeGitDir(join(d, '.git'))) return join(d, '.git');
    }
    const next = [];
    for (const d of level) {
      let names = [];
      try {
        names = readdirSync(d, { withFileTypes: true }).filter((x) => x.isDirectory() && x.name !== '.git' && x.name !== 'objects');
      } catch {
        continue;
      }
      for (const x of names.sort((a, b) => a.name.localeCompare(b.name))) next.push(join(d, x.name));
    }
    level = next;
  }
  return null;
}

async function git(gitDir, args) {
  const { stdout } = await run('git', ['--git-dir', gitDir, ...args], { maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' });
  return stdout;
}

/** Every blob of the commit under `prefix` ('' = whole tree): [{ path, mode }]. */
async function listBlobs(gitDir, commit, prefix) {
  const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
  if (prefix) args.push('--', prefix);
  const out = (await git(gitDir, args)).toString('utf8');
  const blobs = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type] = rec.slice(0, tab).split(' ');
    const path = rec.slice(tab + 1);
    // regular files only: symbolic links (120000) and submodules are not followed
    if (type === 'blob' && (mode === '100644' || mode === '100755')) blobs.push(path);
  }
  return blobs;
}

/** Read many blobs through one `git cat-file --batch`; a missing one comes back as null. */
function readBlobs(gitDir, commit, paths) {
  return new Promise((resolveRead, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed (${code}): ${stderr.trim()}`));
      const buf = Buffer.concat(chunks);
      const result = [];
      let at = 0;
      for (let i = 0; i < paths.length; i++) {
        const nl = buf.indexOf(0x0a, at);
        if (nl < 0) return reject(new Error('git cat-file: truncated output'));
        const header = buf.subarray(at, nl).toString('utf8');
        at = nl + 1;
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!m) {
          result.push(null); // "<name> missing" (e.g. a large file the snapshot left out)
          continue;
        }
        const size = Number(m[2]);
        result.push(m[1] === 'blob' ? buf.subarray(at, at + size) : null);
        at += size + 1;
      }
      resolveRead(result);
    });
    child.stdin.end(paths.map((p) => `${commit}:${p}\n`).join(''));
  });
}

function specOf(e) {
  return { repo: e.repo, commit: e.commit, package: e.package, include: e.include, exclude: e.exclude || [] };
}

function sameSpec(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Extract one entry. Resolves to 'cached' or 'extracted' (with counts); throws a clear error when
 * the mirror or the commit cannot be found.
 */
export async function materializeOne(entry, mirrorRoot) {
  checkEntry(entry);
  const dest = packageDir(entry);
  const spec = specOf(entry);
  const markerFile = join(dest, MARKER);
  let stale = false;
  if (existsSync(markerFile)) {
    try {
      if (sameSpec(JSON.parse(readFileSync(markerFile, 'utf8')).spec, spec)) return { how: 'cached', dest };
    } catch {
      // unreadable marker: extract again
    }
    stale = true; // replaced only once the new extraction has been read successfully
  }
  const gitDir = findGitDir(mirrorRoot, entry.repo);
  if (!gitDir) throw new Error(`${entry.repo}: no git directory under ${entry.repo.replace('/', '+')} in the mirror root`);
  try {
    await git(gitDir, ['cat-file', '-e', `${entry.commit}^{commit}`]);
  } catch {
    throw new Error(`${entry.repo}: commit ${entry.commit} is not in the mirror (fetch a newer snapshot?)`);
  }

  const pkg = entry.package;
  const pre = pkg ? `${pkg}/` : '';
  const all = await listBlobs(gitDir, entry.commit, pkg);
  const excludes = (entry.exclude || []).map((r) => new RegExp(r));
  const inScope = [];
  const present = new Set();
  for (const full of all) {
    if (!full.startsWith(pre)) continue;
    const rel = full.slice(pre.length);
    present.add(rel);
    if (!isSafeRelative(rel)) continue;
    if (!entry.include.some((p) => rel.startsWith(p))) continue;
    if (excludes.some((r) => r.test(rel))) continue;
    if (!SOURCE.test(rel)) continue;
    inScope.push(rel);
  }
  if (inScope.length === 0) throw new Error(`${entry.repo}: no source file matches include ${JSON.stringify(entry.include)} at ${entry.commit.slice(0, 12)}`);

  // the repository's own package.json files from the package root down to each extracted file
  const manifests = new Set();
  for (const rel of inScope) {
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const candidate = [...parts.slice(0, i), 'package.json'].join('/');
      if (present.has(candidate)) manifests.add(candidate);
    }
  }
  const wanted = [...new Set([...inScope, ...manifests])].sort();
  const blobs = await readBlobs(gitDir, entry.commit, wanted.map((rel) => pre + rel));
  const missing = [];
  if (stale) rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (let i = 0; i < wanted.length; i++) {
    if (!blobs[i]) {
      missing.push(wanted[i]);
      continue;
    }
    const target = join(dest, ...wanted[i].split('/'));
    if (!target.startsWith(dest + sep)) throw new Error(`${entry.repo}: refusing to write outside the corpus folder: ${wanted[i]}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, blobs[i]);
  }
  if (!manifests.has('package.json')) {
    // No manifest at the package root in the repository: mark the boundary anyway, otherwise the
    // nearest package.json above the extracted files would be this checkout's own.
    writeFileSync(join(dest, 'package.json'), `${JSON.stringify({ name: entry.repo.replace('/', '+'), private: true }, null, 2)}\n`);
  }
  const files = inScope.length - missing.filter((m) => inScope.includes(m)).length;
  writeFileSync(markerFile, `${JSON.stringify({ spec, files, manifests: [...manifests].sort(), missing }, null, 2)}\n`);
  return { how: 'extracted', dest, files, manifests: manifests.size, missing };
}

/** Extract every entry of a split. Resolves to { extracted, cached, failed[] }. */
export async function materializeAppCorpus({ mirrorRoot, split = 'all', log = () => {} }) {
  if (!mirrorRoot) throw new Error('no mirror root: pass it as the first argument or set AUTHLINT_MIRROR');
  if (!existsSync(mirrorRoot)) throw new Error(`mirror root does not exist: ${mirrorRoot}`);
  const result = { extracted: 0, cached: 0, failed: [] };
  for (const entry of readAppSplit(split)) {
    const name = `${entry.repo}@${String(entry.commit).slice(0, 12)}${entry.package ? `:${entry.package}` : ''}`;
    try {
      const r = await materializeOne(entry, mirrorRoot);
      result[r.how]++;
      const extra = r.how === 'extracted' ? ` (${r.files} files, ${r.manifests} package.json${r.missing.length ? `, ${r.missing.length} missing in the mirror` : ''})` : '';
      log(`${r.how} ${name}${extra}`);
    } catch (err) {
      result.failed.push({ entry: name, message: String(err && err.message ? err.message : err) });
    }
  }
  return result;
}

function parseArgs(argv) {
  const out = { mirrorRoot: process.env.AUTHLINT_MIRROR || '', split: 'all', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--split') out.split = argv[++i] ?? '';
    else if (a.startsWith('--split=')) out.split = a.slice('--split='.length);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else out.mirrorRoot = a;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(String(err.message));
    process.exit(2);
  }
  if (args.help) {
    console.log('usage: node scripts/fetch-app-corpus.mjs <MIRROR_ROOT> [--split train|validation|all]\n(MIRROR_ROOT may also be given as AUTHLINT_MIRROR)');
    process.exit(0);
  }
  try {
    const r = await materializeAppCorpus({ mirrorRoot: args.mirrorRoot ? resolve(args.mirrorRoot) : '', split: args.split, log: (m) => console.log(m) });
    for (const f of r.failed) console.error(`failed ${f.entry}: ${f.message}`);
    console.log(`app corpus (${args.split}): ${r.extracted} extracted, ${r.cached} cached, ${r.failed.length} failed`);
    process.exit(r.failed.length ? 1 : 0);
  } catch (err) {
    console.error(String(err.message));
    process.exit(2);
  }
}
