// The language server's project index: per package (linter-notes §D.10.3), the facts each file
// shares with the others (error classes, status helpers, challenge injectors and registrations,
// exported functions), never syntax trees. A package's facts are rebuilt from these entries when
// one changes, so an open file is linted with the facts of its whole package, as `authlint lint`
// does, without parsing the other files again.
import type { FileInjectors, FnSummary } from '../analysis/injectors';
import type { PackageInfo } from '../analysis/packages';
import { packageFacts, packageOf, sharedFactsOf, analyzeFile, type Analysis, type ProjectFacts, type SharedFacts } from '../cli/engine';

interface Entry {
  file: string;
  /** The file's shared facts without syntax trees (undefined: the file shares nothing). */
  shared?: SharedFacts;
  /** A digest of what the file shares, to tell when the other files must be linted again. */
  key: string;
  /** Function summaries computed so far, by 'e:' (exported) or 's:' (declared) and name. */
  summaries: Map<string, FnSummary | undefined>;
}

export interface PackageIndex {
  root: string;
  info: PackageInfo;
  /** Files in the order the walk found them (the CLI's order). */
  files: Map<string, Entry>;
  /** The package's facts, rebuilt when an entry changes. */
  project?: ProjectFacts;
}

/** The text a summary is computed from (an open document's buffer, else the file on disk). */
export type TextSource = (file: string) => string | undefined;

export class ProjectIndex {
  private readonly packages = new Map<string, PackageIndex>();

  constructor(private readonly textOf: TextSource) {}

  packageCount(): number {
    return this.packages.size;
  }

  fileCount(): number {
    let n = 0;
    for (const p of this.packages.values()) n += p.files.size;
    return n;
  }

  clear(): void {
    this.packages.clear();
  }

  has(file: string): boolean {
    return this.packages.get(packageOf(file).root)?.files.has(file) ?? false;
  }

  packageOfFile(file: string): PackageIndex {
    const info = packageOf(file);
    let p = this.packages.get(info.root);
    if (!p) this.packages.set(info.root, (p = { root: info.root, info, files: new Map() }));
    return p;
  }

  /** Files of the index in the package of `file`. */
  filesOfPackage(root: string): string[] {
    return [...(this.packages.get(root)?.files.keys() ?? [])];
  }

  /** Makes `file` part of the index (in walk order) before its content is known. */
  reserve(file: string): void {
    const p = this.packageOfFile(file);
    if (!p.files.has(file)) p.files.set(file, { file, key: '', summaries: new Map() });
  }

  /**
   * Records what an analysis of `file` shares. A file that does not parse keeps what it shared
   * before when `keepOnError` (an open buffer being typed), else shares nothing (as in the CLI).
   * Returns true when the package's shared facts changed.
   */
  update(file: string, a: Analysis, keepOnError: boolean): boolean {
    const p = this.packageOfFile(file);
    const prev = p.files.get(file);
    if ('error' in a && keepOnError && prev) return false;
    const shared = sharedFactsOf(a);
    const entry: Entry = { file, key: '', summaries: new Map() };
    if (shared) {
      const inj = shared.injectors!;
      const wanted = wantedNames(p, file, inj);
      for (const name of wanted) {
        if (inj.summaries.has(name)) entry.summaries.set(`s:${name}`, inj.summaries.get(name)!());
        if (inj.exports.has(name)) entry.summaries.set(`e:${name}`, inj.exports.get(name)!());
      }
      entry.shared = this.detach(entry, shared);
      entry.key = keyOf(entry);
    }
    p.files.set(file, entry);
    // the package's facts hold this entry's places: rebuilt even when the digest is the same
    p.project = undefined;
    return !prev || prev.key !== entry.key;
  }

  /** Removes a file (deleted, or now ignored); true when the package's shared facts changed. */
  remove(file: string): boolean {
    const p = this.packages.get(packageOf(file).root);
    const prev = p?.files.get(file);
    if (!p || !prev) return false;
    p.files.delete(file);
    if (prev.key !== '') p.project = undefined;
    return prev.key !== '';
  }

  /**
   * The facts of the package of `file`, for linting it. A file outside the index (an open test
   * file, a file opened outside the workspace folders) adds its own facts to its package's.
   */
  projectFor(file: string, own: Analysis): ProjectFacts {
    const p = this.packageOfFile(file);
    if (p.files.has(file)) return (p.project ??= packageFacts([...p.files.values()].map((e) => e.shared), p.info));
    return packageFacts([...[...p.files.values()].map((e) => e.shared), sharedFactsOf(own)], p.info);
  }

  /** The file's shared facts with its function summaries computed on demand from its text, not its tree. */
  private detach(entry: Entry, shared: SharedFacts): SharedFacts {
    const inj = shared.injectors!;
    const lazy = (kind: 'e' | 's', name: string) => (): FnSummary => this.summary(entry, kind, name) as FnSummary;
    const injectors: FileInjectors = {
      fileName: inj.fileName,
      injectors: inj.injectors,
      pending: inj.pending,
      filters: inj.filters,
      boundFilters: inj.boundFilters,
      apps: inj.apps,
      exports: new Map([...inj.exports.keys()].map((n) => [n, lazy('e', n)])),
      summaries: new Map([...inj.summaries.keys()].map((n) => [n, lazy('s', n)])),
    };
    return { ...shared, injectors };
  }

  /** A function summary another file's registration asks for: the file is analysed again, once. */
  private summary(entry: Entry, kind: 'e' | 's', name: string): FnSummary | undefined {
    const k = `${kind}:${name}`;
    if (entry.summaries.has(k)) return entry.summaries.get(k);
    let value: FnSummary | undefined;
    const text = this.textOf(entry.file);
    if (text !== undefined) {
      const fresh = sharedFactsOf(analyzeFile(text, entry.file, {}))?.injectors;
      value = (kind === 'e' ? fresh?.exports : fresh?.summaries)?.get(name)?.();
    }
    entry.summaries.set(k, value);
    return value;
  }
}

/** Names of functions the package's registrations refer to (their summaries are kept eagerly). */
function wantedNames(p: PackageIndex, file: string, own: FileInjectors): Set<string> {
  const out = new Set<string>();
  const add = (inj: FileInjectors | undefined) => {
    for (const r of inj?.pending ?? []) {
      out.add(r.name);
      if (r.from) out.add(r.from.imported);
    }
  };
  for (const e of p.files.values()) if (e.file !== file) add(e.shared?.injectors);
  add(own);
  return out;
}

/**
 * Where an injector or registration sits (`at`: file and offset; `within`: a range of its own
 * file) matters only to its own file, which is linted with its own fresh facts: left out of the
 * digest, so typing above an error handler does not make every other file of the package stale.
 */
function placeless(key: string, value: unknown): unknown {
  if (key === 'at' && typeof value === 'string') return value.slice(0, value.lastIndexOf(':'));
  if (key === 'within' && Array.isArray(value)) return true;
  return value;
}

function keyOf(e: Entry): string {
  const s = e.shared!;
  const inj = s.injectors!;
  return JSON.stringify(
    [
    [...s.templates],
    [...s.factories],
    [...s.errorClasses],
    inj.injectors,
    inj.pending,
    [...inj.filters],
    inj.boundFilters,
    [...inj.exports.keys()],
    [...inj.summaries.keys()],
      [...e.summaries],
      s.customPassportCallback,
    ],
    placeless,
  );
}
