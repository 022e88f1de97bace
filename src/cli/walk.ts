// Folder walking for `authlint lint`: source extensions, skipping node_modules, VCS folders,
// test/mock code and what git ignores (.gitignore files of the folder, of its parents up to the
// repository's top, and .git/info/exclude). Files named on the command line are always read.
//
// Symbolic links are followed only when they resolve inside the folder being walked, and every
// real folder and file is visited once (a set of real paths), so links to '..' or '/' can neither
// multiply the work nor lead the walk out of the project. Folders and .gitignore files that
// cannot be read are reported, not skipped in silence.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { isSourceFile, isTestPath } from '../analysis/paths';
import { isIgnored, parseGitignore, type IgnoreLayer } from '../analysis/gitignore';

// Only what the contract names (node_modules) and version-control folders: published packages keep
// their server code in dist/, build/ or lib/, and a project's .gitignore already leaves out its own
// build output.
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'bower_components']);

export interface WalkProblem {
  file: string;
  message: string;
}

export interface WalkResult {
  files: string[];
  /** The status of each file listed, as the walk took it (a cache compares it without a second stat). */
  stats: Map<string, Stats>;
  /** What could not be read: folders, .gitignore files, entries whose type cannot be known. */
  errors: WalkProblem[];
}

/**
 * One realpath(3) call instead of an lstat of every component of the path (the JS version):
 * the walk takes the real path of every named file. Windows keeps the JS version, whose drive
 * letters and mapped drives match what the rest of the walk sees.
 */
const realpath = process.platform === 'win32' ? realpathSync : realpathSync.native;

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e && e.code ? `${e.code}${e.syscall ? ` (${e.syscall})` : ''}` : String((err as Error)?.message ?? err);
}

/** The top of the git work tree holding `dir` (a folder with `.git`), if any. */
function gitTop(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * What makes a file the same file however it is reached: device and inode (no realpath call per
 * file); on Windows, whose inode numbers can exceed what a number holds, its real path.
 */
function fileIdentity(st: Stats, real: () => string): string {
  return process.platform === 'win32' ? real() : `${st.dev}:${st.ino}`;
}

/**
 * Every source file under `root` (a file or folder), in a stable order, and what could not be
 * read. `seen` holds the identities of files already listed (several roots share it).
 */
export function walkFiles(root: string, named: boolean, seen: Set<string> = new Set()): WalkResult {
  const errors: WalkProblem[] = [];
  const files: string[] = [];
  const stats = new Map<string, Stats>();
  let st: Stats;
  try {
    st = statSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new Error(`no such file or folder: ${root}`);
    return { files, stats, errors: [{ file: root, message: `cannot read: ${reason(err)}` }] };
  }
  if (!st.isDirectory()) {
    if (!named && !isSourceFile(root)) return { files, stats, errors };
    let id: string;
    try {
      id = fileIdentity(st, () => realpath(root));
    } catch (err) {
      return { files, stats, errors: [{ file: root, message: `cannot read: ${reason(err)}` }] };
    }
    if (!seen.has(id)) {
      seen.add(id);
      files.push(root);
      stats.set(root, st);
    }
    return { files, stats, errors };
  }
  let realRoot: string;
  try {
    realRoot = realpath(root);
  } catch (err) {
    return { files, stats, errors: [{ file: root, message: `cannot read: ${reason(err)}` }] };
  }

  // Paths given to the matcher are relative to the git top (or to the root outside a repository).
  const top = gitTop(realRoot) ?? realRoot;
  const rel = (real: string): string => toSlash(relative(top, real));
  const layers: IgnoreLayer[] = [];
  const readIgnore = (file: string, base: string): void => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') errors.push({ file, message: `cannot read: ${reason(err)}; its patterns were not applied` });
      return;
    }
    const patterns = parseGitignore(text);
    if (patterns.length) layers.push({ base, patterns });
  };
  if (top !== realRoot) {
    // the folder was named below the repository's top: its parents' patterns apply to it too
    readIgnore(join(top, '.git', 'info', 'exclude'), '');
    const chain: string[] = [];
    for (let d = dirname(realRoot); d.length >= top.length; d = dirname(d)) {
      chain.unshift(d);
      if (d === top || dirname(d) === d) break;
    }
    for (const d of chain) readIgnore(join(d, '.gitignore'), rel(d));
  } else if (existsSync(join(top, '.git'))) readIgnore(join(top, '.git', 'info', 'exclude'), '');

  const visited = new Set<string>([realRoot]);
  const inTree = (real: string): boolean => real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  // Links are taken after the whole tree, so a file or folder is listed under its real place
  // when it has one in the tree, and under the first link to it only otherwise.
  const links: Array<{ p: string; name: string; at: string; layers: IgnoreLayer[] }> = [];

  const take = (p: string, name: string, real: string, s: Stats, at: string): void => {
    if (s.isDirectory()) {
      if (SKIP_DIRS.has(name) || visited.has(real) || isIgnored(layers, rel(at), true)) return;
      visited.add(real);
      visit(p, real);
    } else if (s.isFile() && isSourceFile(name) && !isIgnored(layers, rel(at), false) && !isTestPath(relative(root, p))) {
      const id = fileIdentity(s, () => real);
      if (seen.has(id)) return;
      seen.add(id);
      files.push(p);
      stats.set(p, s);
    }
  };

  const visit = (dir: string, realDir: string): void => {
    const depth = layers.length;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      errors.push({ file: dir, message: `cannot read folder: ${reason(err)}` });
      return;
    }
    if (entries.includes('.gitignore')) readIgnore(join(realDir, '.gitignore'), rel(realDir));
    for (const name of entries) {
      const p = join(dir, name);
      let s: Stats;
      try {
        s = lstatSync(p);
      } catch (err) {
        errors.push({ file: p, message: `cannot read: ${reason(err)}` });
        continue;
      }
      // the link's own place in the tree is what .gitignore patterns see
      if (s.isSymbolicLink()) links.push({ p, name, at: join(realDir, name), layers: layers.slice() });
      else take(p, name, join(realDir, name), s, join(realDir, name));
    }
    layers.length = depth;
  };
  visit(root, realRoot);
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    let real: string;
    let s: Stats;
    try {
      real = realpath(l.p);
      s = statSync(l.p);
    } catch {
      continue; // a dangling link or a loop of links: nothing to read
    }
    if (!inTree(real)) continue; // never out of the folder being linted
    layers.length = 0;
    layers.push(...l.layers);
    take(l.p, l.name, real, s, l.at);
  }
  return { files, stats, errors };
}

/** Every source file under `root` (a file or folder), in a stable order. */
export function collectFiles(root: string, named: boolean): string[] {
  return walkFiles(root, named).files;
}
