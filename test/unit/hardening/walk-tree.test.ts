// Issue 12, items 3, 4 and 5: what a hostile tree can do to the folder walk of `authlint lint`.
// - symbolic links: never out of the tree, every real folder once, every real file once
//   (generated trees with links to '..', '/', '.', siblings, outside, dangling);
// - .gitignore: the walk lists what `git ls-files --others --exclude-standard` lists, on
//   generated trees with nested .gitignore files (real git); pattern matching stays linear on
//   the patterns that are catastrophic for regex-based matchers;
// - what cannot be read is reported (errors, SARIF executionSuccessful false, exit 2 when nothing
//   could be read), files are checked before being read, and the file list is a set.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { lintPaths, runLint } from '../../../src/cli/lint';
import { isPathIgnored, parseGitignore, parsePattern, patternMatches, type IgnoreLayer } from '../../../src/analysis/gitignore';
import { walkFiles } from '../../../src/cli/walk';
import { isSourceFile } from '../../../src/analysis/paths';
import { describeGrowth, growth } from './linear-time';
import { noHang, repoRoot } from './support';

const SERVER = `const express = require('express');
const app = express();
app.get('/me', (req, res) => {
  if (!req.headers.authorization) return res.status(401).send('no');
  res.send('ok');
});
`;

function tmp(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'authlint-walk-')));
}

function put(root: string, rel: string, text = SERVER): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

function rels(root: string, files: string[]): string[] {
  return files.map((f) => relative(root, f).split(sep).join('/')).sort();
}

class Sink {
  text = '';
  write(c: string | Buffer): boolean {
    this.text += c.toString();
    return true;
  }
}

function lintCli(argv: string[]): { code: number; out: string; err: string } {
  const out = new Sink();
  const err = new Sink();
  const code = runLint(argv, { stdout: out as unknown as NodeJS.WritableStream, stderr: err as unknown as NodeJS.WritableStream }, 'test');
  return { code, out: out.text, err: err.text };
}

describe('hardening: the walk and symbolic links', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('links to .., to / and loops: each file once, nothing outside the tree, one finding', () => {
    const root = tmp();
    dirs.push(root);
    put(root, 'a/server.js');
    symlinkSync('..', join(root, 'a', 'up'));
    symlinkSync('..', join(root, 'a', 'up2'));
    symlinkSync('/', join(root, 'a', 'everything'));
    symlinkSync('../a', join(root, 'a', 'self'));
    symlinkSync('server.js', join(root, 'a', 'alias.js'));
    symlinkSync('nowhere', join(root, 'a', 'dangling.js'));
    const { files, errors } = noHang('walk', () => walkFiles(root, true));
    assert.deepEqual(rels(root, files), ['a/server.js']);
    assert.deepEqual(errors, []);
    // linted from inside, a link to '..' leads out of the tree: not followed
    const inner = noHang('walk', () => walkFiles(join(root, 'a'), true));
    assert.deepEqual(rels(root, inner.files), ['a/server.js']);
    const report = lintPaths([root]);
    assert.equal(report.findings.length, 1, JSON.stringify(report.findings));
  });

  it('two links to .. in every folder of a deep chain: one visit per real folder', () => {
    const root = tmp();
    dirs.push(root);
    let d = root;
    for (let i = 0; i < 25; i++) {
      d = join(d, `d${i}`);
      mkdirSync(d);
      writeFileSync(join(d, `f${i}.js`), '// 401\n');
      symlinkSync('..', join(d, 'l1'));
      symlinkSync('..', join(d, 'l2'));
    }
    const { files } = noHang('walk of a 25-deep chain with 50 links to ..', () => walkFiles(root, true));
    assert.equal(files.length, 25);
  });

  it('generated trees with links: files unique by real path, all inside, none missing', () => {
    const outside = tmp();
    dirs.push(outside);
    put(outside, 'elsewhere/out.js');
    const name = fc.constantFrom('a', 'b', 'c');
    const entry = fc.oneof(
      fc.record({ kind: fc.constant('file' as const), path: fc.array(name, { minLength: 0, maxLength: 3 }), name: fc.constantFrom('x.js', 'y.ts', 'z.txt') }),
      fc.record({ kind: fc.constant('link' as const), path: fc.array(name, { minLength: 0, maxLength: 3 }), name: fc.constantFrom('l1', 'l2', 'l3.js'), target: fc.constantFrom('..', '../..', '.', '/', 'a', '../b', 'x.js', '../x.js', 'missing', outside, join(outside, 'elsewhere'), join(outside, 'elsewhere', 'out.js')) }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 25 }), (entries) => {
        const root = tmp();
        try {
          for (const e of entries) {
            const dir = join(root, ...e.path);
            mkdirSync(dir, { recursive: true });
            const p = join(dir, e.name);
            try {
              lstatSync(p);
              continue; // taken
            } catch {
              /* free */
            }
            if (e.kind === 'file') writeFileSync(p, '// 401\n');
            else symlinkSync(e.target, p);
          }
          const { files, errors } = noHang('walk', () => walkFiles(root, true));
          assert.deepEqual(errors, []);
          const real = files.map((f) => realpathSync(f));
          assert.equal(new Set(real).size, real.length, 'a file listed twice');
          for (const r of real) assert.ok(r.startsWith(root + sep), `${r} is outside the tree`);
          // expected: the regular source files of the tree itself (links not followed)
          const expected: string[] = [];
          const plain = (d: string): void => {
            for (const n of readdirSync(d)) {
              const p = join(d, n);
              const s = lstatSync(p);
              if (s.isDirectory()) plain(p);
              else if (s.isFile() && isSourceFile(n)) expected.push(p);
            }
          };
          plain(root);
          assert.deepEqual([...new Set(real)].sort(), expected.sort());
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { seed: 3, numRuns: 60 },
    );
  });
});

// ---- .gitignore against real git ----

function git(cwd: string, args: string[]): string {
  const home = join(cwd, '..', 'home');
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, 'none') },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Files git would add (untracked, not ignored), as '/'-separated paths relative to the repository. */
function gitListed(repo: string): string[] {
  return git(repo, ['ls-files', '--others', '--exclude-standard', '-z'])
    .split('\0')
    .filter((f) => f && isSourceFile(f.slice(f.lastIndexOf('/') + 1)))
    .sort();
}

const PATTERNS = [
  '*.js', '*.ts', 'x.js', '/x.js', 'a/', 'b', '/a', 'a/x.js', 'a/*', 'a/**', '**/b', '**/y.ts', 'a/**/x.js',
  '!x.js', '!*.ts', '!a/', '!b/', '![ab]/', '[ab]*', '[!a]*.js', '[^x]*.js', '?.js', '??.ts', 'b/*.ts', 'c/**/y.ts',
  '#x.js', '\\#h.js', '\\!e.js', '!\\!e.js', 'x.js ', 'y.ts\\ ', '*', '**', '/*', '/*/', 'a/b/', '**/c/', 'c/', '*.[jt]s',
  '[[:alpha:]].js', '[a-c]/', 'x*', '*x*', 'a**', '**x.js', 'x.js/', '/a/b', 'keep.js', '!keep.js', '!/keep.js', '!**/keep.js',
];
const FILES = ['x.js', 'y.ts', 'keep.js', 'h.js', '#h.js', '!e.js', 'e.js', 'ab.js', 'z.mjs', 'y.ts '];

describe('hardening: .gitignore as git reads it', function () {
  this.timeout(300_000);
  let box: string;
  before(() => {
    box = tmp();
    mkdirSync(join(box, 'home'));
  });
  after(() => rmSync(box, { recursive: true, force: true }));

  it('the walk lists what git ls-files --others --exclude-standard lists (generated trees)', () => {
    const dirName = fc.constantFrom('a', 'b', 'c');
    const dirPath = fc.array(dirName, { maxLength: 3 }).map((p) => p.join('/'));
    const tree = fc.record({
      files: fc.array(fc.tuple(dirPath, fc.constantFrom(...FILES)), { minLength: 1, maxLength: 25 }),
      ignores: fc.array(fc.tuple(dirPath, fc.array(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 5 })), { maxLength: 4 }),
      exclude: fc.array(fc.constantFrom(...PATTERNS), { maxLength: 2 }),
      crlf: fc.boolean(),
    });
    let run = 0;
    fc.assert(
      fc.property(tree, (t) => {
        const repo = join(box, `r${run++}`);
        mkdirSync(repo);
        git(repo, ['init', '-q']);
        for (const [d, f] of t.files) put(repo, d ? `${d}/${f}` : f, '// 401\n');
        for (const [d, pats] of t.ignores) put(repo, d ? `${d}/.gitignore` : '.gitignore', pats.join(t.crlf ? '\r\n' : '\n') + '\n');
        writeFileSync(join(repo, '.git', 'info', 'exclude'), t.exclude.join('\n') + '\n');
        const want = gitListed(repo);
        const got = rels(repo, walkFiles(repo, true).files);
        assert.deepEqual(got, want);
        // the editor's Lint Workspace filters a flat file list with every .gitignore found
        const layers: IgnoreLayer[] = [{ base: '', patterns: parseGitignore(t.exclude.join('\n') + '\n') }];
        const all: string[] = [];
        const list = (d: string): void => {
          for (const n of readdirSync(join(repo, d))) {
            const r = d ? `${d}/${n}` : n;
            if (n === '.git') continue;
            if (lstatSync(join(repo, r)).isDirectory()) list(r);
            else if (n === '.gitignore') layers.push({ base: d, patterns: parseGitignore(readFileSync(join(repo, r), 'utf8')) });
            else if (isSourceFile(n)) all.push(r);
          }
        };
        list('');
        assert.deepEqual(all.filter((r) => !isPathIgnored(layers, r)).sort(), want, 'flat-list filter');
        // a folder linted directly obeys its parents' .gitignore files
        for (const sub of ['a', 'b', 'a/b']) {
          const under = want.filter((f) => f.startsWith(sub + '/'));
          if (under.length === 0) continue; // missing or ignored as a whole
          assert.deepEqual(rels(repo, walkFiles(join(repo, sub), true).files), under, `linting ${sub}/ directly`);
        }
        rmSync(repo, { recursive: true, force: true });
      }),
      { seed: 1205, numRuns: 80 },
    );
  });

  it('a nested negation re-includes a file the parent ignores; an ignored folder stays closed', () => {
    const repo = join(box, 'nested');
    mkdirSync(repo);
    git(repo, ['init', '-q']);
    put(repo, 'src/keep.js');
    put(repo, 'src/drop.js');
    put(repo, 'gen/keep.js');
    put(repo, '.gitignore', '*.js\ngen/\n');
    put(repo, 'src/.gitignore', '!keep.js\n');
    put(repo, 'gen/.gitignore', '!keep.js\n');
    assert.deepEqual(rels(repo, walkFiles(repo, true).files), ['src/keep.js']);
    assert.deepEqual(gitListed(repo), ['src/keep.js']);
    assert.deepEqual(rels(repo, walkFiles(join(repo, 'src'), true).files), ['src/keep.js']);
  });

  it('pattern matching grows linearly on patterns that make regex-based matchers backtrack', () => {
    const cases: Array<[string, (n: number) => string]> = [
      ['*a*a*a*a*a*a*a*a*a*a*b', (n) => 'a'.repeat(n)],
      ['**/**/**/**/**/**/**/x', (n) => Array.from({ length: n / 2 }, () => 'a').join('/')],
      ['a/**/a/**/a/**/a/**/b', (n) => Array.from({ length: n / 2 }, () => 'a').join('/')],
      ['*?*?*?*?*?*?*?*?!', (n) => 'x'.repeat(n)],
      ['[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*0', (n) => 'q'.repeat(n)],
    ];
    for (const [pattern, make] of cases) {
      const p = parsePattern(pattern)!;
      assert.equal(patternMatches(p, make(400), false), false);
      const g = growth(make, (path) => patternMatches(p, path, false), 2_000, 9);
      assert.ok(g.ratio <= 9, `${pattern}: ${describeGrowth(g)}`);
    }
  });
});

// ---- what cannot be read, and reading ----

describe('hardening: what the walk cannot read is reported', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /**
   * The built bundles, copied where an unprivileged user can read them: the checkout may sit in a
   * folder only its owner can enter (a `mktemp -d` clone).
   */
  let bundles: string | undefined;
  function readableDist(): string {
    if (bundles) return bundles;
    bundles = tmp();
    dirs.push(bundles);
    chmodSync(bundles, 0o755);
    const dist = join(repoRoot(), 'dist');
    for (const f of readdirSync(dist)) if (f.endsWith('.js')) writeFileSync(join(bundles, f), readFileSync(join(dist, f)), { mode: 0o644 });
    return bundles;
  }

  /** The built CLI as an unprivileged user (root reads every folder whatever its mode). */
  function cliUnprivileged(argv: string[], cwd: string): { code: number | null; out: string; err: string } {
    const asRoot = process.getuid?.() === 0;
    const cli = asRoot ? join(readableDist(), 'cli.js') : join(repoRoot(), 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, ...argv], { cwd, encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  it('an unreadable folder: not "0 findings in 0 files" with exit 0; SARIF says the run failed', () => {
    const root = tmp();
    dirs.push(root);
    chmodSync(root, 0o755);
    put(root, 'locked/server.js');
    put(root, 'open/server.js');
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const alone = cliUnprivileged(['lint', 'locked'], root);
      assert.equal(alone.code, 2, alone.out + alone.err);
      assert.match(alone.out, /locked: error: cannot read folder: EACCES/);
      const json = JSON.parse(cliUnprivileged(['lint', 'locked', '--format', 'json'], root).out);
      assert.equal(json.files, 0);
      assert.equal(json.errors.length, 1);
      assert.match(json.errors[0].message, /cannot read folder/);
      const both = cliUnprivileged(['lint', '.', '--format', 'sarif'], root);
      assert.equal(both.code, 1, `the readable folder still has its finding: ${both.out.slice(0, 2000)} ${both.err}`);
      const sarif = JSON.parse(both.out);
      const inv = sarif.runs[0].invocations[0];
      assert.equal(inv.executionSuccessful, false);
      assert.ok(inv.toolExecutionNotifications.some((n: { message: { text: string } }) => /cannot read folder/.test(n.message.text)));
      assert.equal(sarif.runs[0].results.length, 1);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });

  it('a readable tree: SARIF executionSuccessful stays true', () => {
    const root = tmp();
    dirs.push(root);
    put(root, 'server.js');
    const r = lintCli([root, '--format', 'sarif']);
    assert.equal(JSON.parse(r.out).runs[0].invocations[0].executionSuccessful, true);
  });

  it('a FIFO and a huge sparse file named on the command line are never read', () => {
    const root = tmp();
    dirs.push(root);
    const fifo = join(root, 'pipe.js');
    const made = spawnSync('mkfifo', [fifo]);
    const huge = join(root, 'huge.js');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 1024 ** 3); // 3 GB, sparse: reading it whole would exhaust memory
    const report = noHang('lint of a FIFO and a 3 GB file', () => lintPaths(made.status === 0 ? [fifo, huge] : [huge]), 5000);
    assert.equal(report.files, 0);
    const byFile = new Map(report.errors.map((e) => [e.file, e.message]));
    assert.match(byFile.get(huge) ?? '', /skipped: 3221225472 bytes is over the 2000000 limit/);
    if (made.status === 0) assert.match(byFile.get(fifo) ?? '', /not a regular file/);
  });

  it('the same file named many ways is linted once; the list is a set', () => {
    const root = tmp();
    dirs.push(root);
    put(root, 'src/server.js');
    symlinkSync(join(root, 'src', 'server.js'), join(root, 'link.js'));
    const named = [join(root, 'src', 'server.js'), join(root, 'src', '.', 'server.js'), join(root, 'link.js'), join(root, 'src'), root];
    const report = lintPaths([...named, ...named, ...named]);
    assert.equal(report.files, 1);
    assert.equal(report.findings.length, 1);
  });
});
