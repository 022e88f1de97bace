// Folder walking for `authlint lint`: source extensions, skipping node_modules, VCS folders,
// test/mock code and what .gitignore files ignore. Files named on the command line are always read.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isSourceFile, isTestPath } from '../analysis/paths';

// Only what the contract names (node_modules) and version-control folders: published packages keep
// their server code in dist/, build/ or lib/, and a project's .gitignore already leaves out its own
// build output.
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'bower_components']);

interface IgnoreLayer {
  base: string;
  ig: Ignore;
}

function gitignoreAt(dir: string): IgnoreLayer | undefined {
  const f = join(dir, '.gitignore');
  if (!existsSync(f)) return undefined;
  try {
    return { base: dir, ig: ignore().add(readFileSync(f, 'utf8')) };
  } catch {
    return undefined;
  }
}

function ignored(path: string, isDir: boolean, layers: IgnoreLayer[]): boolean {
  for (const l of layers) {
    let rel = relative(l.base, path).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (isDir) rel += '/';
    if (l.ig.ignores(rel)) return true;
  }
  return false;
}

/** Every source file under `root` (a file or folder), in a stable order. */
export function collectFiles(root: string, named: boolean): string[] {
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new Error(`no such file or folder: ${root}`);
  }
  if (st.isFile()) return named || isSourceFile(root) ? [root] : [];
  const out: string[] = [];
  const visit = (dir: string, layers: IgnoreLayer[]) => {
    const own = gitignoreAt(dir);
    const here = own ? [...layers, own] : layers;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const p = join(dir, name);
      let s;
      try {
        s = statSync(p);
      } catch {
        continue;
      }
      if (s.isDirectory()) {
        if (SKIP_DIRS.has(name) || ignored(p, true, here)) continue;
        visit(p, here);
      } else if (s.isFile() && isSourceFile(name) && !ignored(p, false, here) && !isTestPath(relative(root, p))) {
        out.push(p);
      }
    }
  };
  visit(root, []);
  return out;
}
