// Locating the repository root and walking fixture folders from compiled tests (out/test/...).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest folder above `from` that holds a package.json named authlint. */
export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'authlint') return dir;
      } catch {
        /* not ours: keep walking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no authlint package.json above ${from}`);
    dir = parent;
  }
}

/** Every file below `dir` (recursively), as paths relative to `dir` with '/' separators, sorted. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    const abs = path.join(dir, rel);
    for (const name of fs.readdirSync(abs).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (fs.statSync(path.join(dir, r)).isDirectory()) visit(r);
      else out.push(r);
    }
  };
  if (fs.existsSync(dir)) visit('');
  return out;
}

/** Immediate sub-folders of `dir`, sorted. */
export function subdirs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => fs.statSync(path.join(dir, n)).isDirectory())
    .sort();
}
