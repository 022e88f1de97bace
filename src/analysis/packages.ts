// Packages (linter-notes §D.10.3): a project is the folder of the nearest package.json. Pure
// helpers, light enough for the CLI to load without the parser; file access is the caller's.

export interface PackageInfo {
  /** The folder of the nearest package.json ('' when there is none: the files form one project). */
  root: string;
  /** Names in dependencies, devDependencies, peerDependencies and optionalDependencies. */
  dependencies?: Set<string>;
}

/** The nearest folder at or above `dir` holding package.json, given an existence test. */
export function nearestPackageRoot(dir: string, hasPackageJson: (dir: string) => boolean, parent: (dir: string) => string): string {
  for (let d = dir; ; ) {
    if (hasPackageJson(d)) return d;
    const up = parent(d);
    if (up === d) return '';
    d = up;
  }
}

/** Dependency names of a package.json text (undefined when it does not parse). */
export function dependencyNames(packageJson: string): Set<string> | undefined {
  try {
    const j = JSON.parse(packageJson) as Record<string, unknown>;
    const out = new Set<string>();
    for (const k of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = j[k];
      if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) out.add(name);
    }
    return out;
  } catch {
    return undefined;
  }
}
