// Paths shared by runTest.ts and the suites (plain Node; no vscode import).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The code-server binary scripts/setup-e2e.sh installs (same formula there and in run-e2e.mjs). */
export function codeServerBin(): string {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const cache = process.env.AUTHLINT_E2E_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'authlint-e2e');
  return path.join(cache, 'code-server/node_modules/.bin/code-server');
}

/** The folder holding package.json, found by walking up from `from` (works from out/…). */
export function repoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test/integration'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}

/**
 * Copies a fixture workspace (default test/integration/workspace) to `tmp/name` so tests may edit
 * and save files freely: no test ever writes into the repository. Names git would not keep are
 * stored with a leading `_` and renamed here (`_gitignore` -> `.gitignore`, `_node_modules` ->
 * `node_modules`).
 */
export function prepareWorkspace(root: string, tmp: string, name: string, from = 'test/integration/workspace'): string {
  const dest = path.join(tmp, name);
  fs.cpSync(path.join(root, from), dest, { recursive: true });
  const rename = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      let p = path.join(dir, entry.name);
      if (entry.name === '_gitignore' || entry.name === '_node_modules') {
        const to = path.join(dir, entry.name === '_gitignore' ? '.gitignore' : 'node_modules');
        fs.renameSync(p, to);
        p = to;
      }
      if (entry.isDirectory()) rename(p);
    }
  };
  rename(dest);
  return dest;
}

/** A scratch copy of a repository folder under the OS temp folder (the caller removes it). */
export function scratchCopy(root: string, rel: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-fixtures-'));
  fs.cpSync(path.join(root, rel), dest, { recursive: true });
  return dest;
}
